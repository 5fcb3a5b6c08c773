// Layout kernels, in place of src/kernels/layout/cpu.ts: the strided copy
// (transpose, slice, pad, tile, broadcastTo, reverse), the sum of tiles,
// gather along an axis with its index check and its scatter-add, and one-hot
// rows. (Concatenation along an axis is structure.ts's concatPart.) Shapes
// arrive as i32 tables that the JS bindings (src/kernels/layout/wasm.ts)
// have already simplified; nothing here re-derives them.

import { at } from './lanes';

/** n floats of value v from p. */
function fillRun(p: usize, n: i32, v: f32): void {
  const s = f32x4.splat(v);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(p, i), s);
  for (; i < n; i++) store<f32>(at(p, i), v);
}

/** n floats from `from` to `to` (not overlapping): short rows in lanes, long ones by memory.copy. */
function copyRun(to: usize, from: usize, n: i32): void {
  if (n >= 32) {
    memory.copy(to, from, <usize>n << 2);
    return;
  }
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(to, i), v128.load(at(from, i)));
  for (; i < n; i++) store<f32>(at(to, i), load<f32>(at(from, i)));
}

/** to[i] = from[-i] for i in [0, n): a run read backwards. */
function reverseRun(to: usize, from: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(from, -i - 3));
    v128.store(at(to, i), v128.shuffle<f32>(v, v, 3, 2, 1, 0));
  }
  for (; i < n; i++) store<f32>(at(to, i), load<f32>(at(from, -i)));
}

/** to[i] = from[i * step] for i in [0, n): a run across the input's axes (step may be negative). */
function stepRun(to: usize, from: usize, n: i32, step: i32): void {
  for (let i = 0; i < n; i++) store<f32>(at(to, i), load<f32>(at(from, i * step)));
}

/** to[i] += from[i] for i in [0, n): one float32 add per element. */
function addRun(to: usize, from: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(to, i), f32x4.add(v128.load(at(to, i)), v128.load(at(from, i))));
  for (; i < n; i++) store<f32>(at(to, i), load<f32>(at(to, i)) + load<f32>(at(from, i)));
}

// ---- the strided copy -------------------------------------------------------
// Its table: one row of COPY_ROW i32s per output axis, outermost first:
// n (the axis' length), period (the read's wrap, at most n), step (+-1),
// shift, size (the input's length along it), stride (the input's, in
// elements) and block (output elements per coordinate of this axis).
// Coordinate c reads input position shift + step * (c % period); one outside
// [0, size) makes fill. Output block c repeats block c - period.

const COPY_ROW = 7;

@inline function field(table: usize, d: i32, k: i32): i32 {
  return load<i32>(at(table, d * COPY_ROW + k));
}

/** The last axis: its first period as fill, then the run that reads inside x, then fill; the later periods copy the first. */
function copyLastAxis(x: usize, y: usize, n: i32, period: i32, step: i32, shift: i32, size: i32, stride: i32, fill: f32): void {
  // m in [lo, hi) reads inside x.
  let lo: i32;
  let hi: i32;
  if (step > 0) {
    lo = max(0, -shift);
    hi = min(period, size - shift);
  } else {
    lo = max(0, shift - size + 1);
    hi = min(period, shift + 1);
  }
  if (hi <= lo) {
    fillRun(y, period, fill);
  } else {
    fillRun(y, lo, fill);
    const from = at(x, (shift + step * lo) * stride);
    const to = at(y, lo);
    const len = hi - lo;
    if (stride == 1 && step > 0) copyRun(to, from, len);
    else if (stride == 1) reverseRun(to, from, len);
    else stepRun(to, from, len, step * stride);
    fillRun(at(y, hi), period - hi, fill);
  }
  for (let c = period; c < n; c += period) copyRun(at(y, c), y, min(period, n - c));
}

function copyAxis(table: usize, d: i32, last: i32, x: usize, y: usize, fill: f32): void {
  const n = field(table, d, 0);
  const period = field(table, d, 1);
  const step = field(table, d, 2);
  const shift = field(table, d, 3);
  const size = field(table, d, 4);
  const stride = field(table, d, 5);
  if (d == last) {
    copyLastAxis(x, y, n, period, step, shift, size, stride, fill);
    return;
  }
  const block = field(table, d, 6);
  for (let c = 0; c < period; c++) {
    const p = shift + step * c;
    const to = at(y, c * block);
    if (p < 0 || p >= size) fillRun(to, block, fill);
    else copyAxis(table, d + 1, last, at(x, p * stride), to, fill);
  }
  const span = period * block;
  const total = n * block;
  for (let o = span; o < total; o += span) copyRun(at(y, o), y, min(span, total - o));
}

/** y = x read as the table's `rank` rows say (rank >= 1), `fill` outside x. */
export function stridedCopy(x: usize, y: usize, rank: i32, table: usize, fill: f64): void {
  copyAxis(table, 0, rank - 1, x, y, <f32>fill);
}

// ---- the sum of tiles --------------------------------------------------------
// Its table: one row of SUM_ROW i32s per axis of dy's walk, outermost first:
// n, dx's stride along it (0 along an axis of tiles) and block (dy elements
// per coordinate). dy is read in order, so each dx element sums its tiles in
// the CPU's order.

const SUM_ROW = 3;

function sumAxis(table: usize, d: i32, last: i32, dy: usize, dx: usize): void {
  const n = load<i32>(at(table, d * SUM_ROW));
  const stride = load<i32>(at(table, d * SUM_ROW + 1));
  if (d == last) {
    if (stride == 1) {
      addRun(dx, dy, n);
    } else {
      // Along tiles (stride 0) the adds go one after another into one element.
      for (let i = 0; i < n; i++) store<f32>(at(dx, i * stride), load<f32>(at(dx, i * stride)) + load<f32>(at(dy, i)));
    }
    return;
  }
  const block = load<i32>(at(table, d * SUM_ROW + 2));
  for (let c = 0; c < n; c++) sumAxis(table, d + 1, last, at(dy, c * block), at(dx, c * stride));
}

/** dx [size] = the sum of dy's tiles: the table's `rank` rows (rank >= 1) walk dy. */
export function tileSum(dy: usize, dx: usize, size: i32, rank: i32, table: usize): void {
  memory.fill(dx, 0, <usize>size << 2);
  sumAxis(table, 0, rank - 1, dy, dx);
}

// ---- gather, its scatter-add and one-hot rows ---------------------------------
// Indices are stored as floats and read truncated, as the CPU reference does.

/** The index at position i, or -1 where it falls outside [0, dim). */
@inline function indexIn(indices: usize, i: i32, dim: i32): i32 {
  const t = Math.trunc(<f64>load<f32>(at(indices, i)));
  return t >= 0 && t < <f64>dim ? <i32>t : -1;
}

/** The position of the first of n indices outside [0, dim), or -1. */
export function firstIndexOutside(indices: usize, n: i32, dim: i32): i32 {
  for (let i = 0; i < n; i++) if (indexIn(indices, i, dim) < 0) return i;
  return -1;
}

/**
 * y [batch, outer, count, inner] = x [batch, outer, dim, inner] at indices
 * [batch, count] along dim; every index already checked to be inside.
 */
export function gatherAxis(x: usize, indices: usize, y: usize, batch: i32, outer: i32, dim: i32, inner: i32, count: i32): void {
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let q = 0; q < outer; q++) {
      const base = (b * outer + q) * dim;
      for (let k = 0; k < count; k++, o += inner) {
        const row = (base + indexIn(indices, b * count + k, dim)) * inner;
        if (inner == 1) store<f32>(at(y, o), load<f32>(at(x, row)));
        else copyRun(at(y, o), at(x, row), inner);
      }
    }
  }
}

/** dx [batch, outer, dim, inner] = dy's rows added into the rows their indices name, in order; outside indices add nothing. */
export function gatherAxisBackward(dy: usize, indices: usize, dx: usize, batch: i32, outer: i32, dim: i32, inner: i32, count: i32): void {
  memory.fill(dx, 0, <usize>batch * outer * dim * inner << 2);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let q = 0; q < outer; q++) {
      const base = (b * outer + q) * dim;
      for (let k = 0; k < count; k++, o += inner) {
        const j = indexIn(indices, b * count + k, dim);
        if (j >= 0) addRun(at(dx, (base + j) * inner), at(dy, o), inner);
      }
    }
  }
}

/** y [rows, depth]: off everywhere but on at each row's index (none where it is outside [0, depth)). */
export function oneHotRows(indices: usize, y: usize, rows: i32, depth: i32, on: f64, off: f64): void {
  fillRun(y, rows * depth, <f32>off);
  const v = <f32>on;
  for (let m = 0; m < rows; m++) {
    const j = indexIn(indices, m, depth);
    if (j >= 0) store<f32>(at(y, m * depth + j), v);
  }
}
