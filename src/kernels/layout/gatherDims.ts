// How gather views its operands: x as [batch, outer, dim, inner] around the
// gathered axis, indices as [batch, count], the result as
// x.shape[:axis] + indices.shape[batchDims:] + x.shape[axis + 1:].

import type { Shape } from '../../backend/types.js';
import { sizeOf } from '../../tensor.js';

export interface GatherDims {
  readonly batch: number;
  readonly outer: number;
  readonly dim: number;
  readonly inner: number;
  /** Indices per batch. */
  readonly count: number;
  /** The result's shape. */
  readonly shape: readonly number[];
}

/** axis and batchDims already non-negative, with batchDims <= axis < xShape.length. */
export function gatherDims(xShape: Shape, indicesShape: Shape, axis: number, batchDims: number): GatherDims {
  const batch = sizeOf(xShape.slice(0, batchDims));
  return {
    batch,
    outer: sizeOf(xShape.slice(batchDims, axis)),
    dim: xShape[axis],
    inner: sizeOf(xShape.slice(axis + 1)),
    count: sizeOf(indicesShape.slice(batchDims)),
    shape: [...xShape.slice(0, axis), ...indicesShape.slice(batchDims), ...xShape.slice(axis + 1)],
  };
}
