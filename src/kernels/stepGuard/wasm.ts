// The step guard on the wasm backend: lossGuard and guardedAccumulate
// (src/backend/wasm/assembly/stepGuard.ts), and the flag as the wasm
// backend's updates read it: the guard tensor's first value, read from the
// memory with no copy.

import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';

/** Whether an update guarded by `guard` (null: unguarded) skips its work. */
export function guardSet(ctx: WasmContext, guard: Tensor | null): boolean {
  return guard !== null && ctx.f32()[ctx.ptr(guard) >>> 2] !== 0;
}

export function lossGuard(ctx: WasmContext, loss: Tensor, guard: Tensor, batch: number): void {
  ctx.exports.lossGuard(ctx.ptr(loss), ctx.ptr(guard), batch);
}

export function guardedAccumulate(ctx: WasmContext, sums: Tensor, value: Tensor, weight: number, guard: Tensor | null = null): void {
  if (guardSet(ctx, guard)) return;
  ctx.exports.guardedAccumulate(ctx.ptr(sums), ctx.ptr(value), sums.size, weight);
}
