// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';
import type { Conv2dParams, Shape } from '../types.js';

export function conv2d(_x: Tensor, _w: Tensor, _bias: Tensor | null, _p: Conv2dParams): Tensor {
  throw new Error('cpu.conv2d: not implemented yet');
}

export function conv2dBackwardInput(_dy: Tensor, _w: Tensor, _xShape: Shape, _p: Conv2dParams): Tensor {
  throw new Error('cpu.conv2dBackwardInput: not implemented yet');
}

export function conv2dBackwardFilter(_x: Tensor, _dy: Tensor, _wShape: Shape, _p: Conv2dParams): Tensor {
  throw new Error('cpu.conv2dBackwardFilter: not implemented yet');
}
