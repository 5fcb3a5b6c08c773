// Public activation ops: validate, then run on the tensors' backend.

import type { ActivationKind } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { backendFor, expectSameShape } from './dispatch.js';

export const ACTIVATION_KINDS: readonly ActivationKind[] = ['linear', 'relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh'];

function checkKind(op: string, kind: ActivationKind, alpha: number): void {
  if (!ACTIVATION_KINDS.includes(kind)) {
    throw new Error(`${op}: expected kind to be one of ${ACTIVATION_KINDS.map((k) => `'${k}'`).join(', ')}, got '${String(kind)}'`);
  }
  if (!Number.isFinite(alpha)) {
    throw new Error(`${op}: expected a finite alpha, got ${alpha}`);
  }
}

function checkRank(op: string, x: Tensor): void {
  if (x.rank < 1) throw new Error(`${op}: expected x of rank >= 1 (softmax runs over the last axis), got a scalar`);
}

/** y = f(x) element-wise; alpha is leakyRelu's slope or elu's scale (ignored by the others). */
export function activation(x: Tensor, kind: ActivationKind, alpha: number): Tensor {
  checkKind('activation', kind, alpha);
  return backendFor('activation', x).activation(x, kind, alpha);
}

export function activationBackward(dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): Tensor {
  checkKind('activationBackward', kind, alpha);
  expectSameShape('activationBackward', dy, 'dy', x, 'x');
  expectSameShape('activationBackward', x, 'x', y, 'y');
  return backendFor('activationBackward', dy, x, y).activationBackward(dy, x, y, kind, alpha);
}

/** Softmax over the last axis. */
export function softmax(x: Tensor): Tensor {
  checkRank('softmax', x);
  return backendFor('softmax', x).softmax(x);
}

export function softmaxBackward(dy: Tensor, y: Tensor): Tensor {
  checkRank('softmaxBackward', y);
  expectSameShape('softmaxBackward', dy, 'dy', y, 'y');
  return backendFor('softmaxBackward', dy, y).softmaxBackward(dy, y);
}
