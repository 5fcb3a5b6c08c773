import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { Conv2dParams } from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

const { conv2d, conv2dBackwardInput, conv2dBackwardFilter, biasAddBackward } = wc.ops;
// Hand answers are small integers or one division: exact to float32 rounding.
const F32 = { atol: 1e-5, rtol: 1e-6 };

const params = (over: Partial<Conv2dParams> = {}): Conv2dParams => ({ strides: [1, 1], padding: 'valid', dilations: [1, 1], ...over });

describe('conv2d (cpu): hand-computed answers', () => {
  it('valid conv of 1..9 (3x3) with a 2x2 kernel of ones', () => {
    const y = conv2d(t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), t([1, 1, 1, 1], [2, 2, 1, 1]), null, params());
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect([...y.dataSync()]).toEqual([12, 16, 24, 28]);
  });

  it("conv2dColumns of 1..9 (3x3), 2x2 'valid' and 'same' (zeros in the pad); 1x1 is x itself", () => {
    const x = t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const cols = wc.ops.conv2dColumns(x, [2, 2], params());
    expect(cols.shape).toEqual([4, 4]);
    expect([...cols.dataSync()]).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
    // 'same' with a 2x2 kernel pads one row/column at the bottom/right
    const same = wc.ops.conv2dColumns(x, [2, 2], params({ padding: 'same' }));
    expect(same.shape).toEqual([9, 4]);
    expect([...same.dataSync()].slice(8, 12)).toEqual([3, 0, 6, 0]);
    expect([...same.dataSync()].slice(32, 36)).toEqual([9, 0, 0, 0]);
    const pointwise = wc.ops.conv2dColumns(x, [1, 1], params());
    expect(pointwise.shape).toEqual([9, 1]);
    expect([...pointwise.dataSync()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => wc.ops.conv2dColumns(t([1], [1, 1]), [1, 1], params())).toThrow(/conv2dColumns: expected x of rank 4/);
  });

  it('3x3 box blur (weights 1/9) of a 3x3 patch is 132.2', () => {
    const x = t([93, 139, 101, 26, 252, 196, 135, 230, 18], [1, 3, 3, 1]);
    const y = conv2d(x, t(new Array(9).fill(1 / 9), [3, 3, 1, 1]), null, params());
    expectClose(y.dataSync(), [1190 / 9], F32, 'box blur');
    expect(Math.round(y.dataSync()[0] * 10) / 10).toBe(132.2);
  });

  it('5x5 binary image with the X kernel', () => {
    const img = [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0];
    const y = conv2d(t(img, [1, 5, 5, 1]), t([1, 0, 1, 0, 1, 0, 1, 0, 1], [3, 3, 1, 1]), null, params());
    expect([...y.dataSync()]).toEqual([4, 3, 4, 2, 4, 3, 2, 3, 4]);
  });

  it("'same' with an odd total pad puts the extra pixel bottom/right (TF rule)", () => {
    // in 4, k 2, stride 1: out 4, total pad 1 -> top 0, bottom 1. With a kernel of
    // ones on a column 1,2,3,4 the outputs are 1+2, 2+3, 3+4, 4+0.
    const y = conv2d(t([1, 2, 3, 4], [1, 4, 1, 1]), t([1, 1], [2, 1, 1, 1]), null, params({ padding: 'same' }));
    expect([...y.dataSync()]).toEqual([3, 5, 7, 4]);
  });

  it('bias is added per output channel; stride 2 and dilation 2 read the right taps', () => {
    const x = t([...Array(16).keys()], [1, 4, 4, 1]);
    // Dilation 2 on a 2x2 kernel of ones reads x[i][j] + x[i][j+2] + x[i+2][j] + x[i+2][j+2].
    const y = conv2d(x, t([1, 1, 1, 1], [2, 2, 1, 1]), t([0.5], [1]), params({ dilations: [2, 2] }));
    expect([...y.dataSync()]).toEqual([0 + 2 + 8 + 10 + 0.5, 1 + 3 + 9 + 11 + 0.5, 4 + 6 + 12 + 14 + 0.5, 5 + 7 + 13 + 15 + 0.5]);
    const s = conv2d(x, t([1], [1, 1, 1, 1]), null, params({ strides: [2, 2] }));
    expect([...s.dataSync()]).toEqual([0, 2, 8, 10]);
  });
});

describe('conv2d (cpu): finite-difference gradients', () => {
  const cases: { name: string; x: number[]; w: number[]; p: Conv2dParams }[] = [
    { name: 'valid 3x3 stride 1', x: [2, 5, 6, 3], w: [3, 3, 3, 2], p: params() },
    { name: 'stride 2, same, odd total pad', x: [1, 6, 7, 2], w: [2, 2, 2, 3], p: params({ strides: [2, 2], padding: 'same' }) },
    { name: 'dilation 2, same', x: [1, 7, 6, 2], w: [3, 3, 2, 2], p: params({ dilations: [2, 2], padding: 'same' }) },
    { name: 'rectangular [2,3] kernel, strides [1,2]', x: [2, 5, 7, 1], w: [2, 3, 1, 3], p: params({ strides: [1, 2] }) },
    { name: 'explicit padding [[1,0],[2,1]]', x: [1, 4, 5, 2], w: [3, 2, 2, 2], p: params({ padding: [[1, 0], [2, 1]] }) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const xv = randomValues(c.x.reduce((a, b) => a * b), 1);
      const wv = randomValues(c.w.reduce((a, b) => a * b), 2);
      const bv = randomValues(c.w[3], 3);
      const y = conv2d(t(xv, c.x), t(wv, c.w), t(bv, [c.w[3]]), c.p);
      const dyShape = [...y.shape];
      const f = (xp: Float32Array, wp: Float32Array, bp: Float32Array): Float32Array =>
        conv2d(t(xp, c.x), t(wp, c.w), t(bp, [c.w[3]]), c.p).dataSync();
      checkGradient(`${c.name} dx`, xv, y.size, (p) => f(p, wv, bv), (r) => conv2dBackwardInput(t(r, dyShape), t(wv, c.w), c.x, c.p).dataSync());
      checkGradient(`${c.name} dW`, wv, y.size, (p) => f(xv, p, bv), (r) => conv2dBackwardFilter(t(xv, c.x), t(r, dyShape), c.w, c.p).dataSync());
      checkGradient(`${c.name} db`, bv, y.size, (p) => f(xv, wv, p), (r) => biasAddBackward(t(r, dyShape)).dataSync());
    });
  }
});

describe('conv2d (cpu): invalid arguments name the op, the expectation and the value', () => {
  const x = t(new Float32Array(2 * 5 * 5 * 3), [2, 5, 5, 3]);
  it('mismatched channels', () => {
    expect(() => conv2d(x, t(new Float32Array(3 * 3 * 2 * 4), [3, 3, 2, 4]), null, params()))
      .toThrow(/conv2d: the kernel expects 2 input channels \(shape \[3, 3, 2, 4\]\), but the input has 3/);
  });
  it('a kernel larger than the padded input', () => {
    expect(() => conv2d(x, t(new Float32Array(6 * 6 * 3), [6, 6, 3, 1]), null, params()))
      .toThrow(/conv2d: the height kernel extent 6 .* is larger than the padded input 5/);
  });
  it('a stride of 0', () => {
    expect(() => conv2d(x, t(new Float32Array(27), [3, 3, 3, 1]), null, params({ strides: [0, 1] })))
      .toThrow(/conv2d: strides must be two positive integers, got \[0, 1\]/);
  });
  it('zero or negative sizes', () => {
    expect(() => conv2d(t(new Float32Array(0), [0, 5, 5, 3]), t(new Float32Array(27), [3, 3, 3, 1]), null, params()))
      .toThrow(/conv2d: expected an input of shape \[n, h, w, c\] with positive sizes, got \[0, 5, 5, 3\]/);
    expect(() => wc.tensor([], [-1])).toThrow(/tensor: shape must hold non-negative integers/);
  });
  it('a wrong bias', () => {
    expect(() => conv2d(x, t(new Float32Array(27 * 2), [3, 3, 3, 2]), t([1], [1]), params()))
      .toThrow(/conv2d: expected a bias of shape \[2\], got \[1\]/);
  });
});
