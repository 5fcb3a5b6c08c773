// Parity at a stated tolerance, tighter than verification mode's: most wasm
// kernels compute what the CPU reference does in float32 or float64, so they
// agree to a few float32 ulps, or exactly where no rounding differs.

import { expect } from 'vitest';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import type { Kernel } from '../../src/kernels/kernel.js';
import { Tensor } from '../../src/tensor.js';
import { expectClose, type Tolerance } from '../util/check.js';
import { expectWasmParity, toWasm } from './harness.js';

/** Bit-for-bit: the same operations in the same order. */
export const EXACT: Tolerance = { atol: 0, rtol: 0 };
/** float32 arithmetic against float64 rounded once: a few ulps. */
export const ULPS: Tolerance = { atol: 1e-6, rtol: 1e-5 };

function tensorsOf(result: unknown, args: readonly unknown[]): Tensor[] {
  if (result instanceof Tensor) return [result];
  if (Array.isArray(result)) return result.filter((t): t is Tensor => t instanceof Tensor);
  if (result && typeof result === 'object') return Object.values(result).filter((t): t is Tensor => t instanceof Tensor);
  return args.filter((a): a is Tensor => a instanceof Tensor);
}

/**
 * expectWasmParity (verification mode's tolerance, NaN-filled outputs), then
 * the same kernel again at `tol`. args hold CPU tensors; in-place kernels get
 * fresh copies for each run.
 */
export function expectWasmMatch<A extends readonly unknown[], R>(be: WasmBackend, kernel: Kernel<A, R>, args: A, tol: Tolerance, label = kernel.name): void {
  expect(expectWasmParity(be, kernel, args, label)).toBeGreaterThan(0);
  const copy = (f: (t: Tensor) => Tensor) => args.map((a) =>
    a instanceof Tensor ? f(a) : Array.isArray(a) && a.some((t) => t instanceof Tensor) ? a.map((t: unknown) => (t instanceof Tensor ? f(t) : t)) : a) as unknown as A;
  const cpuArgs = copy((t) => t.clone());
  const wasmArgs = copy((t) => toWasm(be, t));
  const got = tensorsOf(be.run(kernel, wasmArgs), wasmArgs);
  const want = tensorsOf(kernel.cpu(...cpuArgs), cpuArgs);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expectClose(g.dataSync(), want[i].dataSync(), tol, `${label} [${i}]`));
}
