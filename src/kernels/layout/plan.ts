// What the strided copy does, as data: the output's shape and, per output
// axis, which input axis it reads and where. Transpose, slice, pad, tile,
// broadcastTo and reverse are each one such plan; the builders below are the
// only place that knows how.

import type { Shape } from '../../backend/types.js';
import { sizeOf } from '../../tensor.js';

/**
 * How one output axis reads the input: output coordinate c reads input axis
 * `from` at `step * (c mod wrap) + shift`; a position outside that axis reads
 * the plan's fill value.
 */
export interface AxisRead {
  readonly from: number;
  /** The period of the read (the input's size when tiling); the output's size when it does not repeat. */
  readonly wrap: number;
  readonly step: 1 | -1;
  readonly shift: number;
}

/** A copy of x into a new tensor of `shape`: one AxisRead per output axis, `fill` where a read falls outside x. */
export interface CopyPlan {
  readonly shape: readonly number[];
  readonly axes: readonly AxisRead[];
  readonly fill: number;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/** Output axis d is input axis perm[d]. */
export function transposePlan(xShape: Shape, perm: readonly number[]): CopyPlan {
  const shape = perm.map((p) => xShape[p]);
  return { shape, axes: perm.map((from, d) => ({ from, wrap: Math.max(1, shape[d]), step: 1, shift: 0 })), fill: 0 };
}

/** The block of `size` starting at `begin`. */
export function slicePlan(begin: readonly number[], size: readonly number[]): CopyPlan {
  return { shape: [...size], axes: size.map((n, d) => ({ from: d, wrap: Math.max(1, n), step: 1, shift: begin[d] })), fill: 0 };
}

/** x with paddings[d] = [before, after] of `fill` around each axis. */
export function padPlan(xShape: Shape, paddings: readonly (readonly [number, number])[], fill: number): CopyPlan {
  const shape = xShape.map((n, d) => paddings[d][0] + n + paddings[d][1]);
  return { shape, axes: shape.map((n, d) => ({ from: d, wrap: Math.max(1, n), step: 1, shift: -paddings[d][0] })), fill };
}

/** x repeated reps[d] times along each axis (broadcasting is tiling axes of size 1). */
export function tilePlan(xShape: Shape, reps: readonly number[]): CopyPlan {
  return { shape: xShape.map((n, d) => n * reps[d]), axes: xShape.map((n, d) => ({ from: d, wrap: Math.max(1, n), step: 1, shift: 0 })), fill: 0 };
}

/** x read backwards along the given axes. */
export function reversePlan(xShape: Shape, axes: readonly number[]): CopyPlan {
  return {
    shape: [...xShape],
    axes: xShape.map((n, d) => (axes.includes(d)
      ? { from: d, wrap: Math.max(1, n), step: -1, shift: n - 1 }
      : { from: d, wrap: Math.max(1, n), step: 1, shift: 0 })),
    fill: 0,
  };
}

/** The input position output coordinate c reads along one axis (possibly outside the input). */
export function readPosition(a: AxisRead, c: number): number {
  return a.step * (c % a.wrap) + a.shift;
}

export function planSize(plan: CopyPlan): number {
  return sizeOf(plan.shape);
}
