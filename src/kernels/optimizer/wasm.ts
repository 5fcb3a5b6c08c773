// Optimizer updates on the wasm backend, in place on the weight and its
// slots; nothing once the optional guard is set (src/kernels/stepGuard).
// Kernels: src/backend/wasm/assembly/optimizer.ts.

import type { AdamParams, MomentumParams, RmspropParams, SgdParams } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { guardSet } from '../stepGuard/wasm.js';

export function sgdUpdate(ctx: WasmContext, w: Tensor, g: Tensor, p: SgdParams, guard: Tensor | null = null): void {
  if (guardSet(ctx, guard)) return;
  ctx.exports.sgdUpdate(ctx.ptr(w), ctx.ptr(g), w.size, p.learningRate);
}

export function momentumUpdate(ctx: WasmContext, w: Tensor, g: Tensor, accum: Tensor, p: MomentumParams, guard: Tensor | null = null): void {
  if (guardSet(ctx, guard)) return;
  ctx.exports.momentumUpdate(ctx.ptr(w), ctx.ptr(g), ctx.ptr(accum), w.size, p.learningRate, p.momentum, p.nesterov);
}

/** The bias corrections 1 - beta^t are computed here in float64, once per call. */
export function adamUpdate(ctx: WasmContext, w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams, guard: Tensor | null = null): void {
  if (guardSet(ctx, guard)) return;
  ctx.exports.adamUpdate(
    ctx.ptr(w), ctx.ptr(g), ctx.ptr(m), ctx.ptr(v), w.size,
    p.learningRate, p.beta1, p.beta2, p.epsilon, 1 - p.beta1Power, 1 - p.beta2Power, p.weightDecay,
  );
}

/** mg is read only when centered; 0 stands for no slot. */
export function rmspropUpdate(ctx: WasmContext, w: Tensor, g: Tensor, ms: Tensor, mom: Tensor, mg: Tensor | null, p: RmspropParams, guard: Tensor | null = null): void {
  if (guardSet(ctx, guard)) return;
  const centered = p.centered && mg !== null;
  ctx.exports.rmspropUpdate(
    ctx.ptr(w), ctx.ptr(g), ctx.ptr(ms), ctx.ptr(mom), centered ? ctx.ptr(mg) : 0, w.size,
    p.learningRate, p.rho, p.momentum, p.epsilon, centered,
  );
}
