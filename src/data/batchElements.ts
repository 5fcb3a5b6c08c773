// Dataset.batch's stacking, as tf.data does it: leaves of the same place in
// each element become one tensor with the batch on axis 0. Tensors are
// stacked; numbers and booleans become a 1-D tensor; a (nested) array of
// numbers or a typed array is one leaf, so rows of [a, b] become a [n, 2]
// tensor. Objects are batched key by key. An array holding tensors or objects
// is batched place by place (webcnn's addition: tf.data refuses it), which is
// what lets [xs, ys] elements batch.

import { Tensor, tidy, type TensorContainer } from '../tensor.js';
import { tensor } from '../engine.js';
import { stack } from '../kernels/layout/ops.js';
import type { TensorLike } from '../tensorLike.js';
import { isPlainObject, type DataElement } from './element.js';

const WHERE = 'Dataset.batch';

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (v instanceof Tensor) return `a tensor of shape [${v.shape.join(', ')}]`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v;
}

/** Numbers, booleans, typed arrays and arrays nesting only those: one leaf, made into a tensor as a whole. */
function isNumericLeaf(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'boolean') return true;
  if (ArrayBuffer.isView(v)) return true;
  return Array.isArray(v) && v.every(isNumericLeaf);
}

function batchAt(rows: readonly unknown[], place: string): TensorContainer {
  const first = rows[0];
  const mismatch = (i: number, expected: string): Error =>
    new Error(`${WHERE}: element ${i} has ${describe(rows[i])} at ${place}, element 0 ${expected}; every element must have the same structure`);
  if (first instanceof Tensor) {
    rows.forEach((r, i) => { if (!(r instanceof Tensor)) throw mismatch(i, 'a tensor'); });
    return stack(rows as Tensor[]);
  }
  if (isNumericLeaf(first)) {
    rows.forEach((r, i) => { if (!isNumericLeaf(r)) throw mismatch(i, describe(first)); });
    // typed arrays as plain arrays, so that rows of them nest into one [n, length] tensor
    return tensor(rows.map((r) => (ArrayBuffer.isView(r) ? Array.from(r as unknown as ArrayLike<number>) : r)) as TensorLike);
  }
  if (Array.isArray(first)) {
    rows.forEach((r, i) => { if (!Array.isArray(r) || r.length !== first.length) throw mismatch(i, describe(first)); });
    return first.map((_, k) => batchAt(rows.map((r) => (r as unknown[])[k]), `${place}[${k}]`));
  }
  if (isPlainObject(first)) {
    const keys = Object.keys(first);
    rows.forEach((r, i) => {
      if (!isPlainObject(r) || Object.keys(r).length !== keys.length || keys.some((k) => !(k in r))) throw mismatch(i, `an object with keys ${keys.join(', ')}`);
    });
    return Object.fromEntries(keys.map((k) => [k, batchAt(rows.map((r) => (r as Record<string, unknown>)[k]), `${place}.${k}`)]));
  }
  throw new Error(`${WHERE}: cannot batch ${describe(first)} at ${place}; elements may hold tensors, numbers, booleans, typed arrays, and arrays or plain objects of them`);
}

/** One batched element from rows of the same structure (at least one row); the rows are left as they are. */
export function batchElements(rows: readonly DataElement[]): DataElement {
  if (rows.length === 0) throw new Error(`${WHERE}: cannot make a batch of zero elements`);
  return tidy(() => batchAt(rows, 'the top')) as DataElement;
}
