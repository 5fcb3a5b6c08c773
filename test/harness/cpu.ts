// The CPU reference in Node, for the Node side of each parity test.

import { CpuBackend } from '../../src/backend/cpu/index.js';
import type { Backend, Shape } from '../../src/backend/types.js';
import type { Tensor } from '../../src/tensor.js';
import { kernelsOf, type KernelCalls } from '../../src/kernels/registry.js';

export const cpu: Backend = new CpuBackend();
/** The CPU kernels as methods, called without the ops' checks. */
export const cpuKernels: KernelCalls = kernelsOf(cpu);

export function cpuT(values: readonly number[] | Float32Array, shape: Shape): Tensor {
  return cpu.fromValues(Float32Array.from(values), shape);
}

/** Runs a CPU kernel and returns its values as a plain array, disposing the tensors it made. */
export function cpuRun(fn: (k: KernelCalls) => Tensor): number[] {
  const t = fn(cpuKernels);
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}
