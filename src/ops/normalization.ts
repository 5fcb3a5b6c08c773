// Public batch-normalization and dropout ops: validate, then run on the tensors' backend.

import type { BatchNormGrads, BatchNormTrainResult } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';
import { backendFor, expectSameShape } from './dispatch.js';

/** Per-channel parameters must be [c], c being x's last dimension. */
function expectChannels(op: string, x: Tensor, params: Record<string, Tensor>): void {
  if (x.rank < 1) throw new Error(`${op}: expected x of rank >= 1 (channels last), got a scalar`);
  const c = x.shape[x.rank - 1];
  for (const [name, t] of Object.entries(params)) {
    if (t.rank !== 1 || t.shape[0] !== c) {
      throw new Error(`${op}: expected ${name} of shape [${c}] (x's last dimension), got ${shapeToString(t.shape)}`);
    }
  }
}

function expectEpsilon(op: string, epsilon: number): void {
  if (!(Number.isFinite(epsilon) && epsilon >= 0)) throw new Error(`${op}: expected a finite epsilon >= 0, got ${epsilon}`);
}

/** Training-mode batch norm: normalizes with the batch's mean and biased variance. */
export function batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): BatchNormTrainResult {
  expectChannels('batchNormTrain', x, { gamma, beta });
  expectEpsilon('batchNormTrain', epsilon);
  return backendFor('batchNormTrain', x, gamma, beta).batchNormTrain(x, gamma, beta, epsilon);
}

export function batchNormInference(x: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVariance: Tensor, epsilon: number): Tensor {
  expectChannels('batchNormInference', x, { gamma, beta, movingMean, movingVariance });
  expectEpsilon('batchNormInference', epsilon);
  return backendFor('batchNormInference', x, gamma, beta, movingMean, movingVariance)
    .batchNormInference(x, gamma, beta, movingMean, movingVariance, epsilon);
}

export function batchNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): BatchNormGrads {
  expectSameShape('batchNormBackward', dy, 'dy', x, 'x');
  expectChannels('batchNormBackward', x, { gamma, mean, invStd });
  return backendFor('batchNormBackward', dy, x, gamma, mean, invStd).batchNormBackward(dy, x, gamma, mean, invStd);
}

/** In place: variable -= (variable - value) * (1 - momentum). */
export function movingAverageUpdate(variable: Tensor, value: Tensor, momentum: number): void {
  expectSameShape('movingAverageUpdate', variable, 'variable', value, 'value');
  if (!(momentum >= 0 && momentum <= 1)) throw new Error(`movingAverageUpdate: expected momentum in [0, 1], got ${momentum}`);
  backendFor('movingAverageUpdate', variable, value).movingAverageUpdate(variable, value, momentum);
}

function expectDropout(op: string, rate: number, seed: number): void {
  if (!(rate >= 0 && rate < 1)) throw new Error(`${op}: expected rate in [0, 1), got ${rate}`);
  if (!Number.isInteger(seed)) throw new Error(`${op}: expected an integer seed, got ${seed}`);
}

/** Keeps element i when its hashed draw for (seed, i) is >= rate; kept values are scaled by 1 / (1 - rate). */
export function dropout(x: Tensor, rate: number, seed: number): Tensor {
  expectDropout('dropout', rate, seed);
  return backendFor('dropout', x).dropout(x, rate, seed);
}

export function dropoutBackward(dy: Tensor, rate: number, seed: number): Tensor {
  expectDropout('dropoutBackward', rate, seed);
  return backendFor('dropoutBackward', dy).dropoutBackward(dy, rate, seed);
}
