// The public shape and layout ops, in TensorFlow.js's names and semantics:
// reshape, transpose, slice, concat, stack, unstack, split, pad, gather, tile,
// expandDims, squeeze, oneHot, broadcastTo, reverse. Each converts its
// arguments, checks them (errors name the op), runs a kernel and records its
// gradient. Results keep x's dtype (int32 stays int32).

import { recordGradient, withoutTape } from '../../autodiff/tape.js';
import { backendOf, toTensor, toTensors, type TensorOrLike } from '../../convert.js';
import { Tensor, asInt32, shapeToString } from '../../tensor.js';
import { run } from '../kernel.js';
import {
  concatAxisKernel, gatherAxisBackwardKernel, gatherAxisKernel, oneHotRowsKernel, stridedCopyKernel, tileSumKernel,
} from './index.js';
import { padPlan, reversePlan, slicePlan, tilePlan, transposePlan } from './plan.js';

/** int32 when every source is int32 (storage is float32 either way). */
function withDtypeOf<T extends Tensor>(y: T, ...sources: readonly Tensor[]): T {
  if (sources.every((s) => s.dtype === 'int32')) asInt32(y);
  return y;
}

/** An axis in [-rank, rank) as a non-negative one. */
function axisIn(op: string, axis: number, rank: number, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(`${op}: ${what} ${axis} is out of range for a tensor of rank ${rank} (expected an integer in [-${rank}, ${rank}))`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** A new axis position in [-(rank + 1), rank] as a non-negative one (expandDims, stack). */
function newAxisIn(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -(rank + 1) || axis > rank) {
    throw new Error(`${op}: axis ${axis} is out of range for a new axis of a tensor of rank ${rank} (expected an integer in [-${rank + 1}, ${rank}])`);
  }
  return axis < 0 ? axis + rank + 1 : axis;
}

const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;

function expectCounts(op: string, what: string, values: readonly number[]): void {
  if (!Array.isArray(values) || !values.every(isCount)) {
    throw new Error(`${op}: expected ${what} of non-negative integers, got ${JSON.stringify(values)}`);
  }
}

/** A view of x with another shape (a function form of Tensor.reshape; one -1 is inferred). */
export function reshape(x: TensorOrLike, shape: readonly number[]): Tensor {
  return toTensor(x, 'reshape', 'x').reshape(shape);
}

/** x with its axes permuted: output axis d is x's axis perm[d]; perm defaults to the axes reversed. */
export function transpose(x: TensorOrLike, perm?: readonly number[]): Tensor {
  const t = toTensor(x, 'transpose', 'x');
  const p = perm ? [...perm] : t.shape.map((_, i) => t.rank - 1 - i);
  if (p.length !== t.rank) {
    throw new Error(`transpose: perm ${JSON.stringify(p)} must have one entry per axis of x ${shapeToString(t.shape)} (rank ${t.rank})`);
  }
  if (!p.every((a) => isCount(a) && a < t.rank) || new Set(p).size !== p.length) {
    throw new Error(`transpose: perm ${JSON.stringify(p)} must be a permutation of the axes 0..${t.rank - 1}`);
  }
  if (t.rank <= 1) return t.clone();
  const y = withDtypeOf(run(stridedCopyKernel, t, transposePlan(t.shape, p)), t);
  const inverse = new Array<number>(p.length);
  p.forEach((a, d) => { inverse[a] = d; });
  recordGradient('transpose', [t], y, (dy) => [transpose(dy, inverse)]);
  return y;
}

/** begin and size as TF.js writes them (a number is the first axis; missing axes are 0 and -1), resolved. */
function sliceBounds(t: Tensor, begin: number | readonly number[], size?: number | readonly number[]): [number[], number[]] {
  const rest = (n: number, v: number) => new Array<number>(Math.max(0, n)).fill(v);
  const b = typeof begin === 'number' ? [begin, ...rest(t.rank - 1, 0)] : [...begin, ...rest(t.rank - begin.length, 0)];
  const s = size === undefined ? rest(t.rank, -1)
    : typeof size === 'number' ? [size, ...rest(t.rank - 1, -1)] : [...size, ...rest(t.rank - size.length, -1)];
  if (b.length !== t.rank || s.length !== t.rank) {
    throw new Error(`slice: begin ${JSON.stringify(begin)} and size ${JSON.stringify(size)} must have at most one entry per axis of x ${shapeToString(t.shape)}`);
  }
  b.forEach((bi, d) => {
    if (!isCount(bi) || bi > t.shape[d]) {
      throw new Error(`slice: begin[${d}] = ${bi} must be an integer in [0, ${t.shape[d]}] for x ${shapeToString(t.shape)} (negative begins are not supported)`);
    }
  });
  const sizes = s.map((si, d) => {
    if (si === -1) return t.shape[d] - b[d];
    if (!isCount(si)) throw new Error(`slice: size[${d}] = ${si} must be a non-negative integer or -1 (to the end)`);
    if (b[d] + si > t.shape[d]) {
      throw new Error(`slice: begin[${d}] + size[${d}] (${b[d] + si}) would overflow x.shape[${d}] (${t.shape[d]})`);
    }
    return si;
  });
  return [b, sizes];
}

/** The block of x starting at `begin` of `size` (-1: to the end of that axis). */
export function slice(x: TensorOrLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'slice', 'x');
  if (t.rank === 0) throw new Error('slice: cannot slice a scalar (x has rank 0)');
  const [b, s] = sliceBounds(t, begin, size);
  const y = withDtypeOf(run(stridedCopyKernel, t, slicePlan(b, s)), t);
  const xShape = [...t.shape];
  recordGradient('slice', [t], y, (dy) => [pad(dy, b.map((bi, d) => [bi, xShape[d] - bi - s[d]] as [number, number]))]);
  return y;
}

/** The tensors joined along `axis`; every other axis must match. */
export function concat(tensors: readonly TensorOrLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('concat: expected at least one tensor, got none');
  const owner = backendOf(...tensors);
  const ts = tensors.map((v, i) => toTensor(v, 'concat', `tensors[${i}]`, owner));
  const first = ts[0];
  if (first.rank === 0) throw new Error('concat: cannot concatenate scalars (rank 0); use stack');
  const a = axisIn('concat', axis, first.rank);
  ts.forEach((t, k) => {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new Error(`concat: tensors[${k}] has shape ${shapeToString(t.shape)}, which does not match ${shapeToString(first.shape)} of tensors[0] on every axis but ${a}`);
    }
  });
  if (ts.length === 1) return first.clone();
  const y = withDtypeOf(run(concatAxisKernel, ts, a), ...ts);
  const shapes = ts.map((t) => [...t.shape]);
  recordGradient('concat', ts, y, (dy) => {
    let start = 0;
    return shapes.map((shape) => {
      const begin = shape.map((_, d) => (d === a ? start : 0));
      start += shape[a];
      return slice(dy, begin, shape);
    });
  });
  return y;
}

/** The tensors (all of one shape) stacked along a new axis. */
export function stack(tensors: readonly TensorOrLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('stack: expected at least one tensor, got none');
  const owner = backendOf(...tensors);
  const ts = tensors.map((v, i) => toTensor(v, 'stack', `tensors[${i}]`, owner));
  const shape = ts[0].shape;
  ts.forEach((t, k) => {
    if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`stack: every tensor must have the shape of tensors[0], ${shapeToString(shape)}; tensors[${k}] has ${shapeToString(t.shape)}`);
    }
  });
  const a = newAxisIn('stack', axis, shape.length);
  const expanded = ts.map((t) => expandDims(t, a));
  const y = concat(expanded, a);
  // The views are recorded on the tape (their gradients need only their shapes): they may go.
  for (const e of expanded) e.dispose();
  return y;
}

/** The slices of x along `axis`, each without that axis. */
export function unstack(x: TensorOrLike, axis = 0): Tensor[] {
  const t = toTensor(x, 'unstack', 'x');
  if (t.rank === 0) throw new Error('unstack: cannot unstack a scalar (x has rank 0)');
  const a = axisIn('unstack', axis, t.rank);
  const size = t.shape.map((d, i) => (i === a ? 1 : d));
  const outShape = t.shape.filter((_, i) => i !== a);
  return Array.from({ length: t.shape[a] }, (_, k) => {
    const part = slice(t, t.shape.map((_d, i) => (i === a ? k : 0)), size);
    const y = part.reshape(outShape);
    part.dispose();
    return y;
  });
}

/** x cut along `axis` into numOrSizeSplits equal parts, or parts of the given sizes (one -1: the rest). */
export function split(x: TensorOrLike, numOrSizeSplits: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor(x, 'split', 'x');
  if (t.rank === 0) throw new Error('split: cannot split a scalar (x has rank 0)');
  const a = axisIn('split', axis, t.rank);
  const n = t.shape[a];
  let sizes: number[];
  if (typeof numOrSizeSplits === 'number') {
    if (!Number.isInteger(numOrSizeSplits) || numOrSizeSplits < 1 || n % numOrSizeSplits !== 0) {
      throw new Error(`split: ${numOrSizeSplits} splits do not evenly divide axis ${a} of size ${n}`);
    }
    sizes = new Array<number>(numOrSizeSplits).fill(n / numOrSizeSplits);
  } else {
    sizes = [...numOrSizeSplits];
    const unknown = sizes.filter((s) => s === -1).length;
    if (unknown > 1) throw new Error(`split: at most one size may be -1, got ${JSON.stringify(numOrSizeSplits)}`);
    if (!sizes.every((s) => s === -1 || isCount(s))) {
      throw new Error(`split: sizes must be non-negative integers (one may be -1), got ${JSON.stringify(numOrSizeSplits)}`);
    }
    const known = sizes.reduce((sum, s) => (s === -1 ? sum : sum + s), 0);
    if (unknown === 1) sizes[sizes.indexOf(-1)] = n - known;
    if (sizes.some((s) => s < 0) || sizes.reduce((p, s) => p + s, 0) !== n) {
      throw new Error(`split: the sizes ${JSON.stringify(numOrSizeSplits)} must add up to axis ${a}'s size ${n}`);
    }
  }
  let start = 0;
  return sizes.map((s) => {
    const begin = t.shape.map((_, i) => (i === a ? start : 0));
    start += s;
    return slice(t, begin, t.shape.map((d, i) => (i === a ? s : d)));
  });
}

/** x with paddings[d] = [before, after] elements of constantValue around each axis. */
export function pad(x: TensorOrLike, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor {
  const t = toTensor(x, 'pad', 'x');
  if (t.rank === 0) throw new Error('pad: cannot pad a scalar (x has rank 0)');
  if (!Array.isArray(paddings) || paddings.length !== t.rank || !paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every(isCount))) {
    throw new Error(`pad: expected paddings of ${t.rank} [before, after] pairs of non-negative integers for x ${shapeToString(t.shape)}, got ${JSON.stringify(paddings)}`);
  }
  if (typeof constantValue !== 'number') throw new Error(`pad: expected a numeric constantValue, got ${typeof constantValue}`);
  const y = withDtypeOf(run(stridedCopyKernel, t, padPlan(t.shape, paddings, constantValue)), t);
  const xShape = [...t.shape];
  recordGradient('pad', [t], y, (dy) => [slice(dy, paddings.map((p) => p[0]), xShape)]);
  return y;
}

/**
 * x's slices along `axis` at the given indices (int32 or float32 tensors or
 * number arrays), with `batchDims` leading axes shared by x and indices, as
 * TF.js's gather. An index outside [0, x.shape[axis]) throws on the CPU
 * backend; on WebGPU (which does not read the indices back) it gives zeros,
 * as TF.js's webgpu backend does.
 */
export function gather(x: TensorOrLike, indices: TensorOrLike, axis = 0, batchDims = 0): Tensor {
  const [t, idx] = toTensors('gather', { x, indices });
  if (t.rank === 0) throw new Error('gather: x must have rank >= 1, got a scalar');
  const a = axisIn('gather', axis, t.rank);
  if (!Number.isInteger(batchDims) || batchDims < -idx.rank || batchDims > idx.rank) {
    throw new Error(`gather: batchDims ${batchDims} must be an integer in [-${idx.rank}, ${idx.rank}] (the rank of indices)`);
  }
  const bd = batchDims < 0 ? batchDims + idx.rank : batchDims;
  if (bd > a) throw new Error(`gather: batchDims (${bd}) must be less than or equal to axis (${a})`);
  for (let i = 0; i < bd; i++) {
    if (t.shape[i] !== idx.shape[i]) {
      throw new Error(`gather: x.shape[${i}] (${t.shape[i]}) must equal indices.shape[${i}] (${idx.shape[i]}) for batchDims ${bd}`);
    }
  }
  const y = withDtypeOf(run(gatherAxisKernel, t, idx, a, bd), t);
  const xShape = [...t.shape];
  recordGradient('gather', [t, idx], y, (dy) => [run(gatherAxisBackwardKernel, dy, idx, xShape, a, bd), null]);
  return y;
}

/** x repeated reps[d] times along each axis. */
export function tile(x: TensorOrLike, reps: readonly number[]): Tensor {
  const t = toTensor(x, 'tile', 'x');
  if (!Array.isArray(reps) || reps.length !== t.rank) {
    throw new Error(`tile: reps ${JSON.stringify(reps)} must have one entry per axis of x ${shapeToString(t.shape)} (rank ${t.rank})`);
  }
  expectCounts('tile', 'reps', reps);
  if (t.rank === 0) return t.clone();
  const y = withDtypeOf(run(stridedCopyKernel, t, tilePlan(t.shape, reps)), t);
  const xShape = [...t.shape];
  recordGradient('tile', [t], y, (dy) => [run(tileSumKernel, dy, xShape)]);
  return y;
}

/** x with a new axis of size 1 at `axis` (in [-(rank + 1), rank]). */
export function expandDims(x: TensorOrLike, axis = 0): Tensor {
  const t = toTensor(x, 'expandDims', 'x');
  const a = newAxisIn('expandDims', axis, t.rank);
  const shape = [...t.shape];
  shape.splice(a, 0, 1);
  return t.reshape(shape);
}

/** x without its axes of size 1 (or only the given ones, which must have size 1). */
export function squeeze(x: TensorOrLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'squeeze', 'x');
  const given = axis === undefined ? [] : typeof axis === 'number' ? [axis] : [...axis];
  const axes = given.map((a) => axisIn('squeeze', a, t.rank));
  for (const a of axes) {
    if (t.shape[a] !== 1) throw new Error(`squeeze: cannot squeeze axis ${a} of x ${shapeToString(t.shape)}: its size is ${t.shape[a]}, not 1`);
  }
  const drop = (d: number, i: number) => d === 1 && (axes.length === 0 || axes.includes(i));
  return t.reshape(t.shape.filter((d, i) => !drop(d, i)));
}

/**
 * One-hot rows: shape [...indices.shape, depth], onValue where the index is j,
 * offValue elsewhere (an index outside [0, depth) gives a row of offValue).
 * dtype 'int32' (the default, as in TF.js 4.x) truncates the values.
 */
export function oneHot(indices: TensorOrLike, depth: number, onValue = 1, offValue = 0, dtype: 'int32' | 'float32' = 'int32'): Tensor {
  const idx = toTensor(indices, 'oneHot', 'indices');
  if (!Number.isInteger(depth) || depth < 2) throw new Error(`oneHot: depth must be an integer >= 2, got ${depth}`);
  if (dtype !== 'int32' && dtype !== 'float32') throw new Error(`oneHot: dtype must be 'int32' or 'float32', got ${JSON.stringify(dtype)}`);
  const on = dtype === 'int32' ? Math.trunc(onValue) : onValue;
  const off = dtype === 'int32' ? Math.trunc(offValue) : offValue;
  const y = run(oneHotRowsKernel, idx, depth, on, off);
  return dtype === 'int32' ? asInt32(y) : y;
}

/** x broadcast to `shape` (numpy rules: leading axes added, axes of size 1 repeated). */
export function broadcastTo(x: TensorOrLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, 'broadcastTo', 'x');
  expectCounts('broadcastTo', 'shape', shape);
  if (shape.length < t.rank) {
    throw new Error(`broadcastTo: cannot broadcast ${shapeToString(t.shape)} to ${shapeToString(shape)}, which has fewer axes`);
  }
  const padded = [...new Array<number>(shape.length - t.rank).fill(1), ...t.shape];
  const reps = shape.map((n, d) => {
    if (padded[d] === n) return 1;
    if (padded[d] !== 1) throw new Error(`broadcastTo: cannot broadcast ${shapeToString(t.shape)} to ${shapeToString(shape)}: axis ${d} has size ${padded[d]}, not 1 or ${n}`);
    return n;
  });
  if (reps.every((r) => r === 1)) return t.reshape(shape);
  const y = withDtypeOf(withoutTape(() => {
    const view = t.reshape(padded);
    const tiled = run(stridedCopyKernel, view, tilePlan(padded, reps));
    view.dispose();
    return tiled;
  }), t);
  const xShape = [...t.shape];
  recordGradient('broadcastTo', [t], y, (dy) => [run(tileSumKernel, dy, padded).reshape(xShape)]);
  return y;
}

/** x read backwards along the given axes (all of them by default). */
export function reverse(x: TensorOrLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor(x, 'reverse', 'x');
  const given = axis === undefined ? t.shape.map((_, i) => i) : typeof axis === 'number' ? [axis] : [...axis];
  const axes = given.map((a) => axisIn('reverse', a, t.rank));
  if (t.rank === 0) return t.clone();
  const y = withDtypeOf(run(stridedCopyKernel, t, reversePlan(t.shape, axes)), t);
  recordGradient('reverse', [t], y, (dy) => [reverse(dy, axes)]);
  return y;
}
