// What a kernel is: one op's name, its argument checks, its CPU reference and
// its WebGPU program (and, where it has one, its WebAssembly program), in one object. Backends run kernels (Backend.run); the
// public op is the kernel's checks, then run on the tensors' backend.

import { Tensor } from '../tensor.js';
import type { GpuContext } from '../backend/webgpu/context.js';
import type { WasmContext } from '../backend/wasm/context.js';
import { backendFor } from './checks.js';

export interface Kernel<A extends readonly unknown[] = readonly unknown[], R = unknown> {
  /** The op's name: in errors, profiles and verification reports. */
  readonly name: string;
  /** Validates the arguments and throws an error that names the op; run() calls it first. */
  readonly check: (...args: A) => void;
  /** The plain-loop reference every other implementation is verified against. */
  readonly cpu: (...args: A) => R;
  readonly webgpu: (ctx: GpuContext, ...args: A) => R;
  /**
   * The wasm backend's program (src/kernels/<family>/wasm.ts). Without it the
   * wasm backend runs the CPU reference on copies of the values, and
   * backendInfo() lists the kernel among those that fall back.
   */
  readonly wasm?: (ctx: WasmContext, ...args: A) => R;
  /** A question about the backend (which algorithm it would pick), not work on data: never verified or profiled. */
  readonly query?: true;
}

export function defineKernel<A extends readonly unknown[], R>(kernel: Kernel<A, R>): Kernel<A, R> {
  return Object.freeze({ ...kernel });
}

/** The tensors among a kernel's arguments (lists of tensors included), in order. */
export function tensorsIn(args: readonly unknown[]): Tensor[] {
  const found: Tensor[] = [];
  for (const a of args) {
    if (a instanceof Tensor) found.push(a);
    else if (Array.isArray(a)) for (const t of a) if (t instanceof Tensor) found.push(t);
  }
  return found;
}

/** Checks the arguments, then runs the kernel on the backend that owns its tensors. */
export function run<A extends readonly unknown[], R>(kernel: Kernel<A, R>, ...args: A): R {
  kernel.check(...args);
  return backendFor(kernel.name, ...tensorsIn(args)).run(kernel, args);
}

/** The public op of a kernel: run(kernel, ...args). */
export function op<A extends readonly unknown[], R>(kernel: Kernel<A, R>): (...args: A) => R {
  return (...args: A) => run(kernel, ...args);
}
