// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';
import type { BatchNormGrads, BatchNormTrainResult } from '../types.js';

export function batchNormTrain(_x: Tensor, _gamma: Tensor, _beta: Tensor, _epsilon: number): BatchNormTrainResult {
  throw new Error('cpu.batchNormTrain: not implemented yet');
}

export function batchNormBackward(_dy: Tensor, _x: Tensor, _gamma: Tensor, _mean: Tensor, _invStd: Tensor): BatchNormGrads {
  throw new Error('cpu.batchNormBackward: not implemented yet');
}

export function movingAverageUpdate(_variable: Tensor, _value: Tensor, _momentum: number): void {
  throw new Error('cpu.movingAverageUpdate: not implemented yet');
}

export function batchNormInference(_x: Tensor, _gamma: Tensor, _beta: Tensor, _movingMean: Tensor, _movingVariance: Tensor, _epsilon: number): Tensor {
  throw new Error('cpu.batchNormInference: not implemented yet');
}
