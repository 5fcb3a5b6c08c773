// Element-wise activations and softmax over the last axis, with their backwards.

import type { ActivationKind } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { expectSameShape } from '../checks.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

export const ACTIVATION_KINDS: readonly ActivationKind[] = ['linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'sigmoid', 'tanh'];

function checkKind(name: string, kind: ActivationKind, alpha: number): void {
  if (!ACTIVATION_KINDS.includes(kind)) {
    throw new Error(`${name}: expected kind to be one of ${ACTIVATION_KINDS.map((k) => `'${k}'`).join(', ')}, got '${String(kind)}'`);
  }
  if (!Number.isFinite(alpha)) {
    throw new Error(`${name}: expected a finite alpha, got ${alpha}`);
  }
}

function checkRank(name: string, x: Tensor): void {
  if (x.rank < 1) throw new Error(`${name}: expected x of rank >= 1 (softmax runs over the last axis), got a scalar`);
}

export const activationKernel = defineKernel({
  name: 'activation',
  check(_x: Tensor, kind: ActivationKind, alpha: number) {
    checkKind('activation', kind, alpha);
  },
  cpu: cpu.activation,
  webgpu: gpu.activation,
  wasm: wasm.activation,
});

export const activationBackwardKernel = defineKernel({
  name: 'activationBackward',
  check(dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number) {
    checkKind('activationBackward', kind, alpha);
    expectSameShape('activationBackward', dy, 'dy', x, 'x');
    expectSameShape('activationBackward', x, 'x', y, 'y');
  },
  cpu: cpu.activationBackward,
  webgpu: gpu.activationBackward,
  wasm: wasm.activationBackward,
});

export const activationBiasBackwardKernel = defineKernel({
  name: 'activationBiasBackward',
  check(dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number) {
    checkKind('activationBiasBackward', kind, alpha);
    if (x.rank < 1) throw new Error('activationBiasBackward: expected x of rank >= 1 (channels last), got a scalar');
    expectSameShape('activationBiasBackward', dy, 'dy', x, 'x');
    expectSameShape('activationBiasBackward', x, 'x', y, 'y');
  },
  cpu: cpu.activationBiasBackward,
  webgpu: gpu.activationBiasBackward,
  wasm: wasm.activationBiasBackward,
});

export const softmaxKernel = defineKernel({
  name: 'softmax',
  check(x: Tensor) {
    checkRank('softmax', x);
  },
  cpu: cpu.softmax,
  webgpu: gpu.softmax,
  wasm: wasm.softmax,
});

export const softmaxBackwardKernel = defineKernel({
  name: 'softmaxBackward',
  check(dy: Tensor, y: Tensor) {
    checkRank('softmaxBackward', y);
    expectSameShape('softmaxBackward', dy, 'dy', y, 'y');
  },
  cpu: cpu.softmaxBackward,
  webgpu: gpu.softmaxBackward,
  wasm: wasm.softmaxBackward,
});

/** y = f(x) element-wise; alpha is leakyRelu's slope or elu's scale (ignored by the others). */
export const activation = op(activationKernel);
/** Gets both x and y = activation(x): relu/leakyRelu/elu read x, sigmoid/tanh read y. */
export const activationBackward = op(activationBackwardKernel);
/** A layer's activation backward and its bias gradient in one pass: { dz: activationBackward(...), db: biasAddBackward(dz) }. */
export const activationBiasBackward = op(activationBiasBackwardKernel);
/** Softmax over the last axis, max-subtracted for stability. */
export const softmax = op(softmaxKernel);
/** dx = y * (dy - sum(dy * y)) over the last axis. */
export const softmaxBackward = op(softmaxBackwardKernel);
