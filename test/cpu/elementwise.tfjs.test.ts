// Element-wise math against the real TensorFlow.js (CPU backend) on the same
// inputs: values and gradients (tf.grads against wc.grads with the same dy) of
// every op, on broadcasting shapes, at edge values and in compositions.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { BINARY_CASES, BROADCAST_PAIRS, COMPARISONS, UNARY_CASES, binaryInputs, sizeOf, valuesAway } from './elementwiseCases.js';

/** Both libraries' ops looked up by name, on their own tensors. */
type AnyOp = (...args: unknown[]) => unknown;
const wcOp = (name: string) => (wc as unknown as Record<string, AnyOp>)[name];
const tfOp = (name: string) => (tf as unknown as Record<string, AnyOp>)[name];

// Both compute in float64 and round to float32; they differ by the order of a
// few operations at most (a gradient's sum, a composed formula).
const TOL = { atol: 1e-6, rtol: 1e-5 };

function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i], want[i]];
    if (g === w || (Number.isNaN(g) && Number.isNaN(w))) continue;
    if (!(Math.abs(g - w) <= TOL.atol + TOL.rtol * Math.abs(w))) expect.fail(`${label}: element ${i} is ${g}, TF.js gives ${w}`);
  }
}

interface Input { v: number[]; shape: number[] }

/**
 * Runs f on both libraries: the value, and the gradient of each input for one
 * random dy. fTf and fWc get their library's tensors.
 */
function compare(label: string, fWc: (...xs: wc.Tensor[]) => wc.Tensor, fTf: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Input[], grads = true): void {
  const wx = inputs.map((i) => wc.tensor(i.v, i.shape));
  const tx = inputs.map((i) => tf.tensor(i.v, i.shape, 'float32'));
  const wy = fWc(...wx);
  const ty = fTf(...tx);
  expect(wy.shape, `${label}: shape`).toEqual(ty.shape);
  expectSame(wy.dataSync(), ty.dataSync() as Float32Array, `${label}: value`);
  if (!grads) return;
  const dy = Array.from(randomValues(wy.size, 77));
  const wg = wc.grads(fWc)(wx, wc.tensor(dy, [...wy.shape]));
  const tg = tf.grads(fTf)(tx, tf.tensor(dy, ty.shape));
  inputs.forEach((_, k) => expectSame(wg[k].dataSync(), tg[k].dataSync() as Float32Array, `${label}: gradient ${k}`));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Values that exercise the edges: zeros, kinks, saturation, out of domain. */
const EDGES = [-100, -20, -6.5, -3, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 3, 6, 6.5, 20, 100];

describe('element-wise ops against TensorFlow.js', () => {
  it('every unary op: values and gradients, on random inputs and at the edges', () => {
    UNARY_CASES.forEach((c, ci) => {
      const fWc = (x: wc.Tensor) => wcOp(c.name)(x, ...c.extra) as wc.Tensor;
      const fTf = (x: tf.Tensor) => tfOp(c.name)(x, ...c.extra) as tf.Tensor;
      compare(`${c.name} random`, fWc, fTf, [{ v: valuesAway(24, 50 + ci, c.lo, c.hi, []), shape: [2, 3, 4] }]);
      compare(`${c.name} edges`, fWc, fTf, [{ v: EDGES, shape: [4, 4] }]);
    });
  });

  it('every binary op: values and gradients on broadcasting shapes', () => {
    BINARY_CASES.forEach((c, ci) => {
      for (const [sa, sb] of BROADCAST_PAIRS) {
        const [av, bv] = binaryInputs(c, sizeOf(sa), sizeOf(sb), 60 + ci);
        const out = tf.broadcastTo(tf.zeros(sa), tf.broadcast_util.assertAndGetBroadcastShape(sa, sb)).shape;
        // TF.js's maximum, minimum, squaredDifference and prelu (for x) do not sum their gradients back to a
        // broadcast input's shape (they throw); broadcasting both first with tf.broadcastTo,
        // whose gradient sums, gives what ours compute in one op.
        const explicit = ['maximum', 'minimum', 'squaredDifference', 'prelu'].includes(c.name);
        const fTf = (a: tf.Tensor, b: tf.Tensor) => (explicit
          ? tfOp(c.name)(tf.broadcastTo(a, out), tf.broadcastTo(b, out))
          : tfOp(c.name)(a, b)) as tf.Tensor;
        compare(`${c.name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`, (a, b) => wcOp(c.name)(a, b) as wc.Tensor, fTf,
          [{ v: av, shape: sa }, { v: bv, shape: sb }]);
      }
    });
  });

  it('binary ops at the edges: zeros, negative bases, ties, infinities', () => {
    const a = [0, 0, -2, -8, 2, 1, -1, 0, 3, -3, 5, 0];
    const b = [0, -1, 3, 1 / 3, 0.5, 1, -1, 2, 3, 0, -5, 1e-3];
    for (const name of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'squaredDifference', 'prelu']) {
      compare(`${name} edges`, (x, y) => wcOp(name)(x, y) as wc.Tensor, (x, y) => tfOp(name)(x, y) as tf.Tensor, [{ v: a, shape: [12] }, { v: b, shape: [12] }]);
    }
  });

  it('comparisons (as float32 masks) and where, broadcasting', () => {
    const a = [1, 2, 3, 2, 0, -1];
    const b = [2, 0, 3];
    for (const name of COMPARISONS) {
      compare(name, (x, y) => wcOp(name)(x, y) as wc.Tensor,
        (x, y) => tf.cast(tfOp(name)(name === 'logicalAnd' ? tf.cast(x, 'bool') : x, name === 'logicalAnd' ? tf.cast(y, 'bool') : y) as tf.Tensor, 'float32'),
        [{ v: a, shape: [2, 3] }, { v: b, shape: [3] }], false);
    }
    const cond = [1, 0, 1];
    compare('where', (x, y) => wc.where(cond, x, y), (x, y) => tf.where(tf.tensor(cond, [3], 'bool'), x, y),
      [{ v: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, { v: [7, 8], shape: [2, 1] }]);
    compare('where, condition broadcast across rows', (x, y) => wc.where([[1], [0]], x, y), (x, y) => tf.where(tf.tensor([[1], [0]], [2, 1], 'bool'), x, y),
      [{ v: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, { v: [9], shape: [] }]);
  });

  it('compositions: a normalisation, a custom loss, a learned slope', () => {
    type Ns = Record<string, AnyOp>;
    const both = <T>(f: (m: Ns, ...xs: T[]) => T) => [
      (...xs: wc.Tensor[]) => f(wc as unknown as Ns, ...(xs as unknown as T[])) as unknown as wc.Tensor,
      (...xs: tf.Tensor[]) => f(tf as unknown as Ns, ...(xs as unknown as T[])) as unknown as tf.Tensor,
    ] as const;
    const norm = both((m, x, mean, std) => m.div(m.sub(x, mean), m.add(std, 1e-3)));
    compare('(x - mean) / (std + eps)', norm[0], norm[1], [
      { v: Array.from(randomValues(12, 81)), shape: [4, 3] }, { v: [0.1, -0.2, 0.3], shape: [3] }, { v: [0.5, 1, 2], shape: [3] },
    ]);
    const loss = both((m, yTrue, yPred) => m.mul(m.softplus(m.sub(1, m.mul(yTrue, yPred))), m.sigmoid(m.squaredDifference(yPred, 0.5))));
    compare('hinge-like loss', loss[0], loss[1], [{ v: [1, -1, 1, -1, 1, -1], shape: [6] }, { v: Array.from(randomValues(6, 82, -2, 2)), shape: [6] }]);
    const slope = both((m, x, alpha, w) => m.clipByValue(m.tanh(m.mul(m.prelu(x, alpha), w)), -0.8, 0.8));
    compare('prelu, scale, tanh, clip', slope[0], slope[1], [
      { v: Array.from(randomValues(12, 83, -2, 2)), shape: [2, 2, 3] }, { v: [0.1, 0.2, 0.3], shape: [3] }, { v: [1.5, -0.5], shape: [2, 1, 1] },
    ]);
    const pw = both((m, x, e) => m.maximum(m.pow(m.abs(x), e), m.exp(m.neg(m.square(x)))));
    compare('pow, abs, exp', pw[0], pw[1], [{ v: Array.from(randomValues(8, 84, -2, 2)), shape: [2, 4] }, { v: [1.5, 0.5, 2, 3], shape: [4] }]);
  });
});
