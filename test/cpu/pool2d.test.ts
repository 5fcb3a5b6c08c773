import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { Pool2dParams } from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

const { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward } = wc.ops;
const pool = (size: number, stride: number, padding: 'valid' | 'same' = 'valid'): Pool2dParams =>
  ({ poolSize: [size, size], strides: [stride, stride], padding });

describe('pooling (cpu): hand-computed answers', () => {
  it('2x2/2 max pool of two 4x4 images', () => {
    const a = t([1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4], [1, 4, 4, 1]);
    expect([...maxPool2d(a, pool(2, 2)).dataSync()]).toEqual([6, 8, 3, 4]);
    const b = t([12, 20, 30, 0, 8, 12, 2, 0, 34, 70, 37, 4, 112, 100, 25, 12], [1, 4, 4, 1]);
    expect([...maxPool2d(b, pool(2, 2)).dataSync()]).toEqual([20, 30, 112, 37]);
  });

  it("'same' avg pool divides by the real pixels only (TF)", () => {
    // 3x3 image 1..9, window 2, stride 2, same: out 2x2, pad bottom/right 1.
    const y = avgPool2d(t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), pool(2, 2, 'same'));
    expect([...y.dataSync()]).toEqual([3, 4.5, 7.5, 9]);
  });

  it("'same' max pool never picks a padded cell, even over negative values", () => {
    const y = maxPool2d(t([-5, -6, -7, -8], [1, 2, 2, 1]), pool(3, 1, 'same'));
    expect([...y.dataSync()]).toEqual([-5, -5, -5, -5]);
  });

  it('max pool backward routes the gradient to the first maximum of a tie', () => {
    const x = t([1, 3, 3, 0], [1, 2, 2, 1]);
    const dx = maxPool2dBackward(t([1], [1, 1, 1, 1]), x, pool(2, 2));
    expect([...dx.dataSync()]).toEqual([0, 1, 0, 0]);
  });

  it('overlapping 3/2 windows accumulate gradient on shared pixels', () => {
    // 5x1 column [0,1,5,1,0] with 3x1 windows, stride 2: both windows pick the 5.
    const x = t([0, 1, 5, 1, 0], [1, 5, 1, 1]);
    const p: Pool2dParams = { poolSize: [3, 1], strides: [2, 1], padding: 'valid' };
    expect([...maxPool2d(x, p).dataSync()]).toEqual([5, 5]);
    expect([...maxPool2dBackward(t([1, 2], [1, 2, 1, 1]), x, p).dataSync()]).toEqual([0, 0, 3, 0, 0]);
  });

  it('global pools are pools over the whole image', () => {
    const x = t([1, 2, 3, 4, 5, 6], [1, 3, 1, 2]);
    const p: Pool2dParams = { poolSize: [3, 1], strides: [3, 1], padding: 'valid' };
    expect([...avgPool2d(x, p).dataSync()]).toEqual([3, 4]);
    expect([...maxPool2d(x, p).dataSync()]).toEqual([5, 6]);
  });
});

describe('pooling (cpu): finite-difference gradients', () => {
  const cases: { name: string; shape: number[]; p: Pool2dParams }[] = [
    { name: '2/2 valid', shape: [2, 6, 5, 3], p: pool(2, 2) },
    { name: 'overlapping 3/2 valid', shape: [1, 7, 7, 2], p: pool(3, 2) },
    { name: "3/2 'same'", shape: [2, 6, 7, 2], p: pool(3, 2, 'same') },
    { name: 'rectangular [2,3] strides [1,2]', shape: [1, 5, 7, 2], p: { poolSize: [2, 3], strides: [1, 2], padding: 'valid' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const n = c.shape.reduce((a, b) => a * b);
      // Distinct values spaced 0.05 apart (a shuffled ramp): no near-ties, so a
      // 1e-2 probe never changes which element wins a max window.
      const order = [...randomValues(n, 5)].map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
      const xv = new Float32Array(n);
      order.forEach((i, rank) => { xv[i] = rank * 0.05; });
      const yMax = maxPool2d(t(xv, c.shape), c.p);
      checkGradient(`${c.name} max`, xv, yMax.size, (p) => maxPool2d(t(p, c.shape), c.p).dataSync(),
        (r) => maxPool2dBackward(t(r, [...yMax.shape]), t(xv, c.shape), c.p).dataSync());
      checkGradient(`${c.name} avg`, xv, yMax.size, (p) => avgPool2d(t(p, c.shape), c.p).dataSync(),
        (r) => avgPool2dBackward(t(r, [...yMax.shape]), c.shape, c.p).dataSync());
    });
  }
});

describe('pooling (cpu): invalid arguments', () => {
  it('a window larger than the input, a zero stride, a wrong dy', () => {
    const x = t(new Float32Array(9), [1, 3, 3, 1]);
    expect(() => maxPool2d(x, pool(4, 1))).toThrow(/maxPool2d: the height kernel extent 4 .* larger than the padded input 3/);
    expect(() => avgPool2d(x, pool(2, 0))).toThrow(/avgPool2d: strides must be two positive integers, got \[0, 0\]/);
    expect(() => maxPool2dBackward(t([1], [1, 1, 1, 1]), x, pool(2, 1))).toThrow(/maxPool2dBackward: expected dy of shape \[1, 2, 2, 1\], got \[1, 1, 1, 1\]/);
  });
});
