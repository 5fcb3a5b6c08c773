// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';

export function matmul(_a: Tensor, _b: Tensor, _transposeA: boolean, _transposeB: boolean): Tensor {
  throw new Error('cpu.matmul: not implemented yet');
}

export function biasAdd(_x: Tensor, _b: Tensor): Tensor {
  throw new Error('cpu.biasAdd: not implemented yet');
}

export function biasAddBackward(_dy: Tensor): Tensor {
  throw new Error('cpu.biasAddBackward: not implemented yet');
}
