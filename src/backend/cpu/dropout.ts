// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';

export function dropout(_x: Tensor, _rate: number, _seed: number): Tensor {
  throw new Error('cpu.dropout: not implemented yet');
}

export function dropoutBackward(_dy: Tensor, _rate: number, _seed: number): Tensor {
  throw new Error('cpu.dropoutBackward: not implemented yet');
}
