// The CPU reference backend: plain, readable loops, the oracle every GPU kernel
// is checked against (in tests, and in verification mode in a user's browser).
// The loops live with their kernels (src/kernels/*/cpu.ts); this class holds memory.

import type { Backend, Shape } from '../types.js';
import type { Tensor } from '../../tensor.js';
import type { Kernel } from '../../kernels/kernel.js';
import { cpuTensor, setCpuOwner, vals } from './storage.js';

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;

  constructor() {
    setCpuOwner(this);
  }

  // ---- memory
  fromValues(values: Float32Array, shape: Shape): Tensor { return cpuTensor(Float32Array.from(values), shape); }
  zeros(shape: Shape): Tensor { return cpuTensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape); }
  clone(x: Tensor): Tensor { return cpuTensor(Float32Array.from(vals(x)), x.shape); }
  assign(dst: Tensor, src: Tensor): void { vals(dst).set(vals(src)); }
  async read(x: Tensor): Promise<Float32Array> { return Float32Array.from(vals(x)); }
  readSync(x: Tensor): Float32Array { return Float32Array.from(vals(x)); }
  releaseStorage(): void { /* the garbage collector frees the array */ }
  async sync(): Promise<void> { /* nothing is queued on the CPU */ }

  // ---- kernels: each kernel module holds its own CPU reference
  run<A extends readonly unknown[], R>(kernel: Kernel<A, R>, args: A): R { return kernel.cpu(...args); }
}
