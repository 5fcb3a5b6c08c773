// Batch normalization over n, h, w per channel (the last axis): training,
// inference, the backward, and the moving-statistics update.

import type { BatchNormTrainResult } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectSameShape } from '../checks.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';
import { expectGuard } from '../stepGuard/index.js';

export { pipelines } from './webgpu.js';

/** Per-channel parameters must be [c], c being x's last dimension. */
function expectChannels(name: string, x: Tensor, params: Record<string, Tensor>): void {
  if (x.rank < 1) throw new Error(`${name}: expected x of rank >= 1 (channels last), got a scalar`);
  const c = x.shape[x.rank - 1];
  for (const [key, t] of Object.entries(params)) {
    if (t.rank !== 1 || t.shape[0] !== c) {
      throw new Error(`${name}: expected ${key} of shape [${c}] (x's last dimension), got ${shapeToString(t.shape)}`);
    }
  }
}

function expectEpsilon(name: string, epsilon: number): void {
  if (!(Number.isFinite(epsilon) && epsilon >= 0)) throw new Error(`${name}: expected a finite epsilon >= 0, got ${epsilon}`);
}

export const batchNormTrainKernel = defineKernel({
  name: 'batchNormTrain',
  check(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number) {
    expectChannels('batchNormTrain', x, { gamma, beta });
    expectEpsilon('batchNormTrain', epsilon);
  },
  cpu: cpu.batchNormTrain,
  webgpu: gpu.batchNormTrain,
  wasm: wasm.batchNormTrain,
});

export const batchNormInferenceKernel = defineKernel({
  name: 'batchNormInference',
  check(x: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVariance: Tensor, epsilon: number) {
    expectChannels('batchNormInference', x, { gamma, beta, movingMean, movingVariance });
    expectEpsilon('batchNormInference', epsilon);
  },
  cpu: cpu.batchNormInference,
  webgpu: gpu.batchNormInference,
  wasm: wasm.batchNormInference,
});

export const batchNormBackwardKernel = defineKernel({
  name: 'batchNormBackward',
  check(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor) {
    expectSameShape('batchNormBackward', dy, 'dy', x, 'x');
    expectChannels('batchNormBackward', x, { gamma, mean, invStd });
  },
  cpu: cpu.batchNormBackward,
  webgpu: gpu.batchNormBackward,
  wasm: wasm.batchNormBackward,
});

export const movingAverageUpdateKernel = defineKernel({
  name: 'movingAverageUpdate',
  check(variable: Tensor, value: Tensor, momentum: number, guard: Tensor | null = null) {
    expectSameShape('movingAverageUpdate', variable, 'variable', value, 'value');
    expectGuard('movingAverageUpdate', guard);
    if (!(momentum >= 0 && momentum <= 1)) throw new Error(`movingAverageUpdate: expected momentum in [0, 1], got ${momentum}`);
  },
  cpu: cpu.movingAverageUpdate,
  webgpu: gpu.movingAverageUpdate,
  wasm: wasm.movingAverageUpdate,
});

/** Training-mode batch norm: normalizes with the batch's mean and biased variance. */
export const batchNormTrain: (x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number) => BatchNormTrainResult = op(batchNormTrainKernel);
export const batchNormInference = op(batchNormInferenceKernel);
/** Uses the mean and invStd that batchNormTrain saved. */
export const batchNormBackward = op(batchNormBackwardKernel);
/** In place: variable -= (variable - value) * (1 - momentum), TF.js's moving-average update; nothing once an optional guard is set. */
export const movingAverageUpdate = op(movingAverageUpdateKernel);
