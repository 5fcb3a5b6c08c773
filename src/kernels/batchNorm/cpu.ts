// CPU reference: batch normalization over every axis but the last (n, h, w per
// channel c), as TF.js's BatchNormalization layer with axis -1 does.
//
// Legend: x is viewed as [rows, c] where rows = n*h*w; statistics are per c.
// TF.js takes the biased variance from tf.moments and normalizes with
// (x - mean) * rsqrt(variance + epsilon) * gamma + beta.

import type { Tensor } from '../../tensor.js';
import type { BatchNormGrads, BatchNormTrainResult } from '../../backend/types.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import { guardSet } from '../stepGuard/cpu.js';

/**
 * x [..., c], gamma [c], beta [c] -> y [..., c], mean [c], variance [c], invStd [c].
 * Two passes (mean, then squared deviations) so the variance does not lose
 * precision to cancellation the way E[x^2] - E[x]^2 would.
 */
export function batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): BatchNormTrainResult {
  const xv = vals(x);
  const c = x.shape[x.rank - 1];
  const rows = c === 0 ? 0 : xv.length / c;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let r = 0; r < rows; r++) for (let k = 0; k < c; k++) mean[k] += xv[r * c + k];
  for (let k = 0; k < c; k++) mean[k] /= rows;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < c; k++) {
      const d = xv[r * c + k] - mean[k];
      variance[k] += d * d;
    }
  }
  const invStd = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    variance[k] /= rows;
    invStd[k] = 1 / Math.sqrt(variance[k] + epsilon);
  }
  const y = normalize(xv, c, vals(gamma), vals(beta), mean, invStd);
  return {
    y: cpuTensor(y, x.shape),
    mean: cpuTensor(Float32Array.from(mean), [c]),
    variance: cpuTensor(Float32Array.from(variance), [c]),
    invStd: cpuTensor(Float32Array.from(invStd), [c]),
  };
}

/**
 * dy [..., c] -> dx [..., c], dGamma [c], dBeta [c].
 * Saved by the forward: mean and invStd (x is passed again to rebuild xhat).
 * The batch statistics depend on x, so dx has three terms, as in llm.c's
 * layernorm_backward, with dxhat = dy * gamma and means taken over the rows:
 *   dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
 */
export function batchNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): BatchNormGrads {
  const dyv = vals(dy);
  const xv = vals(x);
  const gv = vals(gamma);
  const mv = vals(mean);
  const sv = vals(invStd);
  const c = x.shape[x.rank - 1];
  const rows = c === 0 ? 0 : xv.length / c;
  const dGamma = new Float64Array(c);
  const dBeta = new Float64Array(c);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < c; k++) {
      const i = r * c + k;
      const xhat = (xv[i] - mv[k]) * sv[k];
      dBeta[k] += dyv[i];
      dGamma[k] += dyv[i] * xhat;
    }
  }
  // mean(dxhat) = gamma * dBeta / rows and mean(dxhat * xhat) = gamma * dGamma / rows.
  const dxhatMean = new Float64Array(c);
  const dxhatXhatMean = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    dxhatMean[k] = (gv[k] * dBeta[k]) / rows;
    dxhatXhatMean[k] = (gv[k] * dGamma[k]) / rows;
  }
  const dx = new Float32Array(xv.length);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < c; k++) {
      const i = r * c + k;
      const xhat = (xv[i] - mv[k]) * sv[k];
      let dval = 0;
      dval += dyv[i] * gv[k]; // term 1: through xhat directly
      dval -= dxhatMean[k]; // term 2: through the mean
      dval -= xhat * dxhatXhatMean[k]; // term 3: through the variance
      dx[i] = dval * sv[k]; // final scale by invStd
    }
  }
  return {
    dx: cpuTensor(dx, x.shape),
    dGamma: cpuTensor(Float32Array.from(dGamma), [c]),
    dBeta: cpuTensor(Float32Array.from(dBeta), [c]),
  };
}

/** Inference uses the moving statistics, so nothing is saved and there is no backward here. */
export function batchNormInference(
  x: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVariance: Tensor, epsilon: number,
): Tensor {
  const c = x.shape[x.rank - 1];
  const mv = vals(movingMean);
  const vv = vals(movingVariance);
  const invStd = new Float64Array(c);
  for (let k = 0; k < c; k++) invStd[k] = 1 / Math.sqrt(vv[k] + epsilon);
  return cpuTensor(normalize(vals(x), c, vals(gamma), vals(beta), Float64Array.from(mv), invStd), x.shape);
}

/** y = gamma * (x - mean) * invStd + beta, per channel. */
function normalize(xv: Float32Array, c: number, gamma: Float32Array, beta: Float32Array, mean: Float64Array, invStd: Float64Array): Float32Array {
  const y = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) {
    const k = i % c;
    y[i] = gamma[k] * (xv[i] - mean[k]) * invStd[k] + beta[k];
  }
  return y;
}

/** In place: v -= (v - value) * (1 - momentum), TF.js's doMovingAverage; nothing once the guard is set. */
export function movingAverageUpdate(variable: Tensor, value: Tensor, momentum: number, guard: Tensor | null = null): void {
  if (guardSet(guard)) return;
  const v = vals(variable);
  const u = vals(value);
  const decay = 1 - momentum;
  for (let i = 0; i < v.length; i++) v[i] = v[i] - (v[i] - u[i]) * decay;
}
