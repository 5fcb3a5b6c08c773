// CPU reference: the training step's non-finite guard. guard = [flag, batch,
// loss, 0]; flag turns 1 at the first non-finite loss and stays 1 (see
// shaders/stepGuard.wgsl).

import type { Tensor } from '../../tensor.js';
import { vals } from '../../backend/cpu/storage.js';

/** In place on guard: the first batch whose loss is NaN or infinite sets the flag and keeps its index and loss. */
export function lossGuard(loss: Tensor, guard: Tensor, batch: number): void {
  const g = vals(guard);
  const l = vals(loss)[0];
  if (g[0] !== 0 || Number.isFinite(l)) return;
  g[0] = 1;
  g[1] = batch;
  g[2] = l;
}

/** In place on sums: sums += weight * value, unless the guard's flag is set. */
export function guardedAccumulate(sums: Tensor, value: Tensor, weight: number, guard: Tensor | null = null): void {
  if (guardSet(guard)) return;
  const s = vals(sums);
  const v = vals(value);
  for (let i = 0; i < s.length; i++) s[i] += weight * v[i];
}

/** Whether an update guarded by `guard` (null: unguarded) skips its work. */
export function guardSet(guard: Tensor | null): boolean {
  return guard !== null && vals(guard)[0] !== 0;
}
