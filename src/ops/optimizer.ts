// Public optimizer updates: validate, then run in place on the tensors' backend.

import type { AdamParams, MomentumParams, RmspropParams, SgdParams } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { backendFor, expectSameShape } from './dispatch.js';

function expectSlots(op: string, w: Tensor, tensors: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(tensors)) expectSameShape(op, w, 'w', t, name);
}

function expectFinite(op: string, params: object): void {
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${op}: expected a finite ${name}, got ${value}`);
  }
}

function expectRate(op: string, name: string, value: number, hiInclusive: boolean): void {
  if (!(value >= 0 && (hiInclusive ? value <= 1 : value < 1))) {
    throw new Error(`${op}: expected ${name} in [0, 1${hiInclusive ? ']' : ')'}, got ${value}`);
  }
}

/** In place: w -= lr * g. */
export function sgdUpdate(w: Tensor, g: Tensor, p: SgdParams): void {
  expectSlots('sgdUpdate', w, { g });
  expectFinite('sgdUpdate', p);
  backendFor('sgdUpdate', w, g).sgdUpdate(w, g, p);
}

/** In place on w and accum (TF.js MomentumOptimizer, optionally Nesterov). */
export function momentumUpdate(w: Tensor, g: Tensor, accum: Tensor, p: MomentumParams): void {
  expectSlots('momentumUpdate', w, { g, accum });
  expectFinite('momentumUpdate', p);
  backendFor('momentumUpdate', w, g, accum).momentumUpdate(w, g, accum, p);
}

/** In place on w, m and v (TF.js AdamOptimizer, plus AdamW's decoupled weight decay). */
export function adamUpdate(w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
  expectSlots('adamUpdate', w, { g, m, v });
  expectFinite('adamUpdate', p);
  expectRate('adamUpdate', 'beta1', p.beta1, false);
  expectRate('adamUpdate', 'beta2', p.beta2, false);
  // beta^t < 1 for t >= 1, so the bias corrections never divide by zero.
  expectRate('adamUpdate', 'beta1Power', p.beta1Power, false);
  expectRate('adamUpdate', 'beta2Power', p.beta2Power, false);
  backendFor('adamUpdate', w, g, m, v).adamUpdate(w, g, m, v, p);
}

/** In place on w, ms, mom (and mg when centered: TF.js RMSPropOptimizer). */
export function rmspropUpdate(w: Tensor, g: Tensor, ms: Tensor, mom: Tensor, mg: Tensor | null, p: RmspropParams): void {
  expectSlots('rmspropUpdate', w, mg ? { g, ms, mom, mg } : { g, ms, mom });
  expectFinite('rmspropUpdate', p);
  expectRate('rmspropUpdate', 'rho', p.rho, true);
  if (p.centered && !mg) throw new Error('rmspropUpdate: expected an mg slot (mean gradient) for centered RMSprop, got null');
  backendFor('rmspropUpdate', w, g, ms, mom, mg).rmspropUpdate(w, g, ms, mom, mg, p);
}
