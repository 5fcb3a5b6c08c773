// The training step's non-finite guard: a [4] tensor [flag, batch, loss, 0]
// on the step's device. lossGuard sets it at the first NaN or infinite loss;
// every update that takes a guard (optimizers, moving averages, the epoch's
// sums) then skips its work, so nothing waits on a loss read inside a step.

import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectSameShape } from '../checks.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';
export { guardSet } from './cpu.js';
export { guardBinding } from './webgpu.js';

/** Elements of a guard tensor: flag, batch, loss, padding. */
export const GUARD_SIZE = 4;

/** A guard is a [4] tensor; name: the op, for the error. */
export function expectGuard(name: string, guard: Tensor | null | undefined): void {
  if (guard === null || guard === undefined) return;
  if (guard.rank !== 1 || guard.shape[0] !== GUARD_SIZE) throw new Error(`${name}: expected a guard of shape [${GUARD_SIZE}], got ${shapeToString(guard.shape)}`);
}

export const lossGuardKernel = defineKernel({
  name: 'lossGuard',
  check(loss: Tensor, guard: Tensor, batch: number) {
    if (loss.size !== 1) throw new Error(`lossGuard: expected a scalar loss, got shape ${shapeToString(loss.shape)}`);
    expectGuard('lossGuard', guard);
    if (!Number.isInteger(batch) || batch < 0 || batch >= 2 ** 24) throw new Error(`lossGuard: expected a batch index in [0, 2^24), got ${batch}`);
  },
  cpu: cpu.lossGuard,
  webgpu: gpu.lossGuard,
  wasm: wasm.lossGuard,
});

export const guardedAccumulateKernel = defineKernel({
  name: 'guardedAccumulate',
  check(sums: Tensor, value: Tensor, weight: number, guard: Tensor | null = null) {
    expectSameShape('guardedAccumulate', sums, 'sums', value, 'value');
    expectGuard('guardedAccumulate', guard);
    if (!Number.isFinite(weight)) throw new Error(`guardedAccumulate: expected a finite weight, got ${weight}`);
  },
  cpu: cpu.guardedAccumulate,
  webgpu: gpu.guardedAccumulate,
  wasm: wasm.guardedAccumulate,
});

/** In place on guard: at the first non-finite loss, [1, batch, loss, 0]; afterwards unchanged. */
export const lossGuard = op(lossGuardKernel);
/** In place on sums: sums += weight * value, skipped once the guard is set (null: never skipped). */
export const guardedAccumulate = op(guardedAccumulateKernel);
