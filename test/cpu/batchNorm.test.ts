import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { dot, expectClose, numericGradient, randomValues } from '../util/check.js';

const { batchNormTrain, batchNormInference, batchNormBackward, movingAverageUpdate } = wc.ops;

// Float32 storage of float64 math: 1e-6 relative.
const F32 = { atol: 1e-6, rtol: 1e-6 };
// Finite differences (eps 1e-2) through a normalization whose statistics move with x:
// float32 rounding of L over 2*eps plus O(eps^2) curvature terms, about 1e-3.
const FD = { atol: 3e-3, rtol: 3e-3 };

describe('batch normalization (cpu)', () => {
  it('normalizes each channel with the batch mean and biased variance, by hand', () => {
    // channel 0: [1, 3, 5, 7] mean 4, var (9+1+1+9)/4 = 5; channel 1: [2, 2, 2, 2] mean 2, var 0
    const x = wc.tensor([1, 2, 3, 2, 5, 2, 7, 2], [2, 2, 1, 2]);
    const { y, mean, variance, invStd } = batchNormTrain(x, wc.tensor([2, 1], [2]), wc.tensor([0.5, -1], [2]), 1e-3);
    expectClose(mean.dataSync(), [4, 2], F32, 'mean');
    expectClose(variance.dataSync(), [5, 0], F32, 'variance');
    const s0 = 1 / Math.sqrt(5.001);
    const s1 = 1 / Math.sqrt(0.001);
    expectClose(invStd.dataSync(), [s0, s1], F32, 'invStd');
    // y = 2 * (x - 4) * s0 + 0.5 for channel 0; channel 1 is constant, so y = beta = -1.
    expectClose(y.dataSync(), [-6 * s0 + 0.5, -1, -2 * s0 + 0.5, -1, 2 * s0 + 0.5, -1, 6 * s0 + 0.5, -1], F32, 'y');
    expect(y.shape).toEqual([2, 2, 1, 2]);
  });

  it('inference uses the moving statistics', () => {
    const x = wc.tensor([1, 2, 3, 4], [2, 2]);
    const y = batchNormInference(x, wc.tensor([1, 2], [2]), wc.tensor([0, 1], [2]), wc.tensor([1, 0], [2]), wc.tensor([4, 1], [2]), 0);
    // channel 0: (x - 1) / 2; channel 1: 2 * x + 1
    expectClose(y.dataSync(), [0, 5, 1, 9], F32, 'y');
  });

  it('inference adds epsilon to the moving variance inside the square root', () => {
    // (x - mean) / sqrt(var + eps) * gamma + beta: channel 0 sqrt(0.75 + 0.25) = 1, channel 1 sqrt(0.39 + 0.25) = 0.8
    const x = wc.tensor([3, 1, -1, -3], [2, 2]);
    const y = batchNormInference(x, wc.tensor([1, 2], [2]), wc.tensor([0, -1], [2]), wc.tensor([1, 1], [2]), wc.tensor([0.75, 0.39], [2]), 0.25);
    expectClose(y.dataSync(), [2, -1, -2, -11], F32, 'y');
  });

  it('moving averages follow TF.js: v -= (v - value) * (1 - momentum)', () => {
    const x = wc.tensor([1, 2, 3, 2, 5, 2, 7, 2], [4, 2]);
    const { mean, variance } = batchNormTrain(x, wc.tensor([1, 1], [2]), wc.tensor([0, 0], [2]), 1e-3);
    const movingMean = wc.tensor([0, 0], [2]);
    const movingVariance = wc.tensor([1, 1], [2]);
    movingAverageUpdate(movingMean, mean, 0.99);
    movingAverageUpdate(movingVariance, variance, 0.99);
    // mean [4, 2]: 0 - (0 - 4) * 0.01 = 0.04, 0.02; variance [5, 0]: 1 - (1 - 5) * 0.01 = 1.04, 0.99
    expectClose(movingMean.dataSync(), [0.04, 0.02], F32, 'movingMean');
    expectClose(movingVariance.dataSync(), [1.04, 0.99], F32, 'movingVariance');
    movingAverageUpdate(movingMean, mean, 0.99);
    // 0.04 - (0.04 - 4) * 0.01 = 0.0796
    expectClose(movingMean.dataSync(), [0.0796, 0.0398], F32, 'second step');
  });

  it('backward (dx, dGamma, dBeta) matches finite differences of L = dot(y, r), batch stats included', () => {
    const shape = [3, 2, 2, 3];
    const xv = randomValues(36, 21, -2, 2);
    const gv = randomValues(3, 22, 0.5, 1.5);
    const bv = randomValues(3, 23);
    const r = randomValues(36, 24);
    const eps = 1e-3;
    const L = (xp: Float32Array, gp: Float32Array, bp: Float32Array): number =>
      dot(batchNormTrain(wc.tensor(xp, shape), wc.tensor(gp, [3]), wc.tensor(bp, [3]), eps).y.dataSync(), r);
    const x = wc.tensor(xv, shape);
    const gamma = wc.tensor(gv, [3]);
    const { mean, invStd } = batchNormTrain(x, gamma, wc.tensor(bv, [3]), eps);
    const { dx, dGamma, dBeta } = batchNormBackward(wc.tensor(r, shape), x, gamma, mean, invStd);
    expectClose(dx.dataSync(), numericGradient((p) => L(p, gv, bv), xv), FD, 'dx');
    expectClose(dGamma.dataSync(), numericGradient((p) => L(xv, p, bv), gv), FD, 'dGamma');
    expectClose(dBeta.dataSync(), numericGradient((p) => L(xv, gv, p), bv), FD, 'dBeta');
  });

  it('rejects parameters of the wrong size, naming the op', () => {
    const x = wc.tensor(new Float32Array(12), [2, 2, 3]);
    const c3 = wc.tensor([1, 1, 1], [3]);
    expect(() => batchNormTrain(x, wc.tensor([1, 1], [2]), c3, 1e-3)).toThrow(
      /batchNormTrain: expected gamma of shape \[3\] \(x's last dimension\), got \[2\]/);
    expect(() => batchNormInference(x, c3, c3, c3, wc.tensor([1, 1, 1, 1], [4]), 1e-3)).toThrow(
      /batchNormInference: expected movingVariance of shape \[3\]/);
    expect(() => batchNormBackward(wc.tensor(new Float32Array(12), [4, 3]), x, c3, c3, c3)).toThrow(
      /batchNormBackward: dy and x must have the same shape, got \[4, 3\] and \[2, 2, 3\]/);
    expect(() => movingAverageUpdate(c3, c3, 1.5)).toThrow(/movingAverageUpdate: expected momentum in \[0, 1\], got 1.5/);
    expect(() => batchNormTrain(x, c3, c3, -1)).toThrow(/batchNormTrain: expected a finite epsilon >= 0, got -1/);
  });
});
