// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';
import type { ActivationKind } from '../types.js';

export function activation(_x: Tensor, _kind: ActivationKind, _alpha: number): Tensor {
  throw new Error('cpu.activation: not implemented yet');
}

export function activationBackward(_dy: Tensor, _x: Tensor, _y: Tensor, _kind: ActivationKind, _alpha: number): Tensor {
  throw new Error('cpu.activationBackward: not implemented yet');
}

export function softmax(_x: Tensor): Tensor {
  throw new Error('cpu.softmax: not implemented yet');
}

export function softmaxBackward(_dy: Tensor, _y: Tensor): Tensor {
  throw new Error('cpu.softmaxBackward: not implemented yet');
}
