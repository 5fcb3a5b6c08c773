// The in-place updates a training-mode forward makes outside the optimizer
// (batch norm's moving statistics). A training step collects them instead of
// running them at once, and records them after its loss check with the step's
// guard (src/train/guard.ts), so a NaN batch leaves them as they were.
// Anywhere else (a user's training-mode apply) they run at once, as before.

import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';

/** variable -= (variable - value) * (1 - momentum), not yet recorded. */
export interface MovingUpdate { variable: Tensor; value: Tensor; momentum: number }

let collecting: MovingUpdate[] | null = null;

/** A moving-average update: collected while collectMovingUpdates runs, else run now. */
export function movingAverage(variable: Tensor, value: Tensor, momentum: number): void {
  if (collecting) collecting.push({ variable, value, momentum });
  else ops.movingAverageUpdate(variable, value, momentum);
}

/** Runs fn, holding back the moving-average updates it makes; the caller records them (applyMovingUpdates). */
export function collectMovingUpdates<T>(fn: () => T): { result: T; updates: MovingUpdate[] } {
  const outer = collecting;
  const updates: MovingUpdate[] = [];
  collecting = updates;
  try {
    return { result: fn(), updates };
  } finally {
    collecting = outer;
  }
}

/** Records collected updates in their order, each skipped on the device once `guard` is set. */
export function applyMovingUpdates(updates: readonly MovingUpdate[], guard: Tensor | null): void {
  for (const u of updates) ops.movingAverageUpdate(u.variable, u.value, u.momentum, guard);
}
