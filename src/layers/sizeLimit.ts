// The largest tensor a layer may make, checked when a model is built (each
// layer's output, each weight), so that absurd arguments are refused then,
// naming the layer, not by a later RangeError deep inside a backend. 2^31 - 1
// values is what the backends can address: kernels index tensors with 32-bit
// signed integers, and Float32Arrays hold at most 2^32 values. A GPU's own limit
// (maxStorageBufferBindingSize) may be lower: the WebGPU backend refuses that itself.

import type { SymShape } from './types.js';

export const MAX_TENSOR_VALUES = 2 ** 31 - 1;

/**
 * The values of one example of a symbolic shape (its batch axis counted as
 * 1 where unknown), or of the whole tensor where the batch size is fixed.
 */
export function valuesPerBatch(shape: SymShape): number {
  let n = 1;
  for (const d of shape) n *= d ?? 1;
  return n;
}

/** Throws unless an output of this shape fits; `what` names the layer. */
export function checkOutputSize(what: string, shape: SymShape): void {
  const n = valuesPerBatch(shape);
  if (n > MAX_TENSOR_VALUES) {
    const per = shape.length > 0 && shape[0] === null ? ' per example' : '';
    throw new Error(`${what}: output shape [${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}] has ${n} values${per}, `
      + `more than a backend can hold (${MAX_TENSOR_VALUES}, 2^31 - 1); use smaller layer arguments or inputs`);
  }
}

/** Throws unless a weight of this shape fits; `what` names the layer. */
export function checkWeightSize(what: string, name: string, shape: readonly number[]): void {
  let n = 1;
  for (const d of shape) n *= d;
  if (n > MAX_TENSOR_VALUES) {
    throw new Error(`${what}: weight '${name}' of shape [${shape.join(',')}] has ${n} values, `
      + `more than a backend can hold (${MAX_TENSOR_VALUES}, 2^31 - 1); use smaller layer arguments`);
  }
}
