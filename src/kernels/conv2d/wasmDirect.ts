// The wasm forward convolution without a column matrix
// (src/backend/wasm/assembly/convDirect.ts): the weights and bias are packed
// once per call, then output rows are computed in ranges (r0, count) that are
// independent of each other, so a caller may split them across threads.

import type { FusedActivation } from '../../backend/types.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { activationCode } from '../fusedActivation.js';
import type { WindowGeometry } from '../geometry.js';
import { call, type WasmCall } from '../../backend/wasm/threadPool.js';

/** Longest window (kh*kw*cin) the direct kernel takes: its panel of packed weights (k x 8 floats) stays within about 40 KB. */
export const DIRECT_MAX_K = 1280;

/**
 * Whether the direct kernel beats im2col + GEMM for this shape (bench/wasmConv.mjs):
 * it saves the column copy, and wins while a weight panel stays near L1; past
 * that the GEMM's blocking over k wins.
 */
export function prefersDirect(g: WindowGeometry): boolean {
  return g.kh * g.kw * g.c <= DIRECT_MAX_K;
}

/** Packs w [kh, kw, cin, cout] and bias for conv2dRows; the pointer is valid until the calling kernel returns. */
export function packDirect(ctx: WasmContext, w: number, bias: number, k: number, cout: number): number {
  const packed = ctx.scratch(ctx.exports.convPackedBytes(k, cout));
  ctx.exports.convPackWeights(w, bias, k, cout, packed);
  return packed;
}

/** y rows r0..r0+count = act(conv(x) + bias), from weights packed by packDirect. */
export function conv2dRows(ctx: WasmContext, x: number, packed: number, y: number, g: WindowGeometry, cout: number,
  activation: FusedActivation, r0: number, count: number): void {
  ctx.exports.conv2dDirect(x, packed, y, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.padTop, g.padLeft,
    g.oh, g.ow, cout, activationCode(activation), r0, count);
}

/** conv2dRows as a call for a worker of the thread pool. */
export function conv2dRowsCall(x: number, packed: number, y: number, g: WindowGeometry, cout: number,
  activation: FusedActivation, r0: number, count: number): WasmCall {
  return call('conv2dDirect', x, packed, y, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.padTop, g.padLeft,
    g.oh, g.ow, cout, activationCode(activation), r0, count);
}
