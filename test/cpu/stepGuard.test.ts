// The training step's NaN guard kernels (src/kernels/stepGuard) on the CPU
// reference: lossGuard keeps the first bad batch and stays set; every update
// that takes the guard does nothing once it is set, and its normal step while
// it is clear.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { expectClose } from '../util/check.js';

const { lossGuard, guardedAccumulate, sgdUpdate, momentumUpdate, adamUpdate, rmspropUpdate, movingAverageUpdate } = wc.ops;
const vec = (...v: number[]): wc.Tensor => wc.tensor(v, [v.length]);
const TOL = { atol: 1e-6, rtol: 0 };

describe('lossGuard', () => {
  it('keeps the first non-finite loss with its batch, and ignores every later loss', () => {
    const guard = vec(0, 0, 0, 0);
    lossGuard(wc.scalar(0.5), guard, 0);
    expect([...guard.dataSync()]).toEqual([0, 0, 0, 0]);
    lossGuard(wc.scalar(Number.POSITIVE_INFINITY), guard, 3);
    expect([...guard.dataSync()]).toEqual([1, 3, Infinity, 0]);
    lossGuard(wc.scalar(Number.NaN), guard, 4);
    lossGuard(wc.scalar(0.25), guard, 5);
    expect([...guard.dataSync()]).toEqual([1, 3, Infinity, 0]);
    const fresh = vec(0, 0, 0, 0);
    lossGuard(wc.scalar(Number.NaN), fresh, 7);
    const [flag, batch, loss] = fresh.dataSync();
    expect([flag, batch, Number.isNaN(loss)]).toEqual([1, 7, true]);
  });

  it('rejects a guard of another shape, a loss that is not a scalar and a bad index', () => {
    expect(() => lossGuard(wc.scalar(1), vec(0, 0, 0), 0)).toThrow(/^lossGuard: expected a guard of shape \[4\], got \[3\]/);
    expect(() => lossGuard(vec(1, 2), vec(0, 0, 0, 0), 0)).toThrow(/^lossGuard: expected a scalar loss, got shape \[2\]/);
    expect(() => lossGuard(wc.scalar(1), vec(0, 0, 0, 0), -1)).toThrow(/^lossGuard: expected a batch index in \[0, 2\^24\), got -1/);
    expect(() => sgdUpdate(vec(1), vec(1), { learningRate: 0.1 }, vec(0, 0))).toThrow(/^sgdUpdate: expected a guard of shape \[4\], got \[2\]/);
  });
});

describe('guarded updates', () => {
  it('guardedAccumulate adds weight * value while the guard is clear, nothing once it is set, always without one', () => {
    const sums = vec(1, 2);
    const guard = vec(0, 0, 0, 0);
    guardedAccumulate(sums, vec(0.5, -1), 4, guard);
    expectClose(sums.dataSync(), [3, -2], TOL, 'clear');
    lossGuard(wc.scalar(Number.NaN), guard, 1);
    guardedAccumulate(sums, vec(0.5, -1), 4, guard);
    expectClose(sums.dataSync(), [3, -2], TOL, 'set');
    guardedAccumulate(sums, vec(0.5, -1), 2, null);
    expectClose(sums.dataSync(), [4, -4], TOL, 'unguarded');
  });

  it('every optimizer and the moving average skip their step once the guard is set, and step while it is clear', () => {
    const clear = vec(0, 0, 0, 0);
    const set = vec(1, 2, Number.NaN, 0);
    const adamP = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, beta1Power: 0.9, beta2Power: 0.999 };
    const rmsP = { learningRate: 0.01, rho: 0.9, momentum: 0.9, epsilon: 1e-7, centered: true };
    const run = (guard: wc.Tensor): number[][] => {
      const w = [vec(1), vec(1), vec(1), vec(1), vec(1)];
      const slots = [vec(0.1), vec(0), vec(0), vec(0), vec(0), vec(0)];
      sgdUpdate(w[0], vec(0.5), { learningRate: 0.1 }, guard);
      momentumUpdate(w[1], vec(0.5), slots[0], { learningRate: 0.1, momentum: 0.9, nesterov: false }, guard);
      adamUpdate(w[2], vec(0.5), slots[1], slots[2], adamP, guard);
      rmspropUpdate(w[3], vec(0.5), slots[3], slots[4], slots[5], rmsP, guard);
      movingAverageUpdate(w[4], vec(0), 0.99, guard);
      return [...w, ...slots].map((t) => [...t.dataSync()]);
    };
    // clear: the hand-worked first steps of test/cpu/optimizer.test.ts, and the moving average 1 - (1 - 0) * 0.01
    // weights sgd, momentum, adam, centered rmsprop, moving average; then accum, m, v, ms, mom, mg
    expectClose(run(clear).flat(), [0.95, 0.941, 0.990000002, 0.96666659, 0.99, 0.59, 0.05, 0.00025, 0.025, 0.03333341, 0.05], TOL, 'clear');
    // set: every tensor as it was
    expect(run(set).flat()).toEqual([1, 1, 1, 1, 1, Math.fround(0.1), 0, 0, 0, 0, 0]);
  });
});
