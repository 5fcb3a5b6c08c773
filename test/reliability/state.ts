// What "nothing lost" means in the reliability tests: every weight of the
// model and every optimizer slot (plus its step count), bit for bit, read
// before a failing call and compared after it.

import { expect, vi } from 'vitest';
import * as wc from '../../src/index.js';
import * as engine from '../../src/engine.js';

export type ModelState = Map<string, Uint32Array>;

/** Weights (getWeights order, by name) and the optimizer's state, as raw bit patterns (NaN-safe). */
export async function captureState(model: wc.LayersModel): Promise<ModelState> {
  const state: ModelState = new Map();
  // keyed by position and the name without its layer (a twin model's layers have other names)
  const local = (name: string) => name.split('/').slice(1).join('/') || name;
  for (const [i, v] of model.weights.entries()) state.set(`weight ${i} ${local(v.name)}`, new Uint32Array((await v.value.data()).buffer));
  const opt = model.compiled?.optimizer;
  if (opt) {
    for (const [i, { name, tensor }] of (await opt.getWeights()).entries()) {
      state.set(`optimizer ${i} ${local(name)}`, new Uint32Array((await tensor.data()).buffer));
      if (name === 'iter') tensor.dispose();
    }
  }
  return state;
}

/** The model's state now equals `before`, entry by entry, bit for bit. */
export async function expectStateUnchanged(model: wc.LayersModel, before: ModelState): Promise<void> {
  const after = await captureState(model);
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [name, bits] of before) {
    const now = after.get(name)!;
    const first = bits.findIndex((b, i) => b !== now[i]);
    expect(first, `${name} changed at element ${first}`).toBe(-1);
  }
}

/** Runs `call`, expects it to fail with an Error (not a TypeError/RangeError from deep inside) whose message matches every pattern. */
export async function expectCleanError(call: () => unknown, ...patterns: RegExp[]): Promise<Error> {
  let caught: unknown = null;
  try {
    await call();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'the call should have thrown').toBeInstanceOf(Error);
  const err = caught as Error;
  expect(err.name, `a ${err.name} is a defect: ${err.message}`).not.toMatch(/^(TypeError|RangeError|ReferenceError|SyntaxError)$/);
  for (const p of patterns) expect(err.message).toMatch(p);
  return err;
}

/**
 * Runs `call` and counts the float values it asked the current backend to
 * allocate (fromValues and zeros): bounded work is asserted by counting, not
 * by the clock. The call's outcome is returned as well.
 */
export async function countAllocated<T>(call: () => Promise<T>): Promise<{ values: number; value?: T; error?: unknown }> {
  const b = engine.backend();
  const spies = [vi.spyOn(b, 'fromValues'), vi.spyOn(b, 'zeros')];
  const counted = () => spies.reduce((s, spy) => s + spy.mock.calls.reduce((n, args) => n + (args.at(-1) as readonly number[]).reduce((a, d) => a * d, 1), 0), 0);
  try {
    const value = await call();
    return { values: counted(), value };
  } catch (error) {
    return { values: counted(), error };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
