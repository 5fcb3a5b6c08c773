// The batch dimensions of a batched matrix product, as TF.js 4.x broadcasts
// them (numpy rules on every axis but the last two), and which batch of a and
// of b each output batch reads.

import type { Shape } from '../../backend/types.js';
import { shapeToString } from '../../tensor.js';

export interface BatchPlan {
  /** The output's batch dimensions. */
  readonly outBatch: readonly number[];
  /** Rows of op(a), columns of op(b), and the shared inner size. */
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** For output batch i: a's batch at 2i, b's at 2i + 1 (flat indices into each operand's batches). */
  readonly table: Uint32Array;
}

/** numpy broadcasting of two shapes (aligned at the end); null if they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The flat index, in a batch of shape `own` (aligned at the end of `out`), that out's flat index i reads. */
function sourceIndex(i: number, out: readonly number[], own: Shape): number {
  let rem = i;
  let index = 0;
  let stride = 1;
  for (let d = out.length - 1, e = own.length - 1; d >= 0; d--, e--) {
    const coord = rem % out[d];
    rem = Math.floor(rem / out[d]);
    if (e >= 0) {
      if (own[e] !== 1) index += coord * stride;
      stride *= own[e];
    }
  }
  return index;
}

export function batchPlan(op: string, aShape: Shape, bShape: Shape, transposeA: boolean, transposeB: boolean): BatchPlan {
  if (aShape.length < 2 || bShape.length < 2) {
    throw new Error(`${op}: inputs must have rank >= 2, got shapes ${shapeToString(aShape)} and ${shapeToString(bShape)}`);
  }
  const [ar, ac] = aShape.slice(-2);
  const [br, bc] = bShape.slice(-2);
  const k = transposeA ? ar : ac;
  const kb = transposeB ? bc : br;
  if (k !== kb) {
    throw new Error(`${op}: inner shapes (${k}) and (${kb}) of tensors with shapes ${shapeToString(aShape)} and ${shapeToString(bShape)} and transposeA=${transposeA} and transposeB=${transposeB} must match`);
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const outBatch = broadcastShapes(aBatch, bBatch);
  if (!outBatch) {
    throw new Error(`${op}: the batch dimensions of shapes ${shapeToString(aShape)} and ${shapeToString(bShape)} do not broadcast (${shapeToString(aBatch)} vs ${shapeToString(bBatch)})`);
  }
  const batches = outBatch.reduce((p, d) => p * d, 1);
  const table = new Uint32Array(2 * batches);
  for (let i = 0; i < batches; i++) {
    table[2 * i] = sourceIndex(i, outBatch, aBatch);
    table[2 * i + 1] = sourceIndex(i, outBatch, bBatch);
  }
  return { outBatch, m: transposeA ? ac : ar, n: transposeB ? br : bc, k, table };
}
