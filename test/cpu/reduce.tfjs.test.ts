// The reductions, softmaxes, matMul/dot and the network ops against the real
// TensorFlow.js (CPU backend): values and gradients (tf.grads vs wc.grads) on
// the same inputs, arbitrary axes, broadcasting and compositions included.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { grads } from '../../src/autodiff/gradients.js';
import { expectClose, randomValues } from '../util/check.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await wc.setBackend('cpu');
});

const TOL = { atol: 1e-4, rtol: 1e-4 };

type Input = { values: Float32Array; shape: number[] };
const input = (shape: number[], seed: number, lo = -1, hi = 1): Input =>
  ({ values: randomValues(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape });

/**
 * f written once against the shared surface of wc and tf (the same names and
 * arguments): its value and its gradients for every input must agree.
 */
function compare(label: string, f: (lib: typeof wc | typeof tf, ...xs: never[]) => unknown, inputs: Input[], withGrads = true): void {
  const wcF = (...xs: wc.Tensor[]) => f(wc, ...(xs as never[])) as wc.Tensor;
  const tfF = (...xs: tf.Tensor[]) => f(tf, ...(xs as never[])) as tf.Tensor;
  const wcXs = inputs.map((x) => wc.tensor(x.values, x.shape));
  const tfXs = inputs.map((x) => tf.tensor(x.values, x.shape));
  const wy = wcF(...wcXs);
  const ty = tfF(...tfXs);
  expect(wy.shape, `${label}: shape`).toEqual(ty.shape);
  expect(wy.dtype, `${label}: dtype`).toBe(ty.dtype);
  expectClose(wy.dataSync(), ty.dataSync() as Float32Array, TOL, `${label}: value`);
  if (!withGrads) return;
  const dyValues = randomValues(wy.size, 5);
  const wg = grads(wcF)(wcXs, wc.tensor(dyValues, wy.shape));
  const tg = tf.grads(tfF)(tfXs, tf.tensor(dyValues, ty.shape));
  wg.forEach((g, i) => {
    expect(g.shape, `${label}: gradient ${i} shape`).toEqual(tg[i].shape);
    expectClose(g.dataSync(), tg[i].dataSync() as Float32Array, TOL, `${label}: gradient ${i}`);
  });
}

type Lib = typeof wc & typeof tf;
const as = (lib: unknown) => lib as Lib;

describe('reductions vs TensorFlow.js', () => {
  const x = input([2, 3, 4], 1);
  const axes: (number | number[] | undefined)[] = [undefined, 0, 1, -1, [0, 2], [-1, -3], [], [0, 1, 2]];
  const negative = (axis: number | number[] | undefined) => [axis ?? []].flat().some((a) => a < 0);
  for (const name of ['sum', 'mean', 'max', 'min', 'prod', 'logSumExp'] as const) {
    it(`${name} over every kind of axis, with and without keepDims`, () => {
      for (const axis of axes) {
        for (const keepDims of [false, true]) {
          // TF.js's prod gradient fails on negative axes (its transpose gets the axis as given): values only there.
          const withGrads = !(name === 'prod' && negative(axis));
          compare(`${name}(${JSON.stringify(axis)}, ${keepDims})`, (lib, t) => as(lib)[name](t, axis, keepDims), [x], withGrads);
        }
      }
    });
  }

  it('max and min with ties, prod with zeros: gradients as TF.js', () => {
    const ties = { values: Float32Array.from([1, 3, 3, 2, 2, 0, 5, 5, 5]), shape: [3, 3] };
    compare('max ties', (lib, t) => as(lib).max(t, 1), [ties]);
    compare('min ties', (lib, t) => as(lib).min(t, 0), [ties]);
    compare('max all ties', (lib, t) => as(lib).max(t), [ties]);
    const zeros = { values: Float32Array.from([2, 0, 3, 0, 0, 4, 1, 2, 3]), shape: [3, 3] };
    compare('prod zeros', (lib, t) => as(lib).prod(t, 1), [zeros]);
    compare('prod zeros axis 0', (lib, t) => as(lib).prod(t, 0, true), [zeros]);
  });

  it('argMax and argMin: int32, first index on ties', () => {
    const ties = { values: Float32Array.from([1, 3, 3, 2, 2, 0, 5, 5, 5, 0, 9, 9]), shape: [2, 2, 3] };
    for (const axis of [0, 1, 2, -1]) {
      compare(`argMax ${axis}`, (lib, t) => as(lib).argMax(t, axis), [ties], false);
      compare(`argMin ${axis}`, (lib, t) => as(lib).argMin(t, axis), [ties], false);
    }
    compare('argMax default axis', (lib, t) => as(lib).argMax(t), [input([4, 3], 2)], false);
  });

  it('compositions: logSumExp of a softmax, mean of a max, sum of a product', () => {
    const a = input([3, 4], 3, -2, 2);
    compare('softmax then logSumExp', (lib, t) => as(lib).logSumExp(as(lib).softmax(t), 0), [a]);
    compare('mean of max', (lib, t) => as(lib).mean(as(lib).max(t, 1, true)), [a]);
    compare('sum of matMul', (lib, p, q) => as(lib).sum(as(lib).matMul(p, q), 1), [a, input([4, 2], 4)]);
    compare('logSoftmax then max', (lib, t) => as(lib).max(as(lib).logSoftmax(t), -1), [a]);
  });
});

describe('softmax, matMul, dot vs TensorFlow.js', () => {
  it('softmax and logSoftmax over the last axis (the only one TF.js allows)', () => {
    for (const shape of [[5], [3, 4], [2, 3, 4]]) {
      compare(`softmax ${shape}`, (lib, t) => as(lib).softmax(t), [input(shape, 6, -3, 3)]);
      compare(`logSoftmax ${shape}`, (lib, t) => as(lib).logSoftmax(t), [input(shape, 7, -3, 3)]);
    }
  });

  it('matMul: transposes, batches, a batch against a matrix', () => {
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      const a = input(ta ? [3, 2] : [2, 3], 8);
      const b = input(tb ? [4, 3] : [3, 4], 9);
      compare(`matMul ${ta} ${tb}`, (lib, p, q) => as(lib).matMul(p, q, ta, tb), [a, b]);
      const ab = input(ta ? [2, 3, 2] : [2, 2, 3], 10);
      const bb = input(tb ? [2, 4, 3] : [2, 3, 4], 11);
      compare(`batched matMul ${ta} ${tb}`, (lib, p, q) => as(lib).matMul(p, q, ta, tb), [ab, bb]);
    }
    // TF.js's gradient does not sum over broadcast batches, so only the values are compared.
    compare('matMul [2, 2, 3] x [3, 4]', (lib, p, q) => as(lib).matMul(p, q), [input([2, 2, 3], 12), input([3, 4], 13)], false);
    compare('matMul [1, 2, 3] x [3, 3, 4]', (lib, p, q) => as(lib).matMul(p, q), [input([1, 2, 3], 12), input([3, 3, 4], 13)], false);
  });

  it('dot: every rank combination', () => {
    compare('dot vv', (lib, p, q) => as(lib).dot(p, q), [input([3], 14), input([3], 15)]);
    compare('dot vm', (lib, p, q) => as(lib).dot(p, q), [input([3], 14), input([3, 2], 15)]);
    compare('dot mv', (lib, p, q) => as(lib).dot(p, q), [input([2, 3], 14), input([3], 15)]);
    compare('dot mm', (lib, p, q) => as(lib).dot(p, q), [input([2, 3], 14), input([3, 2], 15)]);
  });
});

describe('conv2d, pools, batchNorm vs TensorFlow.js', () => {
  it('conv2d: strides, pads (modes, a number, explicit), dilations, one image', () => {
    const x = input([2, 6, 5, 3], 16);
    const w = input([3, 2, 3, 4], 17);
    type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];
    const cases: [number | [number, number], Pad, number | [number, number]][] = [
      [1, 'valid', 1], [2, 'same', 1], [[2, 1], 'same', 1], [1, 'same', [2, 1]], [2, [[0, 0], [1, 2], [0, 1], [0, 0]], 1],
    ];
    for (const [strides, pad, dilations] of cases) {
      compare(`conv2d ${JSON.stringify([strides, pad, dilations])}`, (lib, p, q) => as(lib).conv2d(p, q, strides, pad as 'same', 'NHWC', dilations), [x, w],
        // TF.js's conv2d gradient refuses dilations > 1: values only there.
        dilations === 1);
    }
    // A numeric pad with a square filter: TF.js sizes a numeric pad's output width with the filter's height.
    compare('conv2d pad 1', (lib, p, q) => as(lib).conv2d(p, q, 1, 1), [x, input([3, 3, 3, 2], 17)]);
    compare('conv2d one image', (lib, p, q) => as(lib).conv2d(p, q, 1, 'same'), [input([4, 4, 2], 18), input([3, 3, 2, 2], 19)]);
  });

  it('maxPool and avgPool: windows, strides, pads, one image', () => {
    const distinct = { values: Float32Array.from({ length: 2 * 5 * 6 * 2 }, (_, i) => ((i * 37) % 120) / 10), shape: [2, 5, 6, 2] };
    // clipped: a 'same' window reaches past the image.
    const cases = [[2, 2, 'valid', false], [3, 2, 'same', true], [[2, 3], [1, 2], 'same', true], [3, 1, 'valid', false], [[1, 2], 2, 'same', false]] as const;
    for (const [size, strides, pad, clipped] of cases) {
      compare(`maxPool ${JSON.stringify([size, strides, pad])}`, (lib, t) => as(lib).maxPool(t, size as [number, number], strides as [number, number], pad), [distinct]);
      // TF.js's avgPool gradient divides by the whole window even where 'same' clips it (its forward
      // divides by the real pixels): gradients compared only where no window is clipped.
      compare(`avgPool ${JSON.stringify([size, strides, pad])}`, (lib, t) => as(lib).avgPool(t, size as [number, number], strides as [number, number], pad), [distinct], !clipped);
    }
    compare('maxPool one image', (lib, t) => as(lib).maxPool(t, 2, 1, 'same'), [{ values: distinct.values.slice(0, 60), shape: [5, 6, 2] }]);
  });

  it('batchNorm: gradients for x, mean, variance, offset and scale', () => {
    const c = [3];
    compare('batchNorm rank 4', (lib, x, m, v, o, s) => as(lib).batchNorm(x, m, v, o, s, 0.01),
      [input([2, 2, 2, 3], 20), input(c, 21), input(c, 22, 0.5, 2), input(c, 23), input(c, 24)]);
    compare('batchNorm rank 2', (lib, x, m, v, o, s) => as(lib).batchNorm(x, m, v, o, s),
      [input([4, 3], 25), input(c, 26), input(c, 27, 0.5, 2), input(c, 28), input(c, 29)]);
    // TF.js cannot differentiate batchNorm without offset and scale (its gradient reads a missing input): values only.
    compare('batchNorm without offset and scale', (lib, x, m, v) => as(lib).batchNorm(x, m, v),
      [input([4, 3], 25), input(c, 26), input(c, 27, 0.5, 2)], false);
  });
});
