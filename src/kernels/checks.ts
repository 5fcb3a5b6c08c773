// Checks the kernels share: no disposed tensor, no mix of backends, ranks and
// shapes. The op's name leads every message.

import type { Backend } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';

/** The backend that owns all the given tensors (null entries are skipped). */
export function backendFor(op: string, ...tensors: readonly (Tensor | null | undefined)[]): Backend {
  let owner: Backend | null = null;
  for (const t of tensors) {
    if (!t) continue;
    t.assertUsable(op);
    if (owner && t.backend !== owner) {
      throw new Error(`${op}: tensors from two different backends ('${owner.name}' and '${t.backend.name}') in one op; create them on one backend (wc.setBackend) before mixing them`);
    }
    owner = t.backend;
  }
  if (!owner) throw new Error(`${op}: expected at least one tensor argument`);
  return owner;
}

export function expectRank(op: string, what: string, t: Tensor, rank: number): void {
  if (t.rank !== rank) {
    throw new Error(`${op}: expected ${what} of rank ${rank}, got shape ${shapeToString(t.shape)}`);
  }
}

export function expectSameShape(op: string, a: Tensor, aName: string, b: Tensor, bName: string): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${op}: ${aName} and ${bName} must have the same shape, got ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  }
}
