// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';
import type { LocallyConnected2dParams, Shape } from '../types.js';

export function locallyConnected2d(_x: Tensor, _w: Tensor, _bias: Tensor | null, _p: LocallyConnected2dParams): Tensor {
  throw new Error('cpu.locallyConnected2d: not implemented yet');
}

export function locallyConnected2dBackwardInput(_dy: Tensor, _w: Tensor, _xShape: Shape, _p: LocallyConnected2dParams): Tensor {
  throw new Error('cpu.locallyConnected2dBackwardInput: not implemented yet');
}

export function locallyConnected2dBackwardFilter(_x: Tensor, _dy: Tensor, _wShape: Shape, _p: LocallyConnected2dParams): Tensor {
  throw new Error('cpu.locallyConnected2dBackwardFilter: not implemented yet');
}
