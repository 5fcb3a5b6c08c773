// What wc.tensor() accepts, as TF.js's tf.tensor does: a number or boolean
// (a scalar), a typed array, or nested arrays whose shape is their nesting
// (booleans become 1 and 0, as in a float32 TF.js tensor). Anything else, a
// ragged nesting or a shape that is not a list of non-negative integers is
// refused here, naming the element, rather than becoming NaN or failing
// inside. Messages quote at most a short prefix of what they were given.

import type { Shape } from './backend/types.js';
import { sizeOf, shapeToString } from './tensor.js';

export type NumericTypedArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array
  | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array;
/** A value wc.tensor() takes: a number, a boolean, a typed array or (nested) arrays of them. */
export type TensorLike = number | boolean | NumericTypedArray | readonly TensorLike[];

const WHERE = 'wc.tensor';
/** Entries of a shape or characters of a string a message shows before it says "...". */
const SHOWN = 8;
const SHOWN_CHARS = 24;

function isNumericTypedArray(v: unknown): v is NumericTypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
}

/** A short description of any value, safe for hostile input (no unbounded stringification). */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > SHOWN_CHARS ? `${v.slice(0, SHOWN_CHARS)}...` : v)})`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `a bigint (${String(v).slice(0, SHOWN_CHARS)})`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  const kind = typeof v === 'object' ? (v as object).constructor?.name ?? 'object' : typeof v;
  return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

function path(indices: readonly number[]): string {
  const part = (list: readonly number[]) => list.map((i) => `[${i}]`).join('');
  if (indices.length <= 2 * SHOWN) return part(indices);
  return `${part(indices.slice(0, SHOWN))}...${part(indices.slice(-SHOWN))} (${indices.length} deep)`;
}

function showShape(shape: readonly unknown[]): string {
  const shown = shape.slice(0, SHOWN).map((d) => (typeof d === 'number' ? String(d) : typeof d === 'string' ? JSON.stringify(d.slice(0, SHOWN_CHARS)) : describeValue(d)));
  return `[${shown.join(', ')}${shape.length > SHOWN ? `, ... (${shape.length} entries)` : ''}]`;
}

/** A shape argument: undefined or null (infer it, as tf.tensor does) or an array of non-negative integers. */
export function checkShape(shape: unknown): Shape | undefined {
  if (shape === undefined || shape === null) return undefined;
  if (!Array.isArray(shape)) {
    throw new Error(`${WHERE}: shape must be an array of non-negative integers (or left out, to take the values' shape), got ${describeValue(shape)}`);
  }
  if (!shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new Error(`${WHERE}: shape must hold non-negative integers, got ${showShape(shape)}`);
  }
  return shape as number[];
}

/** The shape of nested arrays, read along their first elements (checked against the rest by flatten). */
function inferShape(values: readonly unknown[]): number[] {
  const shape: number[] = [];
  let first: unknown = values;
  while (Array.isArray(first) || isNumericTypedArray(first)) {
    shape.push(first.length);
    if (first.length === 0 || isNumericTypedArray(first)) break;
    first = first[0];
  }
  return shape;
}

function leaf(v: unknown, indices: readonly number[]): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const where = indices.length ? `element ${path(indices)}` : 'the value';
  const what = Array.isArray(v) || isNumericTypedArray(v) ? `${describeValue(v)}, where the nesting of element ${path(indices.map(() => 0))} puts a number` : describeValue(v);
  throw new Error(`${WHERE}: ${where} is ${what}; values must be numbers or booleans`);
}

/** Where a node sits in the nesting: its index and its parent's place (a path is built only for a message). */
interface Place { index: number; parent: Place | null; depth: number }

function indicesOf(place: Place | null): number[] {
  const out: number[] = [];
  for (let p = place; p && p.depth > 0; p = p.parent) out.unshift(p.index);
  return out;
}

/**
 * Fills a Float32Array from nested arrays of the given shape, with an
 * explicit stack: deep nesting cannot overflow the call stack.
 */
function flattenNested(values: readonly unknown[], shape: readonly number[]): Float32Array {
  const out = new Float32Array(sizeOf(shape));
  let next = 0;
  const stack: { node: unknown; place: Place }[] = [{ node: values, place: { index: 0, parent: null, depth: 0 } }];
  while (stack.length) {
    const { node, place } = stack.pop()!;
    const depth = place.depth;
    const isArray = Array.isArray(node);
    if (!isArray && !isNumericTypedArray(node)) {
      const at = indicesOf(place);
      throw new Error(`${WHERE}: element ${path(at)} is ${describeValue(node)}, where the nesting of element ${path(at.map(() => 0))} puts an array of ${shape[depth]}; nested arrays must be rectangular`);
    }
    if (!isArray && depth !== shape.length - 1) {
      const at = indicesOf(place);
      throw new Error(`${WHERE}: element ${path(at)} is a typed array, where the nesting of element ${path(at.map(() => 0))} puts arrays ${shape.length - depth} deep`);
    }
    const items = node as ArrayLike<unknown>;
    if (items.length !== shape[depth]) {
      const at = indicesOf(place);
      throw new Error(`${WHERE}: nested arrays must be rectangular: element ${path(at)} has length ${items.length}, expected ${shape[depth]} (the length of element ${path([...at.slice(0, -1), 0])})`);
    }
    if (!isArray) {
      // a typed array row: its values are numbers already
      out.set(node as NumericTypedArray, next);
      next += items.length;
    } else if (depth === shape.length - 1) {
      for (let i = 0; i < items.length; i++) {
        const v = items[i];
        // the path is built only for a value that is not a number
        out[next++] = typeof v === 'number' ? v : leaf(v, [...indicesOf(place), i]);
      }
    } else {
      for (let i = items.length - 1; i >= 0; i--) stack.push({ node: items[i], place: { index: i, parent: place, depth: depth + 1 } });
    }
  }
  return out;
}

/** TF.js's check of a given shape against the values' own: the size, then each axis (the last may be split). */
function checkAgainst(given: Shape, inferred: Shape): void {
  if (sizeOf(given) !== sizeOf(inferred)) {
    throw new Error(`${WHERE}: shape ${shapeToString(given)} needs ${sizeOf(given)} values, got ${sizeOf(inferred)}${inferred.length > 1 ? ` (values of shape ${shapeToString(inferred)})` : ''}`);
  }
  inferred.forEach((d, i) => {
    const splitLast = i === inferred.length - 1 && d === sizeOf(given.slice(i));
    if (d !== given[i] && !splitLast) {
      throw new Error(`${WHERE}: the nested values have shape ${shapeToString(inferred)}, which does not match the given shape ${shapeToString(given)}`);
    }
  });
}

/** The values as float32 and the tensor's shape: the given one, or the values' own. */
export function toFloat32(values: unknown, shapeArg: unknown): { values: Float32Array; shape: Shape } {
  const given = checkShape(shapeArg);
  let flat: Float32Array;
  let inferred: Shape;
  if (values instanceof Float32Array) {
    flat = values;
    inferred = [values.length];
  } else if (isNumericTypedArray(values)) {
    flat = Float32Array.from(values);
    inferred = [values.length];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    flat = flattenNested(values, inferred);
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    flat = Float32Array.of(leaf(values, []));
    inferred = [];
  } else {
    throw new Error(`${WHERE}: values must be a number, a boolean, a typed array or (nested) arrays of numbers, got ${describeValue(values)}`);
  }
  if (given) checkAgainst(given, inferred);
  return { values: flat, shape: given ?? inferred };
}
