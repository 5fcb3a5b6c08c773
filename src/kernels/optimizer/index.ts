// Optimizer updates, in place on the weight and its slots, so weights never
// leave the device during training. An optional last guard (src/kernels/stepGuard)
// turns an update into nothing once a training step's loss was NaN or infinite.

import type { AdamParams, MomentumParams, RmspropParams, SgdParams } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { expectSameShape } from '../checks.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';
import { expectGuard } from '../stepGuard/index.js';

export { pipelines } from './webgpu.js';

function expectSlots(name: string, w: Tensor, tensors: Record<string, Tensor>): void {
  for (const [slot, t] of Object.entries(tensors)) expectSameShape(name, w, 'w', t, slot);
}

function expectFinite(name: string, params: object): void {
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${name}: expected a finite ${key}, got ${value}`);
  }
}

function expectRate(name: string, key: string, value: number, hiInclusive: boolean): void {
  if (!(value >= 0 && (hiInclusive ? value <= 1 : value < 1))) {
    throw new Error(`${name}: expected ${key} in [0, 1${hiInclusive ? ']' : ')'}, got ${value}`);
  }
}

export const sgdUpdateKernel = defineKernel({
  name: 'sgdUpdate',
  check(w: Tensor, g: Tensor, p: SgdParams, guard: Tensor | null = null) {
    expectGuard('sgdUpdate', guard);
    expectSlots('sgdUpdate', w, { g });
    expectFinite('sgdUpdate', p);
  },
  cpu: cpu.sgdUpdate,
  webgpu: gpu.sgdUpdate, wasm: wasm.sgdUpdate,
});

export const momentumUpdateKernel = defineKernel({
  name: 'momentumUpdate',
  check(w: Tensor, g: Tensor, accum: Tensor, p: MomentumParams, guard: Tensor | null = null) {
    expectGuard('momentumUpdate', guard);
    expectSlots('momentumUpdate', w, { g, accum });
    expectFinite('momentumUpdate', p);
  },
  cpu: cpu.momentumUpdate,
  webgpu: gpu.momentumUpdate, wasm: wasm.momentumUpdate,
});

export const adamUpdateKernel = defineKernel({
  name: 'adamUpdate',
  check(w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams, guard: Tensor | null = null) {
    expectGuard('adamUpdate', guard);
    expectSlots('adamUpdate', w, { g, m, v });
    expectFinite('adamUpdate', p);
    expectRate('adamUpdate', 'beta1', p.beta1, false);
    expectRate('adamUpdate', 'beta2', p.beta2, false);
    // beta^t < 1 for t >= 1, so the bias corrections never divide by zero.
    expectRate('adamUpdate', 'beta1Power', p.beta1Power, false);
    expectRate('adamUpdate', 'beta2Power', p.beta2Power, false);
  },
  cpu: cpu.adamUpdate,
  webgpu: gpu.adamUpdate, wasm: wasm.adamUpdate,
});

export const rmspropUpdateKernel = defineKernel({
  name: 'rmspropUpdate',
  check(w: Tensor, g: Tensor, ms: Tensor, mom: Tensor, mg: Tensor | null, p: RmspropParams, guard: Tensor | null = null) {
    expectGuard('rmspropUpdate', guard);
    expectSlots('rmspropUpdate', w, mg ? { g, ms, mom, mg } : { g, ms, mom });
    expectFinite('rmspropUpdate', p);
    expectRate('rmspropUpdate', 'rho', p.rho, true);
    if (p.centered && !mg) throw new Error('rmspropUpdate: expected an mg slot (mean gradient) for centered RMSprop, got null');
  },
  cpu: cpu.rmspropUpdate,
  webgpu: gpu.rmspropUpdate, wasm: wasm.rmspropUpdate,
});

/** In place: w -= lr * g. */
export const sgdUpdate = op(sgdUpdateKernel);
/** In place on w and accum (TF.js MomentumOptimizer, optionally Nesterov). */
export const momentumUpdate = op(momentumUpdateKernel);
/** In place on w, m and v (TF.js AdamOptimizer, plus AdamW's decoupled weight decay). */
export const adamUpdate = op(adamUpdateKernel);
/** In place on w, ms, mom (and mg when centered: TF.js RMSPropOptimizer). */
export const rmspropUpdate = op(rmspropUpdateKernel);
