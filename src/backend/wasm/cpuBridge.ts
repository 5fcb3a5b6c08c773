// Runs a kernel's CPU reference on wasm tensors: the kernels without a wasm
// program (their `wasm` field) run this way, and verification mode replays
// every kernel this way. Tensor arguments are copied out to CPU tensors and
// results copied back; a kernel that returns nothing updated its tensor
// arguments in place, and those are copied back.

import { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../cpu/storage.js';
import type { WasmContext } from './context.js';

/** A CPU copy of a wasm tensor (dtype kept: argMax-like kernels look at it). */
export function toCpu(ctx: WasmContext, t: Tensor): Tensor {
  const c = cpuTensor(Float32Array.from(ctx.values(t)), t.shape);
  c.dtype = t.dtype;
  return c;
}

/** A wasm copy of a CPU tensor. */
export function fromCpu(ctx: WasmContext, t: Tensor): Tensor {
  const w = ctx.output(t.shape, 'cpu result');
  ctx.values(w).set(vals(t));
  w.dtype = t.dtype;
  return w;
}

/** The arguments with every tensor (lists of tensors included) replaced by a CPU copy; `made` collects the copies. */
export function argsToCpu(ctx: WasmContext, args: readonly unknown[], made: Tensor[]): unknown[] {
  const copy = (t: Tensor): Tensor => {
    const c = toCpu(ctx, t);
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
  const move = (v: unknown): unknown => (v instanceof Tensor ? fromCpu(ctx, v) : v);
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
    const cpuArgs = argsToCpu(ctx, args, made);
    const result = cpu(...cpuArgs);
    made.push(...tensorsOf(result));
    if (result === undefined) {
      // In place: the updated arguments go back to their wasm storage.
      args.forEach((a, i) => { if (a instanceof Tensor) ctx.values(a).set(vals(cpuArgs[i] as Tensor)); });
      return undefined;
    }
    return resultFromCpu(ctx, result);
  } finally {
    for (const t of made) t.dispose();
  }
}
