// The step guard as the wasm backend's updates read it: the flag is the
// guard tensor's first value, read from the memory with no copy.

import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';

/** Whether an update guarded by `guard` (null: unguarded) skips its work. */
export function guardSet(ctx: WasmContext, guard: Tensor | null): boolean {
  return guard !== null && ctx.f32()[ctx.ptr(guard) >>> 2] !== 0;
}
