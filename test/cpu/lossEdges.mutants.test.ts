// CPU losses, metrics, optimizer steps and padding at their edges, by hand:
// sparse labels out of range, the sparse loss's first clip in its gradient,
// MSLE's gate at p = eps, binary accuracy's strict 0.5, argmax on a second
// row, cross-entropy backward with labels summing to 2, a large epsilon in
// Adam and centered RMSProp, and asymmetric zero padding.
// Written to kill StrykerJS mutants (docs/MUTATION.md).

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { expectClose } from '../util/check.js';

const o = wc.ops;
const t = (v: number[], shape: number[]) => wc.tensor(v, shape);
const scalar = (x: wc.Tensor) => x.dataSync()[0];
const F32 = { atol: 1e-6, rtol: 1e-6 };
const EPS = Math.fround(1e-7);

describe('losses and metrics at the edges', () => {
  it('a sparse label outside [0, k) is an all-zero row, and writes nothing into the next row', () => {
    const p = t([0.2, 0.3, 0.5, 0.6, 0.3, 0.1], [2, 3]);
    // row 0 contributes 0; row 1: -log 0.1 = 2.3025851, mean 1.1512925
    expectClose([scalar(o.loss('sparseCategoricalCrossentropy', t([3, 2], [2]), p))], [1.1512925], F32);
    // row 1 contributes 0; row 0: -log 0.2 = 1.6094379, mean 0.80471896
    expectClose([scalar(o.loss('sparseCategoricalCrossentropy', t([0, -1], [2]), p))], [0.80471896], F32);
  });

  it('sparse backward: no gradient where p itself was clipped', () => {
    // pp = [1e-7, 0.5, 0.5], s = 1 + 1e-7: dq for the true class -2s, through the sum: [0, -1, 1] / s
    const dx = o.lossBackward('sparseCategoricalCrossentropy', t([1], [1]), t([0, 0.5, 0.5], [1, 3])).dataSync();
    expect(dx[0]).toBe(0);
    expectClose([dx[1], dx[2]], [-1, 1], F32);
  });

  it('MSLE backward: zero below p = eps, the full gradient from p = eps on', () => {
    // t = 1, p <= eps: cp = eps, d = log1p(eps) - log1p(1); d/dp is 2 d / (1 + eps) only when p >= eps
    const d = Math.log1p(EPS) - Math.log1p(1);
    const g = o.lossBackward('meanSquaredLogarithmicError', t([1, 1], [1, 2]), t([-1, EPS], [1, 2])).dataSync();
    expect(g[0] === 0).toBe(true); // -0: 2 * d * 0 with d < 0
    expectClose([g[1]], [(2 * d) / (1 + EPS) / 2], F32);
  });

  it('binary accuracy: exactly 0.5 predicts 0', () => {
    expect(scalar(o.metric('binaryAccuracy', t([0, 1], [2, 1]), t([0.5, 0.5], [2, 1])))).toBe(0.5);
    expect(scalar(o.metric('binaryAccuracy', t([0], [1, 1]), t([0.5], [1, 1])))).toBe(1);
  });

  it('categorical accuracy on a second row compares within that row', () => {
    // row 1: argmax of [0.1, 0.5, 0.4] is 1, the true class
    const acc = o.metric('categoricalAccuracy', t([1, 0, 0, 0, 1, 0], [2, 3]), t([0, 0, 0, 0.1, 0.5, 0.4], [2, 3]));
    expect(scalar(acc)).toBe(1);
  });

  it('softmax cross-entropy backward scales probs by the label sum: (p * sum(t) - t) / rows', () => {
    expect([...o.softmaxCrossEntropyBackward(t([1, 1], [1, 2]), t([0.25, 0.75], [1, 2]), false).dataSync()]).toEqual([-0.5, 0.5]);
  });
});

describe('optimizer steps with a large epsilon', () => {
  it('Adam adds epsilon to the root: w = 1 - 0.1 * 1 / (1 + 0.5)', () => {
    const w = t([1], [1]);
    const m = t([0], [1]);
    const v = t([0], [1]);
    o.adamUpdate(w, t([1], [1]), m, v, { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 0.5, weightDecay: 0, beta1Power: 0.9, beta2Power: 0.999 });
    expectClose(w.dataSync(), [1 - 0.1 / 1.5], F32);
  });

  it('centered RMSProp subtracts mg^2 + epsilon: denom = 0.5 - (0.25 + 0.1)', () => {
    const p = { learningRate: 0.1, rho: 0.5, momentum: 0, epsilon: 0.1, centered: true };
    const w = t([1], [1]);
    const mg = t([0], [1]);
    o.rmspropUpdate(w, t([1], [1]), t([0], [1]), t([0], [1]), mg, p);
    expectClose(w.dataSync(), [1 - 0.1 / Math.sqrt(0.15)], F32);
    expectClose(mg.dataSync(), [0.5], F32);
  });

  it('plain RMSProp ignores an mg slot it is handed: denom = ms + epsilon = 0.6', () => {
    const p = { learningRate: 0.1, rho: 0.5, momentum: 0, epsilon: 0.1, centered: false };
    const w = t([1], [1]);
    const mg = t([0], [1]);
    o.rmspropUpdate(w, t([1], [1]), t([0], [1]), t([0], [1]), mg, p);
    expectClose(w.dataSync(), [1 - 0.1 / Math.sqrt(0.6)], F32);
    expect([...mg.dataSync()]).toEqual([0]);
  });
});

describe('structure', () => {
  it('zero padding with four different pads, and its backward crops back', () => {
    const pads: [[number, number], [number, number]] = [[1, 2], [2, 1]];
    const y = o.zeroPad2d(t([5, 6], [1, 1, 2, 1]), pads);
    expect(y.shape).toEqual([1, 4, 5, 1]);
    expect([...y.dataSync()]).toEqual([0, 0, 0, 0, 0, 0, 0, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const dx = o.zeroPad2dBackward(y, pads);
    expect(dx.shape).toEqual([1, 1, 2, 1]);
    expect([...dx.dataSync()]).toEqual([5, 6]);
  });

  it('concat backward on rank 3 keeps the leading axes', () => {
    const [a, b] = o.concatBackward(t([1, 2, 3, 4, 5, 6], [1, 2, 3]), [1, 2]);
    expect([a.shape, [...a.dataSync()], b.shape, [...b.dataSync()]]).toEqual([[1, 2, 1], [1, 4], [1, 2, 2], [2, 3, 5, 6]]);
  });
});
