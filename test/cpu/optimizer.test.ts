import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { AdamParams } from '../../src/index.js';
import { expectClose } from '../util/check.js';

const { sgdUpdate, momentumUpdate, adamUpdate, rmspropUpdate } = wc.ops;

// Weights near 1 stored in float32 (ulp 6e-8) after a few roundings of the
// slots: 1e-6 absolute is well above that and well below any formula slip.
const TOL = { atol: 1e-6, rtol: 0 };

const vec = (...v: number[]): wc.Tensor => wc.tensor(v, [v.length]);

describe('optimizer steps (cpu), one hand-worked step each', () => {
  it('sgd: w -= lr * g', () => {
    const w = vec(1, -2);
    sgdUpdate(w, vec(0.5, 0.25), { learningRate: 0.1 });
    // 1 - 0.05, -2 - 0.025
    expectClose(w.dataSync(), [0.95, -2.025], TOL, 'w');
  });

  it('momentum: accum = m * accum + g; w -= lr * accum', () => {
    const w = vec(1, -2);
    const accum = vec(0.1, 0);
    momentumUpdate(w, vec(0.5, 0.25), accum, { learningRate: 0.1, momentum: 0.9, nesterov: false });
    // accum = [0.09 + 0.5, 0 + 0.25] = [0.59, 0.25]; w = [1 - 0.059, -2 - 0.025]
    expectClose(accum.dataSync(), [0.59, 0.25], TOL, 'accum');
    expectClose(w.dataSync(), [0.941, -2.025], TOL, 'w');
  });

  it('nesterov: w -= lr * (g + m * accum) with the new accum', () => {
    const w = vec(1, -2);
    const accum = vec(0.1, 0);
    momentumUpdate(w, vec(0.5, 0.25), accum, { learningRate: 0.1, momentum: 0.9, nesterov: true });
    // w = [1 - 0.1 * (0.5 + 0.9 * 0.59), -2 - 0.1 * (0.25 + 0.9 * 0.25)] = [1 - 0.1031, -2 - 0.0475]
    expectClose(w.dataSync(), [0.8969, -2.0475], TOL, 'w');
  });

  const adam = (step: number, weightDecay = 0): AdamParams => ({
    learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay, beta1Power: 0.9 ** step, beta2Power: 0.999 ** step,
  });

  it('adam steps 1 and 2, with bias correction', () => {
    const w = vec(1);
    const m = vec(0);
    const v = vec(0);
    adamUpdate(w, vec(0.5), m, v, adam(1));
    // m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 0.00025; mhat = 0.05 / 0.1 = 0.5, vhat = 0.00025 / 0.001 = 0.25
    // w = 1 - 0.01 * 0.5 / (sqrt(0.25) + 1e-7) = 0.990000002
    expectClose(m.dataSync(), [0.05], TOL, 'm1');
    expectClose(v.dataSync(), [0.00025], { atol: 1e-9, rtol: 0 }, 'v1');
    expectClose(w.dataSync(), [0.990000002], TOL, 'w1');
    adamUpdate(w, vec(-0.25), m, v, adam(2));
    // m = 0.045 - 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225
    // mhat = 0.02 / 0.19 = 0.10526316, vhat = 0.00031225 / 0.001999 = 0.15620310, sqrt 0.39522538
    // w = 0.990000002 - 0.01 * 0.10526316 / 0.39522548 = 0.98733663
    expectClose(m.dataSync(), [0.02], TOL, 'm2');
    expectClose(v.dataSync(), [0.00031225], { atol: 1e-9, rtol: 0 }, 'v2');
    expectClose(w.dataSync(), [0.98733663], TOL, 'w2');
  });

  it('adamW decays the weight before the adam step: w -= lr * weightDecay * w', () => {
    const w = vec(1);
    adamUpdate(w, vec(0.5), vec(0), vec(0), adam(1, 0.1));
    // 1 - 0.01 * 0.1 * 1 = 0.999, then the same adam step as above: 0.999 - 0.009999998
    expectClose(w.dataSync(), [0.989000002], TOL, 'w');
  });

  it('rmsprop, plain: epsilon inside the square root, momentum carried', () => {
    const w = vec(1);
    const ms = vec(0);
    const mom = vec(0);
    const p = { learningRate: 0.01, rho: 0.9, momentum: 0.9, epsilon: 1e-7, centered: false };
    rmspropUpdate(w, vec(0.5), ms, mom, null, p);
    // ms = 0.1 * 0.25 = 0.025; mom = 0.01 * 0.5 / sqrt(0.0250001) = 0.03162271; w = 0.96837729
    expectClose(ms.dataSync(), [0.025], TOL, 'ms1');
    expectClose(mom.dataSync(), [0.03162271], TOL, 'mom1');
    expectClose(w.dataSync(), [0.96837729], TOL, 'w1');
    rmspropUpdate(w, vec(-0.25), ms, mom, null, p);
    // ms = 0.0225 + 0.00625 = 0.02875; mom = 0.9 * 0.03162271 - 0.0025 / sqrt(0.0287501) = 0.01371627
    // w = 0.96837729 - 0.01371627 = 0.95466101
    expectClose(ms.dataSync(), [0.02875], TOL, 'ms2');
    expectClose(mom.dataSync(), [0.01371627], TOL, 'mom2');
    expectClose(w.dataSync(), [0.95466101], TOL, 'w2');
  });

  it('rmsprop, centered: sqrt(ms - (mg^2 + epsilon)) as TF.js computes it', () => {
    const w = vec(1);
    const mg = vec(0);
    rmspropUpdate(w, vec(0.5), vec(0), vec(0), mg, { learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: true });
    // ms = 0.025, mg = 0.05; mom = 0.005 / sqrt(0.025 - 0.0025 - 1e-7) = 0.005 / 0.14999967 = 0.03333341
    expectClose(mg.dataSync(), [0.05], TOL, 'mg');
    expectClose(w.dataSync(), [0.96666659], TOL, 'w');
  });

  it('rejects mismatched slots and bad parameters, naming the op', () => {
    const w = vec(1, 2);
    expect(() => sgdUpdate(w, vec(1), { learningRate: 0.1 })).toThrow(/sgdUpdate: w and g must have the same shape, got \[2\] and \[1\]/);
    expect(() => momentumUpdate(w, w, vec(1, 2, 3), { learningRate: 0.1, momentum: 0.9, nesterov: false })).toThrow(
      /momentumUpdate: w and accum must have the same shape/);
    expect(() => adamUpdate(w, w, vec(0, 0), vec(0, 0), { ...adam(1), beta1: 1 })).toThrow(/adamUpdate: expected beta1 in \[0, 1\), got 1/);
    expect(() => sgdUpdate(w, w, { learningRate: NaN })).toThrow(/sgdUpdate: expected a finite learningRate, got NaN/);
    expect(() => rmspropUpdate(w, w, vec(0, 0), vec(0, 0), null, { learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: true })).toThrow(
      /rmspropUpdate: expected an mg slot/);
  });
});
