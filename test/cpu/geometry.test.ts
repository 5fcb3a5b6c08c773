import { describe, expect, it } from 'vitest';
import { axisGeometry, windowGeometry } from '../../src/kernels/geometry.js';

describe('window geometry: output size (W - F + 2P) / S + 1', () => {
  it('AlexNet conv1: W=227, F=11, S=4, P=0 gives 55', () => {
    expect(axisGeometry('conv2d', 'width', 227, 11, 4, 1, 'valid').out).toBe(55);
  });

  it("W=10, F=3, S=2 does not fit evenly: 'valid' floors to 4 as TensorFlow does", () => {
    expect(axisGeometry('conv2d', 'width', 10, 3, 2, 1, 'valid').out).toBe(4);
  });

  it("'same' is ceil(in / stride) with the odd pad at the end", () => {
    expect(axisGeometry('conv2d', 'width', 10, 3, 2, 1, 'same')).toEqual({ out: 5, before: 0, after: 1 });
    expect(axisGeometry('conv2d', 'width', 5, 4, 1, 1, 'same')).toEqual({ out: 5, before: 1, after: 2 });
  });

  it('dilation widens the kernel: k + (k - 1)(d - 1)', () => {
    const g = windowGeometry('conv2d', [1, 9, 9, 1], [3, 3], [1, 1], [2, 2], 'valid');
    expect([g.oh, g.ow]).toEqual([5, 5]);
  });
});
