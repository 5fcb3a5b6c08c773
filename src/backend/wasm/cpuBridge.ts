// Runs a kernel's CPU reference on wasm tensors: the kernels without a wasm
// program (their `wasm` field) run this way. Tensor arguments reach the CPU
// reference as views of the wasm memory, not copies (a batch gathered from a
// whole data set must not copy the data set), so in-place kernels write
// straight into wasm memory; this is safe because CPU kernels allocate only
// JS arrays, so the memory cannot grow (and detach the views) while one runs.
// Results are copied into fresh wasm tensors. Verification mode copies the
// arguments instead (argsToCpu), as it needs them as they were before the run.

import { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../cpu/storage.js';
import type { WasmContext } from './context.js';

/** A CPU copy of a wasm tensor (dtype kept: argMax-like kernels look at it). */
export function toCpu(ctx: WasmContext, t: Tensor): Tensor {
  const c = cpuTensor(Float32Array.from(ctx.values(t)), t.shape);
  c.dtype = t.dtype;
  return c;
}

/** A CPU tensor over a wasm tensor's values (no copy): valid until the next wasm allocation. */
function viewOnCpu(ctx: WasmContext, t: Tensor): Tensor {
  const c = cpuTensor(ctx.values(t), t.shape);
  c.dtype = t.dtype;
  return c;
}

/**
 * The arguments with every tensor (lists of tensors included) replaced by a
 * CPU copy, or with `view` a CPU view of its wasm values; `made` collects them.
 */
export function argsToCpu(ctx: WasmContext, args: readonly unknown[], made: Tensor[], view = false): unknown[] {
  const copy = (t: Tensor): Tensor => {
    const c = view ? viewOnCpu(ctx, t) : toCpu(ctx, t);
    made.push(c);
    return c;
  };
  return args.map((a) => (a instanceof Tensor ? copy(a)
    : Array.isArray(a) && a.some((t) => t instanceof Tensor) ? a.map((t: unknown) => (t instanceof Tensor ? copy(t) : t)) : a));
}

/** Every tensor a kernel returned: a tensor, a list, or an object of named tensors. */
export function tensorsOf(result: unknown): Tensor[] {
  if (result instanceof Tensor) return [result];
  if (Array.isArray(result)) return result.filter((t): t is Tensor => t instanceof Tensor);
  if (result && typeof result === 'object') return Object.values(result).filter((t): t is Tensor => t instanceof Tensor);
  return [];
}

/** The result with each CPU tensor replaced by a wasm copy; other values pass through. */
function resultFromCpu(ctx: WasmContext, result: unknown): unknown {
  // A result may be (a view of) an argument, i.e. of wasm memory: take such values out
  // before the first allocation below can grow the memory and detach them.
  const held = new Map<Tensor, Float32Array>();
  for (const t of tensorsOf(result)) {
    const v = vals(t);
    held.set(t, v.buffer === ctx.heap.memory.buffer ? Float32Array.from(v) : v);
  }
  const move = (v: unknown): unknown => {
    if (!(v instanceof Tensor)) return v;
    const w = ctx.output(v.shape, 'cpu result');
    ctx.values(w).set(held.get(v) ?? vals(v));
    w.dtype = v.dtype;
    return w;
  };
  if (result instanceof Tensor) return move(result);
  if (Array.isArray(result)) return result.map(move);
  if (result && typeof result === 'object' && Object.getPrototypeOf(result) === Object.prototype) {
    return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, move(v)]));
  }
  return result;
}

export function runOnCpu(ctx: WasmContext, cpu: (...args: readonly unknown[]) => unknown, args: readonly unknown[]): unknown {
  const made: Tensor[] = [];
  try {
    const result = cpu(...argsToCpu(ctx, args, made, true));
    made.push(...tensorsOf(result));
    // In place (no result): the kernel wrote through the views.
    return resultFromCpu(ctx, result);
  } finally {
    for (const t of made) t.dispose();
  }
}
