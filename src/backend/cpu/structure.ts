// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';
import type { ExplicitPadding } from '../types.js';

export function zeroPad2d(_x: Tensor, _pads: ExplicitPadding): Tensor {
  throw new Error('cpu.zeroPad2d: not implemented yet');
}

export function zeroPad2dBackward(_dy: Tensor, _pads: ExplicitPadding): Tensor {
  throw new Error('cpu.zeroPad2dBackward: not implemented yet');
}

export function add(_a: Tensor, _b: Tensor): Tensor {
  throw new Error('cpu.add: not implemented yet');
}

export function scale(_x: Tensor, _s: number): Tensor {
  throw new Error('cpu.scale: not implemented yet');
}

export function concat(_xs: readonly Tensor[]): Tensor {
  throw new Error('cpu.concat: not implemented yet');
}

export function concatBackward(_dy: Tensor, _sizes: readonly number[]): Tensor[] {
  throw new Error('cpu.concatBackward: not implemented yet');
}

export function gatherRows(_x: Tensor, _indices: Int32Array): Tensor {
  throw new Error('cpu.gatherRows: not implemented yet');
}

export function sum(_x: Tensor): Tensor {
  throw new Error('cpu.sum: not implemented yet');
}
