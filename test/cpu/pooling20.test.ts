// Min, sum and L2-norm pooling (issue 20; webcnn extras, no TF.js op): hand-computed
// answers, finite-difference gradients, the argument errors, and agreement with
// the same quantities built from TF.js ops (min = -maxPool(-x); sum and L2 as a
// depthwise convolution with a kernel of ones, on x and on x squared), values and gradients.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import type { Pool2dParams } from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

const { minPool2d, minPool2dBackward, sumPool2d, sumPool2dBackward, l2Pool2d, l2Pool2dBackward } = wc.ops;
const pool = (size: number, stride: number, padding: 'valid' | 'same' = 'valid'): Pool2dParams =>
  ({ poolSize: [size, size], strides: [stride, stride], padding });
const values = (x: wc.Tensor): number[] => [...x.dataSync()];

describe('min, sum and L2 pooling (cpu): hand-computed answers', () => {
  // 4x4 image:
  //  1  1  2  4
  //  5  6  7  8
  //  3  2  1  0
  //  1  2  3  4
  const img = [1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4];

  it('2x2/2 windows: min, sum and sqrt of the sum of squares', () => {
    const x = t(img, [1, 4, 4, 1]);
    expect(values(minPool2d(x, pool(2, 2)))).toEqual([1, 2, 1, 0]);
    expect(values(sumPool2d(x, pool(2, 2)))).toEqual([13, 21, 8, 8]);
    const l2 = values(l2Pool2d(x, pool(2, 2)));
    expectClose(l2, [Math.sqrt(1 + 1 + 25 + 36), Math.sqrt(4 + 16 + 49 + 64), Math.sqrt(9 + 4 + 1 + 4), Math.sqrt(1 + 0 + 9 + 16)], { atol: 0, rtol: 1e-6 }, 'l2');
  });

  it("'same': padded cells never win a min and add nothing to a sum or a norm", () => {
    // 3x3 image 1..9, window 2, stride 2, same: out 2x2, padding at the bottom and right.
    const x = t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expect(values(minPool2d(x, pool(2, 2, 'same')))).toEqual([1, 3, 7, 9]);
    expect(values(sumPool2d(x, pool(2, 2, 'same')))).toEqual([12, 9, 15, 9]);
    expectClose(values(l2Pool2d(x, pool(2, 2, 'same'))), [Math.sqrt(1 + 4 + 16 + 25), Math.sqrt(9 + 36), Math.sqrt(49 + 64), 9], { atol: 0, rtol: 1e-6 }, 'l2 same');
    // All-positive values: a padded 0 would be the minimum if it counted.
    expect(values(minPool2d(t([5, 6, 7, 8], [1, 2, 2, 1]), pool(3, 1, 'same')))).toEqual([5, 5, 5, 5]);
  });

  it('min pool backward routes the gradient to the first minimum of a tie', () => {
    const x = t([3, 1, 1, 4], [1, 2, 2, 1]);
    expect(values(minPool2dBackward(t([1], [1, 1, 1, 1]), x, pool(2, 2)))).toEqual([0, 1, 0, 0]);
  });

  it('overlapping 3/2 windows accumulate on shared pixels (min, sum, L2)', () => {
    // 5x1 column [4,3,-1,3,4], 3x1 windows, stride 2: both windows hold the -1.
    const x = t([4, 3, -1, 3, 4], [1, 5, 1, 1]);
    const p: Pool2dParams = { poolSize: [3, 1], strides: [2, 1], padding: 'valid' };
    const dy = t([1, 2], [1, 2, 1, 1]);
    expect(values(minPool2d(x, p))).toEqual([-1, -1]);
    expect(values(minPool2dBackward(dy, x, p))).toEqual([0, 0, 3, 0, 0]);
    expect(values(sumPool2d(x, p))).toEqual([6, 6]);
    expect(values(sumPool2dBackward(dy, [1, 5, 1, 1], p))).toEqual([1, 1, 3, 2, 2]);
    const y = l2Pool2d(x, p); // both sqrt(26)
    const n = Math.sqrt(26);
    expectClose(values(l2Pool2dBackward(dy, x, y, p)), [4 / n, 3 / n, -1 * 3 / n, 3 * 2 / n, 4 * 2 / n], { atol: 1e-6, rtol: 1e-6 }, 'l2 backward');
  });

  it('L2 backward is 0 from a window whose norm is 0', () => {
    const x = t([0, 0, 3, 0, 0, 0, 4, 0], [1, 2, 4, 1]);
    const p = pool(2, 2);
    const y = l2Pool2d(x, p);
    expect(values(y)).toEqual([0, 5]);
    const dx = values(l2Pool2dBackward(t([7, 10], [1, 1, 2, 1]), x, y, p));
    expect(dx.every(Number.isFinite)).toBe(true);
    expectClose(dx, [0, 0, 6, 0, 0, 0, 8, 0], { atol: 1e-6, rtol: 1e-6 }, 'zero-norm window');
  });

  it("'same' windows at a batch boundary read nothing from the neighbouring image", () => {
    // three 3x2 images: 100s, then 1..6, then 100s; 3x3 'same' windows at stride 1
    const big = [100, 100, 100, 100, 100, 100];
    const x = t([...big, 1, 2, 3, 4, 5, 6, ...big], [3, 3, 2, 1]);
    const p: Pool2dParams = { poolSize: [3, 3], strides: [1, 1], padding: 'same' };
    // rows 0-1 for output row 0, rows 0-2 for row 1, rows 1-2 for row 2; every window spans both columns
    expect(values(minPool2d(x, p)).slice(6, 12)).toEqual([1, 1, 1, 1, 3, 3]);
    expect(values(sumPool2d(x, p)).slice(6, 12)).toEqual([10, 10, 21, 21, 18, 18]);
    expect(values(sumPool2d(x, p)).slice(0, 6)).toEqual([400, 400, 600, 600, 400, 400]);
    expectClose(values(l2Pool2d(x, p)).slice(6, 12), [30, 30, 91, 91, 86, 86].map(Math.sqrt), { atol: 0, rtol: 1e-6 }, 'l2 middle image');
    const ones = t(new Array(18).fill(1), [3, 3, 2, 1]);
    // sum: each pixel gets one per window holding it (2 rows of windows at the edges, 3 in the middle, times 2 columns)
    expect(values(sumPool2dBackward(ones, [3, 3, 2, 1], p)).slice(6, 12)).toEqual([4, 4, 6, 6, 4, 4]);
    // min: the middle image's 1 wins rows 0-1 (four windows), its 3 wins row 2 (two)
    expect(values(minPool2dBackward(ones, x, p)).slice(6, 12)).toEqual([4, 0, 2, 0, 0, 0]);
  });

  it('min pooling: +Infinity ties go to the first cell, -Infinity wins', () => {
    const p: Pool2dParams = { poolSize: [1, 3], strides: [1, 3], padding: 'valid' };
    const x = t([Infinity, Infinity, Infinity, 2, -Infinity, -Infinity], [1, 1, 6, 1]);
    expect(values(minPool2d(x, p))).toEqual([Infinity, -Infinity]);
    expect(values(minPool2dBackward(t([1, 1], [1, 1, 2, 1]), x, p))).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('global pools are pools over the whole image', () => {
    const x = t([1, -2, 3, 4, -5, 6], [1, 3, 1, 2]);
    const p: Pool2dParams = { poolSize: [3, 1], strides: [3, 1], padding: 'valid' };
    expect(values(minPool2d(x, p))).toEqual([-5, -2]);
    expect(values(sumPool2d(x, p))).toEqual([-1, 8]);
    expectClose(values(l2Pool2d(x, p)), [Math.sqrt(35), Math.sqrt(56)], { atol: 0, rtol: 1e-6 }, 'global l2');
  });
});

describe('min, sum and L2 pooling (cpu): finite-difference gradients', () => {
  const cases: { name: string; shape: number[]; p: Pool2dParams }[] = [
    { name: '2/2 valid', shape: [2, 6, 5, 3], p: pool(2, 2) },
    { name: 'overlapping 3/2 valid', shape: [1, 7, 7, 2], p: pool(3, 2) },
    { name: "3/2 'same'", shape: [2, 6, 7, 2], p: pool(3, 2, 'same') },
    { name: "2/3 'same' (gaps)", shape: [1, 8, 7, 2], p: pool(2, 3, 'same') },
    { name: 'rectangular [2,3] strides [1,2]', shape: [1, 5, 7, 2], p: { poolSize: [2, 3], strides: [1, 2], padding: 'valid' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const n = c.shape.reduce((a, b) => a * b);
      // Distinct values 0.05 apart around 0 (a shuffled ramp): a 1e-2 probe never changes
      // which element is a window's minimum; norms stay well away from 0.
      const order = [...randomValues(n, 5)].map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
      const xv = new Float32Array(n);
      order.forEach((i, rank) => { xv[i] = (rank - n / 2) * 0.05 + 0.025; });
      const x = t(xv, c.shape);
      const yShape = [...minPool2d(x, c.p).shape];
      const outSize = yShape.reduce((a, b) => a * b);
      checkGradient(`${c.name} min`, xv, outSize, (q) => minPool2d(t(q, c.shape), c.p).dataSync(),
        (r) => minPool2dBackward(t(r, yShape), x, c.p).dataSync());
      checkGradient(`${c.name} sum`, xv, outSize, (q) => sumPool2d(t(q, c.shape), c.p).dataSync(),
        (r) => sumPool2dBackward(t(r, yShape), c.shape, c.p).dataSync());
      const y = l2Pool2d(x, c.p);
      checkGradient(`${c.name} l2`, xv, outSize, (q) => l2Pool2d(t(q, c.shape), c.p).dataSync(),
        (r) => l2Pool2dBackward(t(r, yShape), x, y, c.p).dataSync());
    });
  }
});

describe('min, sum and L2 pooling (cpu): invalid arguments name the op', () => {
  it('a window larger than the input, a zero stride, a bad padding, a wrong dy or y', () => {
    const x = t(new Float32Array(9), [1, 3, 3, 1]);
    expect(() => minPool2d(x, pool(4, 1))).toThrow(/^minPool2d: the height kernel extent 4 .* larger than the padded input 3/);
    expect(() => sumPool2d(x, pool(2, 0))).toThrow(/^sumPool2d: strides must be two positive integers, got \[0, 0\]/);
    expect(() => l2Pool2d(x, { ...pool(2, 1), padding: 'full' as 'same' })).toThrow(/^l2Pool2d: expected padding 'valid' or 'same', got "full"/);
    expect(() => l2Pool2d(t([1, 2], [2]), pool(1, 1))).toThrow(/^l2Pool2d: /);
    const dy = t([1], [1, 1, 1, 1]);
    expect(() => minPool2dBackward(dy, x, pool(2, 1))).toThrow(/^minPool2dBackward: expected dy of shape \[1, 2, 2, 1\], got \[1, 1, 1, 1\]/);
    expect(() => sumPool2dBackward(dy, [1, 3, 3, 1], pool(2, 1))).toThrow(/^sumPool2dBackward: expected dy of shape \[1, 2, 2, 1\]/);
    const dy4 = t([1, 1, 1, 1], [1, 2, 2, 1]);
    expect(() => l2Pool2dBackward(dy4, x, dy, pool(2, 1))).toThrow(/^l2Pool2dBackward: expected y \(the forward's output\) of shape \[1, 2, 2, 1\], got \[1, 1, 1, 1\]/);
  });
});

describe('min, sum and L2 pooling agree with the same quantities built from TF.js ops', () => {
  beforeAll(async () => { await tf.setBackend('cpu'); });

  const TOL = { atol: 1e-5, rtol: 1e-5 };
  const cases: [string, number[], Pool2dParams][] = [
    ['2/2 valid', [2, 6, 5, 3], pool(2, 2)],
    ["overlapping 3/2 'same'", [1, 7, 8, 2], pool(3, 2, 'same')],
    ["[2,3] strides [1,2] 'same'", [2, 5, 7, 2], { poolSize: [2, 3], strides: [1, 2], padding: 'same' }],
  ];
  it.each(cases)('%s: values and gradients', (_name, shape, p) => {
    const n = shape.reduce((a, b) => a * b);
    // Distinct values (no ties: TF.js and webcnn need not break ties alike here).
    const order = [...randomValues(n, 11)].map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    const xv = new Float32Array(n);
    order.forEach((i, rank) => { xv[i] = (rank - n / 2) * 0.01 + 0.005; });
    const x = t(xv, shape);
    const ymin = minPool2d(x, p);
    const yShape = [...ymin.shape];
    const r = randomValues(ymin.size, 12);
    const c = shape[3];
    const [kh, kw] = p.poolSize;
    const strides: [number, number] = [p.strides[0], p.strides[1]];
    const ones = tf.ones([kh, kw, c, 1]) as tf.Tensor4D;
    const tfMin = (v: tf.Tensor) => tf.neg(tf.maxPool(tf.neg(v) as tf.Tensor4D, [kh, kw], strides, p.padding));
    const tfSum = (v: tf.Tensor) => tf.depthwiseConv2d(v as tf.Tensor4D, ones, strides, p.padding);
    const tfL2 = (v: tf.Tensor) => tf.sqrt(tfSum(tf.square(v)));
    const tx = tf.tensor4d(xv, shape as [number, number, number, number]);
    const tr = tf.tensor(r, yShape);
    const check = (label: string, f: (v: tf.Tensor) => tf.Tensor, y: wc.Tensor, dx: wc.Tensor) => {
      expectClose(y.dataSync(), f(tx).dataSync(), TOL, `${label} forward`);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), tr)))(tx);
      expectClose(dx.dataSync(), g.dataSync(), TOL, `${label} gradient`);
    };
    const dy = t(r, yShape);
    check('min', tfMin, ymin, minPool2dBackward(dy, x, p));
    check('sum', tfSum, sumPool2d(x, p), sumPool2dBackward(dy, shape, p));
    const yl2 = l2Pool2d(x, p);
    check('l2', tfL2, yl2, l2Pool2dBackward(dy, x, yl2, p));
  });
});
