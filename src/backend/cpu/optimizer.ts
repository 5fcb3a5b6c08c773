// STUB: replaced by the real kernels.
import type { Tensor } from '../../tensor.js';
import type { AdamParams, MomentumParams, RmspropParams, SgdParams } from '../types.js';

export function sgdUpdate(_w: Tensor, _g: Tensor, _p: SgdParams): void {
  throw new Error('cpu.sgdUpdate: not implemented yet');
}

export function momentumUpdate(_w: Tensor, _g: Tensor, _accum: Tensor, _p: MomentumParams): void {
  throw new Error('cpu.momentumUpdate: not implemented yet');
}

export function adamUpdate(_w: Tensor, _g: Tensor, _m: Tensor, _v: Tensor, _p: AdamParams): void {
  throw new Error('cpu.adamUpdate: not implemented yet');
}

export function rmspropUpdate(_w: Tensor, _g: Tensor, _ms: Tensor, _mom: Tensor, _mg: Tensor | null, _p: RmspropParams): void {
  throw new Error('cpu.rmspropUpdate: not implemented yet');
}
