// numpy broadcasting, as TF.js applies it to its binary ops: shapes are
// aligned at their last axes; an axis of length 1 (or a missing leading axis)
// stretches to the other's length. The strides here address an input from an
// output index: 0 along the axes it is broadcast along.

import type { Shape } from '../../backend/types.js';
import { shapeToString } from '../../tensor.js';

/** The highest rank the broadcasting kernels address (their index tables have this many columns). */
export const MAX_RANK = 8;

/** The shape a and b broadcast to; throws, naming the op, when an axis differs and neither is 1. */
export function broadcastShape(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = rank - 1; k >= 0; k--) {
    const da = a[a.length - rank + k] ?? 1;
    const db = b[b.length - rank + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: operands could not be broadcast together with shapes ${shapeToString(a)} and ${shapeToString(b)}`);
    }
    out.unshift(da === 1 ? db : da);
  }
  return out;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Row-major strides of `shape` aligned to `out`'s axes, 0 where shape is broadcast (missing or 1). */
export function broadcastStrides(shape: Shape, out: Shape): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let step = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    const axis = out.length - shape.length + k;
    if (shape[k] !== 1) strides[axis] = step;
    step *= shape[k];
  }
  return strides;
}

/** The axes of `out` that `shape` was broadcast along (TF.js's getReductionAxes). */
export function reductionAxes(shape: Shape, out: Shape): number[] {
  const axes: number[] = [];
  for (let axis = 0; axis < out.length; axis++) {
    const k = axis - (out.length - shape.length);
    if (k < 0 || (shape[k] === 1 && out[axis] !== 1)) axes.push(axis);
  }
  return axes;
}

/** The offset into an input with these strides of the output element i (out's row-major order). */
export function offsetOf(i: number, out: Shape, strides: readonly number[]): number {
  let rest = i;
  let at = 0;
  for (let axis = out.length - 1; axis >= 0; axis--) {
    at += (rest % out[axis]) * strides[axis];
    rest = Math.floor(rest / out[axis]);
  }
  return at;
}

/** Left-pads a row to MAX_RANK entries (shapes with 1, strides with 0). */
function padded(row: readonly number[], fill: number): number[] {
  return [...new Array<number>(MAX_RANK - row.length).fill(fill), ...row];
}

/**
 * The index table of the broadcasting shaders: rows of MAX_RANK u32s, the
 * output shape first, then one stride row per input.
 */
export function broadcastTable(out: Shape, inputs: readonly Shape[]): Uint32Array {
  return Uint32Array.from([...padded(out, 1), ...inputs.flatMap((s) => padded(broadcastStrides(s, out), 0))]);
}

/** The key of a table in the context's constants: the kernel and the shapes it was made from. */
export function tableKey(kernel: string, shapes: readonly Shape[]): string {
  return `${kernel}:${shapes.map((s) => s.join('x')).join('|')}`;
}

export function expectRankAtMost(op: string, what: string, shape: Shape): void {
  if (shape.length > MAX_RANK) {
    throw new Error(`${op}: ${what} has rank ${shape.length} (shape ${shapeToString(shape)}); element-wise ops support rank up to ${MAX_RANK}`);
  }
}
