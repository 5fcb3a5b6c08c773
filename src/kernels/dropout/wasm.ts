// Dropout forward and backward on the wasm backend: the same hashed mask as
// the CPU reference (mask.ts), recomputed from (seed, i). Kernel:
// src/backend/wasm/assembly/dropout.ts.

import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';

/** Forward and backward alike. */
function masked(ctx: WasmContext, x: Tensor, rate: number, seed: number, op: string): Tensor {
  const y = ctx.output(x.shape, op);
  // keep when (hash >> 8) / 2^24 >= rate, i.e. hash >> 8 >= ceil(rate * 2^24): exact in integers.
  const threshold = Math.ceil(rate * 16777216);
  ctx.exports.dropout(ctx.ptr(x), ctx.ptr(y), x.size, seed >>> 0, threshold, Math.fround(1 / (1 - rate)));
  return y;
}

export function dropout(ctx: WasmContext, x: Tensor, rate: number, seed: number): Tensor {
  return masked(ctx, x, rate, seed, 'dropout');
}

export function dropoutBackward(ctx: WasmContext, dy: Tensor, rate: number, seed: number): Tensor {
  return masked(ctx, dy, rate, seed, 'dropoutBackward');
}
