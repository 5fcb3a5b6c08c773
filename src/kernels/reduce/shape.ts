// Axis arguments as TF.js reads them, and the shapes reductions produce.

import type { Shape } from '../../backend/types.js';
import { shapeToString } from '../../tensor.js';

/**
 * The axes as distinct non-negative integers, sorted: undefined means every
 * axis; negative axes count from the end. Out-of-range or repeated axes throw.
 */
export function normalizeAxes(op: string, shape: Shape, axis: number | readonly number[] | undefined): number[] {
  const rank = shape.length;
  if (axis === undefined || axis === null) return shape.map((_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out: number[] = [];
  for (const a of list) {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new Error(`${op}: axis ${String(a)} is out of range for a tensor of shape ${shapeToString(shape)} (expected integers in [${-rank}, ${rank}))`);
    }
    const n = a < 0 ? a + rank : a;
    if (out.includes(n)) throw new Error(`${op}: axis ${String(a)} is repeated in ${JSON.stringify(list)}`);
    out.push(n);
  }
  return out.sort((p, q) => p - q);
}

/** The shape after reducing over axes (dropped). */
export function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/** The shape after reducing over axes with keepDims (kept as 1). */
export function keptDimsShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** What the reduce kernel folds each row with. */
export type ReduceOp = 'sum' | 'mean' | 'prod' | 'max' | 'min' | 'argMax' | 'argMin' | 'logSumExp';
export const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'mean', 'prod', 'max', 'min', 'argMax', 'argMin', 'logSumExp'];

/** The reductions with a gradient, as the backward kernel spreads dy back over the reduced axes. */
export type ReduceBackwardOp = 'sum' | 'mean' | 'prod' | 'max' | 'min' | 'logSumExp';
export const REDUCE_BACKWARD_OPS: readonly ReduceBackwardOp[] = ['sum', 'mean', 'prod', 'max', 'min', 'logSumExp'];

/** The shape seen as [outer, n, inner] around one axis (a line of n elements, inner apart). */
export function aroundAxis(shape: Shape, axis: number): { outer: number; n: number; inner: number } {
  const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
  return { outer: product(shape.slice(0, axis)), n: shape[axis], inner: product(shape.slice(axis + 1)) };
}
