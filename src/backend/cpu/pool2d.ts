// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';
import type { Pool2dParams, Shape } from '../types.js';

export function maxPool2d(_x: Tensor, _p: Pool2dParams): Tensor {
  throw new Error('cpu.maxPool2d: not implemented yet');
}

export function maxPool2dBackward(_dy: Tensor, _x: Tensor, _p: Pool2dParams): Tensor {
  throw new Error('cpu.maxPool2dBackward: not implemented yet');
}

export function avgPool2d(_x: Tensor, _p: Pool2dParams): Tensor {
  throw new Error('cpu.avgPool2d: not implemented yet');
}

export function avgPool2dBackward(_dy: Tensor, _xShape: Shape, _p: Pool2dParams): Tensor {
  throw new Error('cpu.avgPool2dBackward: not implemented yet');
}
