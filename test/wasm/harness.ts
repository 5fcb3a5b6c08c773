// The wasm tests' helpers: the backend, and parity of a kernel's wasm program
// with its CPU reference on the same inputs (the tolerance verification mode
// uses). Outputs land on NaN-filled memory, so an element a kernel never
// writes fails the comparison.

import { expect } from 'vitest';
import * as wc from '../../src/index.js';
import { backend } from '../../src/engine.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';
import type { Kernel } from '../../src/kernels/kernel.js';
import { Tensor } from '../../src/tensor.js';
import { vals } from '../../src/backend/cpu/storage.js';
import { expectParity } from '../harness/tolerance.js';

/**
 * The thread count the wasm tests run with: 1, or WEBCNN_WASM_THREADS (the
 * 'wasm-threads' vitest project runs every wasm test again with 2).
 */
export const TEST_THREADS = Number(process.env.WEBCNN_WASM_THREADS ?? 1);

/**
 * The wasm backend with TEST_THREADS threads. With more than one, every
 * kernel that can share its work does so even on the tests' small shapes.
 */
export async function wasmBackend(options: { verify?: boolean } = {}): Promise<WasmBackend> {
  await wc.setBackend('wasm', { ...options, threads: TEST_THREADS });
  const b = backend();
  if (!(b instanceof WasmBackend)) throw new Error(`expected the wasm backend, got '${b.name}'`);
  if (b.info().threads !== TEST_THREADS) throw new Error(`expected ${TEST_THREADS} threads, got ${b.info().threads}`);
  if (TEST_THREADS > 1) b.ctx.minWorkPerThread = 1;
  return b;
}

/** A wasm copy of a CPU tensor (dtype kept). */
export function toWasm(be: WasmBackend, t: Tensor): Tensor {
  const w = be.fromValues(vals(t), t.shape);
  w.dtype = t.dtype;
  return w;
}

function outputs(result: unknown, args: readonly unknown[]): [string, Tensor | undefined][] {
  if (result instanceof Tensor) return [['result', result]];
  if (Array.isArray(result)) return result.map((t, i) => [`result[${i}]`, t instanceof Tensor ? t : undefined]);
  if (result && typeof result === 'object') return Object.entries(result).filter(([, t]) => t instanceof Tensor) as [string, Tensor][];
  // In place: the tensor arguments after the kernel.
  return args.flatMap((a, i) => (a instanceof Tensor ? [[`argument ${i}`, a] as [string, Tensor]] : []));
}

/**
 * Runs a kernel's wasm program (it must have one) on wasm copies of `args`
 * (CPU tensors and plain values) and its CPU reference on copies of the same
 * inputs, and compares every output. Returns the number of values compared.
 */
export function expectWasmParity<A extends readonly unknown[], R>(be: WasmBackend, kernel: Kernel<A, R>, args: A, label = kernel.name): number {
  expect(kernel.wasm, `${kernel.name} has no wasm program`).toBeTypeOf('function');
  const copy = (a: unknown, f: (t: Tensor) => Tensor): unknown =>
    a instanceof Tensor ? f(a) : Array.isArray(a) && a.some((t) => t instanceof Tensor) ? a.map((t: unknown) => (t instanceof Tensor ? f(t) : t)) : a;
  const cpuArgs = args.map((a) => copy(a, (t) => { const c = t.clone(); c.dtype = t.dtype; return c; })) as unknown as A;
  const wasmArgs = args.map((a) => copy(a, (t) => toWasm(be, t))) as unknown as A;
  be.ctx.heap.fillFree(NaN);
  const got = outputs(be.run(kernel, wasmArgs), wasmArgs);
  const want = outputs(kernel.cpu(...cpuArgs), cpuArgs);
  expect(got.map(([name]) => name), `${label}: outputs`).toEqual(want.map(([name]) => name));
  let compared = 0;
  got.forEach(([name, g], i) => {
    const w = want[i][1];
    if (!g || !w) throw new Error(`${label}: ${name} is not a tensor`);
    expect(g.shape, `${label}: ${name} shape`).toEqual(w.shape);
    expectParity(g.dataSync(), w.dataSync(), `${label}: ${name}`);
    compared += w.size;
  });
  return compared;
}
