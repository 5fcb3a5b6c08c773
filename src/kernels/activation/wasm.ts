// Activations forward and backward, and softmax over the last axis, on the
// wasm backend. Kernels: src/backend/wasm/assembly/activation.ts.

import type { ActivationKind } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { biasAddBackward } from '../matmul/wasm.js';

/** The kind codes of activation.ts (the same as the WebGPU KIND override). */
const KIND: Record<ActivationKind, number> = { linear: 0, relu: 1, leakyRelu: 2, elu: 3, sigmoid: 4, tanh: 5, relu6: 6 };

export function activation(ctx: WasmContext, x: Tensor, kind: ActivationKind, alpha: number): Tensor {
  const y = ctx.output(x.shape, 'activation');
  ctx.exports.activation(ctx.ptr(x), ctx.ptr(y), x.size, KIND[kind], alpha);
  return y;
}

export function activationBackward(ctx: WasmContext, dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): Tensor {
  const dx = ctx.output(x.shape, 'activationBackward');
  ctx.exports.activationBackward(ctx.ptr(dy), ctx.ptr(x), ctx.ptr(y), ctx.ptr(dx), x.size, KIND[kind], alpha);
  return dx;
}

/** The activation's backward, then the bias gradient of its result: the CPU reference's two steps, in wasm. */
export function activationBiasBackward(ctx: WasmContext, dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): { dz: Tensor; db: Tensor } {
  const dz = activationBackward(ctx, dy, x, y, kind, alpha);
  return { dz, db: biasAddBackward(ctx, dz) };
}

/** rows: product of all axes but the last; c: the last axis. */
function rowsAndC(t: Tensor): [number, number] {
  const c = t.shape[t.rank - 1] ?? 1;
  return [c === 0 ? 0 : t.size / c, c];
}

export function softmax(ctx: WasmContext, x: Tensor): Tensor {
  const [rows, c] = rowsAndC(x);
  const y = ctx.output(x.shape, 'softmax');
  ctx.exports.softmax(ctx.ptr(x), ctx.ptr(y), rows, c);
  return y;
}

/** Uses the y the forward saved. */
export function softmaxBackward(ctx: WasmContext, dy: Tensor, y: Tensor): Tensor {
  const [rows, c] = rowsAndC(y);
  const dx = ctx.output(y.shape, 'softmaxBackward');
  ctx.exports.softmaxBackward(ctx.ptr(dy), ctx.ptr(y), ctx.ptr(dx), rows, c);
  return dx;
}
