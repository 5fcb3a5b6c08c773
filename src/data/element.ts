// What a dataset element is and who owns its tensors. An element is a tensor,
// a number, a boolean, a typed array, or an array or plain object nesting
// them. Every element an iterator hands out belongs to its consumer, who
// disposes its tensors (wc.data.array hands out copies for that reason).

import { Tensor } from '../tensor.js';
import type { NumericTypedArray } from '../tensorLike.js';

/** A dataset element: tensors, numbers, booleans, typed arrays, and arrays or objects nesting them. */
export type DataElement = Tensor | number | boolean | string | null | undefined | NumericTypedArray
  | readonly DataElement[] | { readonly [key: string]: DataElement };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Every tensor inside an element, each once. */
export function tensorsIn(e: unknown, into: Set<Tensor> = new Set()): Set<Tensor> {
  if (e instanceof Tensor) into.add(e);
  else if (Array.isArray(e)) for (const v of e) tensorsIn(v, into);
  else if (isPlainObject(e)) for (const v of Object.values(e)) tensorsIn(v, into);
  return into;
}

/** Disposes every tensor inside an element (what a consumer does once it is done with it). */
export function disposeElement(e: unknown): void {
  for (const t of tensorsIn(e)) t.dispose();
}

/** Disposes the tensors of `input` that `output` does not hold (map's rule: what the transform dropped). */
export function disposeDropped(input: unknown, output: unknown): void {
  const kept = tensorsIn(output);
  for (const t of tensorsIn(input)) if (!kept.has(t)) t.dispose();
}

/** The element with every tensor copied, so that the consumer may dispose them and the source stays. */
export function cloneElement<T>(e: T): T {
  if (e instanceof Tensor) return e.clone() as T;
  if (Array.isArray(e)) return e.map((v) => cloneElement(v)) as T;
  if (isPlainObject(e)) return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, cloneElement(v)])) as T;
  return e;
}
