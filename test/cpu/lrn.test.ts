// Local response normalization (wc.localResponseNormalization and the lrn /
// lrnBackward kernels) against hand-computed answers, the real TensorFlow.js
// (CPU backend: values and gradients) and central differences.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await wc.setBackend('cpu');
});

const TOL = { atol: 1e-5, rtol: 1e-4 };
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('localResponseNormalization (cpu): hand-computed answers', () => {
  it('radius 1 over 3 channels: each channel divided by its window of squares', () => {
    // x = [1, 2, 3], bias 1, alpha 1, beta 1: sums of squares 1+4, 1+4+9, 4+9.
    const y = wc.localResponseNormalization(t([1, 2, 3], [1, 1, 1, 3]), 1, 1, 1, 1);
    expectClose(y.dataSync(), [1 / 6, 2 / 15, 3 / 14], TOL, 'radius 1');
  });

  it('radius 0 is x / (bias + alpha x^2)^beta; TF.js defaults (5, 1, 1, 0.5)', () => {
    const y = wc.localResponseNormalization(t([2, -3], [1, 1, 1, 2]), 0, 2, 0.5, 2);
    expectClose(y.dataSync(), [2 / 16, -3 / (6.5 * 6.5)], TOL, 'radius 0');
    const d = wc.localResponseNormalization(t([3, 4], [1, 1, 1, 2]));
    expectClose(d.dataSync(), [3 / Math.sqrt(26), 4 / Math.sqrt(26)], TOL, 'defaults');
  });

  it('the chained method, as TF.js\'s tensors have: x.localResponseNormalization(...)', () => {
    const x = t(randomValues(2 * 2 * 2 * 5, 2), [2, 2, 2, 5]);
    expect([...x.localResponseNormalization(2, 1.5, 0.5, 0.75).dataSync()]).toEqual([...wc.localResponseNormalization(x, 2, 1.5, 0.5, 0.75).dataSync()]);
    expect([...x.localResponseNormalization().dataSync()]).toEqual([...wc.localResponseNormalization(x).dataSync()]);
  });

  it('a rank-3 image is a batch of one, and keeps its shape', () => {
    const x = randomValues(2 * 3 * 4, 1);
    const y3 = wc.localResponseNormalization(t(x, [2, 3, 4]), 1);
    const y4 = wc.localResponseNormalization(t(x, [1, 2, 3, 4]), 1);
    expect(y3.shape).toEqual([2, 3, 4]);
    expect([...y3.dataSync()]).toEqual([...y4.dataSync()]);
  });
});

describe('localResponseNormalization vs TensorFlow.js: values and gradients', () => {
  const cases: [string, number[], number, number, number, number][] = [
    ['TF.js defaults', [2, 3, 2, 7], 5, 1, 1, 0.5],
    ["AlexNet's (radius 2, bias 2, alpha 1e-4, beta 0.75)", [1, 2, 3, 9], 2, 2, 1e-4, 0.75],
    ['radius 1, beta 1', [2, 2, 2, 4], 1, 0.5, 0.3, 1],
    ['radius 0', [1, 2, 2, 3], 0, 1, 2, 0.5],
    ['radius past the channels', [1, 1, 2, 3], 7, 1.5, 0.7, 0.25],
    ['one channel', [2, 2, 2, 1], 2, 1, 1, 0.75],
  ];
  for (const [label, shape, r, bias, alpha, beta] of cases) {
    it(label, () => {
      const xv = randomValues(size(shape), shape.length + r * 7, -2, 2);
      const dyv = randomValues(size(shape), 11);
      const wy = wc.localResponseNormalization(wc.tensor(xv, shape), r, bias, alpha, beta);
      const ty = tf.localResponseNormalization(tf.tensor4d(xv, shape as [number, number, number, number]), r, bias, alpha, beta);
      expectClose(wy.dataSync(), ty.dataSync() as Float32Array, TOL, `${label}: value`);
      const wg = wc.grad((x: wc.Tensor) => wc.localResponseNormalization(x, r, bias, alpha, beta))(wc.tensor(xv, shape), wc.tensor(dyv, shape));
      const tg = tf.grad((x: tf.Tensor) => tf.localResponseNormalization(x as tf.Tensor4D, r, bias, alpha, beta))(tf.tensor4d(xv, shape as [number, number, number, number]), tf.tensor(dyv, shape));
      expectClose(wg.dataSync(), tg.dataSync() as Float32Array, TOL, `${label}: gradient`);
    });
  }
});

describe('lrnBackward (cpu): central differences', () => {
  for (const [label, shape, p] of [
    ['radius 2, beta 0.75', [1, 2, 2, 6], { depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 }],
    ['radius 1, beta 0.5', [2, 1, 2, 3], { depthRadius: 1, bias: 2, alpha: 1, beta: 0.5 }],
  ] as const) {
    it(label, () => {
      const xv = randomValues(size([...shape]), 3, -1.5, 1.5);
      checkGradient(label, xv, xv.length, (probe) => wc.ops.lrn(t(probe, [...shape]), p).dataSync(),
        (r) => wc.ops.lrnBackward(t(r, [...shape]), t(xv, [...shape]), p).dataSync());
    });
  }
});

describe('localResponseNormalization: invalid arguments', () => {
  it('names the op and the argument', () => {
    const x = t([1, 2, 3, 4], [1, 1, 1, 4]);
    expect(() => wc.localResponseNormalization(t([1, 2], [2]))).toThrow(/localResponseNormalization: x must be rank 4/);
    expect(() => wc.localResponseNormalization(x, 1.5)).toThrow(/localResponseNormalization: depthRadius must be a non-negative integer, got 1.5/);
    expect(() => wc.localResponseNormalization(x, -1)).toThrow(/depthRadius/);
    expect(() => wc.localResponseNormalization(x, 2, NaN)).toThrow(/localResponseNormalization: bias must be a finite number/);
    expect(() => wc.ops.lrnBackward(t([1, 2], [1, 1, 1, 2]), x, { depthRadius: 1, bias: 1, alpha: 1, beta: 0.5 })).toThrow(/lrnBackward: .*dy/);
  });
});
