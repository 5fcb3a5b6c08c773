// CPU tensors keep their values in a plain Float32Array: the storage is the array.

import type { Backend, Shape } from '../types.js';
import { Tensor, createTensor } from '../../tensor.js';

let owner: Backend | null = null;

/** Called by the CPU backend's constructor: the first instance owns every CPU tensor (a later one must not take over). */
export function setCpuOwner(b: Backend): void {
  owner ??= b;
}

/** The values of a CPU tensor (no copy: do not write to them unless the op is in place). */
export function vals(t: Tensor): Float32Array {
  if (!(t.storage instanceof Float32Array)) {
    throw new Error(`cpu backend: got a tensor of the '${t.backend.name}' backend`);
  }
  return t.storage;
}

/** Wraps freshly computed values as a CPU tensor. */
export function cpuTensor(values: Float32Array, shape: Shape): Tensor {
  if (!owner) throw new Error('cpu backend: not created yet');
  return createTensor(owner, values, shape, values.byteLength);
}
