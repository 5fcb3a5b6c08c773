// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';
import type { LossKind, MetricKind } from '../types.js';

export function loss(_kind: LossKind, _yTrue: Tensor, _yPred: Tensor): Tensor {
  throw new Error('cpu.loss: not implemented yet');
}

export function lossBackward(_kind: LossKind, _yTrue: Tensor, _yPred: Tensor): Tensor {
  throw new Error('cpu.lossBackward: not implemented yet');
}

export function softmaxCrossEntropyBackward(_yTrue: Tensor, _probs: Tensor, _sparse: boolean): Tensor {
  throw new Error('cpu.softmaxCrossEntropyBackward: not implemented yet');
}

export function metric(_kind: MetricKind, _yTrue: Tensor, _yPred: Tensor): Tensor {
  throw new Error('cpu.metric: not implemented yet');
}

export function penalty(_w: Tensor, _l1: number, _l2: number): Tensor {
  throw new Error('cpu.penalty: not implemented yet');
}

export function penaltyBackward(_w: Tensor, _l1: number, _l2: number): Tensor {
  throw new Error('cpu.penaltyBackward: not implemented yet');
}
