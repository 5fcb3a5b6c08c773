// Reductions over any set of axes and their backward, and softmax and
// log-softmax along one axis with their backward, in place of
// src/kernels/reduce/cpu.ts: its f64 arithmetic in its order. Each output
// folds its elements one after another, so the lanes are four outputs side by
// side (sums and products as two f64x2), never one output split over lanes;
// only max and min, whose result no order changes, also split one output's
// contiguous run over lanes. exp and log run per element in f64.

import { at } from './lanes';

// The op codes, in the order of REDUCE_OPS (src/kernels/reduce/shape.ts).
const SUM = 0;
const MEAN = 1;
const PROD = 2;
const MAX = 3;
const MIN = 4;
const ARG_MAX = 5;
const ARG_MIN = 6;
const LOG_SUM_EXP = 7;

// The walk of the call running now (the JS binding's tables, i32 offsets into
// x): output o = run * keptLen + k starts at keptRuns[run] + k * keptStride;
// its elements are at that start + redRuns[q] + t * redStride, q < redCount
// outermost, t < redLen innermost: the CPU reference's order.
let keptRuns: usize = 0;
let keptLen = 1;
let keptStride = 0;
let redRuns: usize = 0;
let redCount = 0;
let redLen = 0;
let redStride = 0;

function setWalk(kRuns: usize, kLen: i32, kStride: i32, rRuns: usize, rCount: i32, rLen: i32, rStride: i32): void {
  keptRuns = kRuns;
  keptLen = kLen;
  keptStride = kStride;
  redRuns = rRuns;
  redCount = rCount;
  redLen = rLen;
  redStride = rStride;
}

/** Where output o's elements start in x. */
@inline function startOf(o: i32): i32 {
  const run = o / keptLen;
  return load<i32>(at(keptRuns, run)) + (o - run * keptLen) * keptStride;
}

/** Lanes 0, 1 of lo and hi rounded to float32, as one vector. */
@inline function narrow(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

@inline function lowHalf(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline function highHalf(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

// ---- reduce -----------------------------------------------------------------

@inline function pick(op: i32, a: v128, b: v128): v128 {
  return op == MAX ? f32x4.max(a, b) : f32x4.min(a, b);
}

/** runExtreme for one op: four running extremes of four lanes each, so no step waits on the one before. */
@inline function runExtremeOf(op: i32, p: usize, n: i32, m: f32): f32 {
  let t = 0;
  if (n >= 8) {
    let a = f32x4.splat(m);
    let b = a;
    let c = a;
    let d = a;
    for (; t + 16 <= n; t += 16) {
      const q = at(p, t);
      a = pick(op, a, v128.load(q));
      b = pick(op, b, v128.load(q, 16));
      c = pick(op, c, v128.load(q, 32));
      d = pick(op, d, v128.load(q, 48));
    }
    a = pick(op, pick(op, a, b), pick(op, c, d));
    for (; t + 4 <= n; t += 4) a = pick(op, a, v128.load(at(p, t)));
    a = pick(op, a, v128.shuffle<f32>(a, a, 2, 3, 0, 1));
    a = pick(op, a, v128.shuffle<f32>(a, a, 1, 0, 3, 2));
    m = f32x4.extract_lane(a, 0);
  }
  for (; t < n; t++) {
    const v = load<f32>(at(p, t));
    m = op == MAX ? max(m, v) : min(m, v);
  }
  return m;
}

/** The largest (max) or smallest of m and a contiguous run of n, in lanes: max and min give one answer in any order. */
function runExtreme(op: i32, p: usize, n: i32, m: f32): f32 {
  return op == MAX ? runExtremeOf(MAX, p, n, m) : runExtremeOf(MIN, p, n, m);
}

/** One output's value from its elements at x + start, in f64 as the CPU reference folds them. */
function foldOne(op: i32, x: usize, start: i32): f64 {
  const count = redCount;
  const len = redLen;
  const step = <usize>redStride << 2;
  const n = count * len;
  if (op == MAX || op == MIN) {
    let m: f32 = op == MAX ? <f32>-Infinity : <f32>Infinity;
    for (let q = 0; q < count; q++) {
      let p = at(x, start + load<i32>(at(redRuns, q)));
      if (step == 4) {
        m = runExtreme(op, p, len, m);
        continue;
      }
      for (let t = 0; t < len; t++, p += step) {
        const v = load<f32>(p);
        m = op == MAX ? max(m, v) : min(m, v);
      }
    }
    return <f64>m;
  }
  if (op == ARG_MAX || op == ARG_MIN) {
    // The first extreme: a later element must be strictly better (a NaN never is).
    if (n == 0) return 0;
    let best = load<f32>(at(x, start + load<i32>(redRuns)));
    let where = 0;
    let r = 0;
    for (let q = 0; q < count; q++) {
      let p = at(x, start + load<i32>(at(redRuns, q)));
      for (let t = 0; t < len; t++, p += step, r++) {
        const v = load<f32>(p);
        if (op == ARG_MAX ? v > best : v < best) {
          best = v;
          where = r;
        }
      }
    }
    return <f64>where;
  }
  if (op == LOG_SUM_EXP) {
    let m: f64 = -Infinity;
    for (let q = 0; q < count; q++) {
      let p = at(x, start + load<i32>(at(redRuns, q)));
      for (let t = 0; t < len; t++, p += step) m = max(m, <f64>load<f32>(p));
    }
    let s: f64 = 0;
    for (let q = 0; q < count; q++) {
      let p = at(x, start + load<i32>(at(redRuns, q)));
      for (let t = 0; t < len; t++, p += step) s += Math.exp(<f64>load<f32>(p) - m);
    }
    return m + Math.log(s);
  }
  if (op == PROD) {
    let s: f64 = 1;
    for (let q = 0; q < count; q++) {
      let p = at(x, start + load<i32>(at(redRuns, q)));
      for (let t = 0; t < len; t++, p += step) s *= <f64>load<f32>(p);
    }
    return s;
  }
  // Sum and mean start from +0, as the CPU does (a lone -0 sums to +0).
  let s: f64 = 0;
  for (let q = 0; q < count; q++) {
    let p = at(x, start + load<i32>(at(redRuns, q)));
    for (let t = 0; t < len; t++, p += step) s += <f64>load<f32>(p);
  }
  return op == MEAN ? s / <f64>n : s;
}

/** The element at offset off of four outputs starting at s0..s3: one load where they are side by side. */
@inline function four(contiguous: bool, x: usize, s0: i32, s1: i32, s2: i32, s3: i32, off: i32): v128 {
  if (contiguous) return v128.load(at(x, s0 + off));
  let v = v128.load32_zero(at(x, s0 + off));
  v = v128.load32_lane(at(x, s1 + off), v, 1);
  v = v128.load32_lane(at(x, s2 + off), v, 2);
  return v128.load32_lane(at(x, s3 + off), v, 3);
}

/** Sums (mean: divided by the count) or products of four outputs, each lane in f64. */
@inline function sums4(op: i32, contiguous: bool, x: usize, s0: i32, s1: i32, s2: i32, s3: i32): v128 {
  const count = redCount;
  const len = redLen;
  const stride = redStride;
  let lo = f64x2.splat(op == PROD ? 1 : 0);
  let hi = lo;
  for (let q = 0; q < count; q++) {
    let off = load<i32>(at(redRuns, q));
    for (let t = 0; t < len; t++, off += stride) {
      const v = four(contiguous, x, s0, s1, s2, s3, off);
      if (op == PROD) {
        lo = f64x2.mul(lo, lowHalf(v));
        hi = f64x2.mul(hi, highHalf(v));
      } else {
        lo = f64x2.add(lo, lowHalf(v));
        hi = f64x2.add(hi, highHalf(v));
      }
    }
  }
  if (op == MEAN) {
    const n = f64x2.splat(<f64>(count * len));
    lo = f64x2.div(lo, n);
    hi = f64x2.div(hi, n);
  }
  return narrow(lo, hi);
}

/** Max or min of four outputs. */
@inline function extremes4(op: i32, contiguous: bool, x: usize, s0: i32, s1: i32, s2: i32, s3: i32): v128 {
  const count = redCount;
  const len = redLen;
  const stride = redStride;
  let m = f32x4.splat(op == MAX ? <f32>-Infinity : <f32>Infinity);
  for (let q = 0; q < count; q++) {
    let off = load<i32>(at(redRuns, q));
    for (let t = 0; t < len; t++, off += stride) {
      const v = four(contiguous, x, s0, s1, s2, s3, off);
      m = op == MAX ? f32x4.max(m, v) : f32x4.min(m, v);
    }
  }
  return m;
}

/** The index of the first maximum (argMax) or minimum of four outputs (at least one element each). */
@inline function args4(op: i32, contiguous: bool, x: usize, s0: i32, s1: i32, s2: i32, s3: i32): v128 {
  const count = redCount;
  const len = redLen;
  const stride = redStride;
  let best = four(contiguous, x, s0, s1, s2, s3, load<i32>(redRuns));
  let where = i32x4.splat(0);
  let r = 0;
  for (let q = 0; q < count; q++) {
    let off = load<i32>(at(redRuns, q));
    for (let t = 0; t < len; t++, off += stride, r++) {
      const v = four(contiguous, x, s0, s1, s2, s3, off);
      const wins = op == ARG_MAX ? f32x4.gt(v, best) : f32x4.lt(v, best);
      best = v128.bitselect(v, best, wins);
      where = v128.bitselect(i32x4.splat(r), where, wins);
    }
  }
  return f32x4.convert_i32x4_s(where);
}

@inline function group(op: i32, contiguous: bool, x: usize, s0: i32, s1: i32, s2: i32, s3: i32): v128 {
  switch (op) {
    case SUM: return sums4(SUM, contiguous, x, s0, s1, s2, s3);
    case MEAN: return sums4(MEAN, contiguous, x, s0, s1, s2, s3);
    case PROD: return sums4(PROD, contiguous, x, s0, s1, s2, s3);
    case MAX: return extremes4(MAX, contiguous, x, s0, s1, s2, s3);
    case MIN: return extremes4(MIN, contiguous, x, s0, s1, s2, s3);
    case ARG_MAX: return args4(ARG_MAX, contiguous, x, s0, s1, s2, s3);
    case ARG_MIN: return args4(ARG_MIN, contiguous, x, s0, s1, s2, s3);
  }
  return f32x4.splat(NaN);
}

/** Four outputs side by side in x (one load per element). */
function contiguousGroup(op: i32, x: usize, s0: i32): v128 {
  return group(op, true, x, s0, s0 + 1, s0 + 2, s0 + 3);
}

/** Four outputs anywhere in x (each element gathered). */
function gatheredGroup(op: i32, x: usize, s0: i32, s1: i32, s2: i32, s3: i32): v128 {
  return group(op, false, x, s0, s1, s2, s3);
}

/**
 * y[o0..o1) = x folded by op (the codes above) along the walk (see setWalk);
 * outputs in fours where they have elements, logSumExp one at a time.
 */
export function reduce(
  op: i32, x: usize, y: usize, kRuns: usize, kLen: i32, kStride: i32,
  rRuns: usize, rCount: i32, rLen: i32, rStride: i32, o0: i32, o1: i32,
): void {
  setWalk(kRuns, kLen, kStride, rRuns, rCount, rLen, rStride);
  let o = o0;
  if (op != LOG_SUM_EXP && rCount * rLen > 0) {
    for (; o + 4 <= o1; o += 4) {
      const s0 = startOf(o);
      let v: v128;
      if (kStride == 1 && o % kLen + 4 <= kLen) v = contiguousGroup(op, x, s0);
      else v = gatheredGroup(op, x, s0, startOf(o + 1), startOf(o + 2), startOf(o + 3));
      v128.store(at(y, o), v);
    }
  }
  for (; o < o1; o++) store<f32>(at(y, o), <f32>foldOne(op, x, startOf(o)));
}

// ---- reduceBackward ------------------------------------------------------------

/** dx at four outputs side by side: sum and mean spread dy, max and min pass it where x equals y. */
function backward4(op: i32, dy: usize, x: usize, y: usize, dx: usize, o: i32, s0: i32): void {
  const count = redCount;
  const len = redLen;
  const stride = redStride;
  let g = v128.load(at(dy, o));
  const extreme = v128.load(at(y, o));
  if (op == MEAN) {
    const n = f64x2.splat(<f64>(count * len));
    g = narrow(f64x2.div(lowHalf(g), n), f64x2.div(highHalf(g), n));
  }
  for (let q = 0; q < count; q++) {
    let off = s0 + load<i32>(at(redRuns, q));
    for (let t = 0; t < len; t++, off += stride) {
      const p = at(dx, off);
      if (op == MAX || op == MIN) v128.store(p, v128.and(g, f32x4.eq(v128.load(at(x, off)), extreme)));
      else v128.store(p, g);
    }
  }
}

/** dx of prod at one output: dy times the product of the others, in the CPU's order (the prefix, then the rest). */
function prodBackward(x: usize, dx: usize, start: i32, g: f64): void {
  const count = redCount;
  const len = redLen;
  const stride = redStride;
  let prefix: f64 = 1;
  for (let qr = 0; qr < count; qr++) {
    const row = start + load<i32>(at(redRuns, qr));
    for (let tr = 0; tr < len; tr++) {
      const here = row + tr * stride;
      let others = prefix;
      let t = tr + 1;
      for (let q = qr; q < count; q++, t = 0) {
        const base = start + load<i32>(at(redRuns, q));
        for (; t < len; t++) others *= <f64>load<f32>(at(x, base + t * stride));
      }
      store<f32>(at(dx, here), <f32>(g * others));
      prefix *= <f64>load<f32>(at(x, here));
    }
  }
}

/** dx at one output's elements; a contiguous run takes four at a time (sum, mean, max, min). */
function backwardOne(op: i32, dy: usize, x: usize, y: usize, dx: usize, o: i32, start: i32): void {
  const count = redCount;
  const len = redLen;
  const stride = redStride;
  const g = load<f32>(at(dy, o));
  const extreme = load<f32>(at(y, o));
  if (op == PROD) {
    prodBackward(x, dx, start, <f64>g);
    return;
  }
  const spread: f32 = op == MEAN ? <f32>(<f64>g / <f64>(count * len)) : g;
  const spread4 = f32x4.splat(spread);
  const g4 = f32x4.splat(g);
  const extreme4 = f32x4.splat(extreme);
  for (let q = 0; q < count; q++) {
    const base = start + load<i32>(at(redRuns, q));
    let t = 0;
    if (stride == 1 && op != LOG_SUM_EXP) {
      for (; t + 4 <= len; t += 4) {
        const p = at(dx, base + t);
        if (op == MAX || op == MIN) v128.store(p, v128.and(g4, f32x4.eq(v128.load(at(x, base + t)), extreme4)));
        else v128.store(p, spread4);
      }
    }
    for (; t < len; t++) {
      const i = base + t * stride;
      const v = load<f32>(at(x, i));
      let d: f32;
      if (op == MAX || op == MIN) d = v == extreme ? g : 0;
      else if (op == LOG_SUM_EXP) d = <f32>(<f64>g * Math.exp(<f64>v - <f64>extreme));
      else d = spread;
      store<f32>(at(dx, i), d);
    }
  }
}

/**
 * dx at the elements of outputs [o0, o1) of reduce's walk, from dy and y (the
 * forward's output): sum and mean spread dy, max and min pass it to every
 * element equal to y, logSumExp times exp(x - y), prod times the others.
 */
export function reduceBackward(
  op: i32, dy: usize, x: usize, y: usize, dx: usize, kRuns: usize, kLen: i32, kStride: i32,
  rRuns: usize, rCount: i32, rLen: i32, rStride: i32, o0: i32, o1: i32,
): void {
  setWalk(kRuns, kLen, kStride, rRuns, rCount, rLen, rStride);
  let o = o0;
  if (kStride == 1 && op != PROD && op != LOG_SUM_EXP) {
    for (; o + 4 <= o1; o += 4) {
      if (o % kLen + 4 <= kLen) {
        backward4(op, dy, x, y, dx, o, startOf(o));
        continue;
      }
      for (let j = 0; j < 4; j++) backwardOne(op, dy, x, y, dx, o + j, startOf(o + j));
    }
  }
  for (; o < o1; o++) backwardOne(op, dy, x, y, dx, o, startOf(o));
}

// ---- softmaxAxis ---------------------------------------------------------------
// x [outer, n, inner]: line (o, i) is the n elements at (o * n + k) * inner + i.
// Four neighbouring lines (i to i + 3) are four lanes; the others one at a time.

/** The maximum of a line, from -Infinity. */
function lineMax(x: usize, first: i32, n: i32, inner: i32): f32 {
  if (inner == 1) return runExtreme(MAX, at(x, first), n, <f32>-Infinity);
  let m: f32 = <f32>-Infinity;
  for (let k = 0; k < n; k++) m = max(m, load<f32>(at(x, first + k * inner)));
  return m;
}

/** One line of softmax or log-softmax; e: n f64 of scratch for the exps. */
function softmaxLine(x: usize, y: usize, first: i32, n: i32, inner: i32, log: bool, e: usize): void {
  const m = <f64>lineMax(x, first, n, inner);
  let s: f64 = 0;
  for (let k = 0; k < n; k++) {
    const v = Math.exp(<f64>load<f32>(at(x, first + k * inner)) - m);
    s += v;
    if (!log) store<f64>(e + (<usize>k << 3), v);
  }
  if (log) {
    const ls = Math.log(s);
    for (let k = 0; k < n; k++) {
      const i = first + k * inner;
      store<f32>(at(y, i), <f32>(<f64>load<f32>(at(x, i)) - m - ls));
    }
  } else {
    for (let k = 0; k < n; k++) store<f32>(at(y, first + k * inner), <f32>(load<f64>(e + (<usize>k << 3)) / s));
  }
}

@inline function pair(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/** Four neighbouring lines: the maxima in lanes, the exps per element, their sums and the outputs in f64x2 lanes. e: 4n f64. */
function softmax4(x: usize, y: usize, first: i32, n: i32, inner: i32, log: bool, e: usize): void {
  let m = f32x4.splat(<f32>-Infinity);
  for (let k = 0; k < n; k++) m = f32x4.max(m, v128.load(at(x, first + k * inner)));
  const mlo = lowHalf(m);
  const mhi = highHalf(m);
  const m0 = f64x2.extract_lane(mlo, 0);
  const m1 = f64x2.extract_lane(mlo, 1);
  const m2 = f64x2.extract_lane(mhi, 0);
  const m3 = f64x2.extract_lane(mhi, 1);
  let slo = f64x2.splat(0);
  let shi = slo;
  for (let k = 0; k < n; k++) {
    const p = at(x, first + k * inner);
    const elo = pair(Math.exp(<f64>load<f32>(p) - m0), Math.exp(<f64>load<f32>(p, 4) - m1));
    const ehi = pair(Math.exp(<f64>load<f32>(p, 8) - m2), Math.exp(<f64>load<f32>(p, 12) - m3));
    slo = f64x2.add(slo, elo);
    shi = f64x2.add(shi, ehi);
    if (!log) {
      const q = e + (<usize>k << 5);
      v128.store(q, elo);
      v128.store(q, ehi, 16);
    }
  }
  if (log) {
    const llo = pair(Math.log(f64x2.extract_lane(slo, 0)), Math.log(f64x2.extract_lane(slo, 1)));
    const lhi = pair(Math.log(f64x2.extract_lane(shi, 0)), Math.log(f64x2.extract_lane(shi, 1)));
    for (let k = 0; k < n; k++) {
      const i = first + k * inner;
      const v = v128.load(at(x, i));
      v128.store(at(y, i), narrow(f64x2.sub(f64x2.sub(lowHalf(v), mlo), llo), f64x2.sub(f64x2.sub(highHalf(v), mhi), lhi)));
    }
  } else {
    for (let k = 0; k < n; k++) {
      const q = e + (<usize>k << 5);
      v128.store(at(y, first + k * inner), narrow(f64x2.div(v128.load(q), slo), f64x2.div(v128.load(q, 16), shi)));
    }
  }
}

/**
 * y = softmax (log: log-softmax) of x [outer, n, inner] along n, on lines
 * o in [o0, o1), i in [i0, i1); e: 4n f64 of scratch (softmax only).
 */
export function softmaxAxis(x: usize, y: usize, n: i32, inner: i32, log: bool, e: usize, o0: i32, o1: i32, i0: i32, i1: i32): void {
  for (let o = o0; o < o1; o++) {
    const row = o * n * inner;
    let i = i0;
    for (; i + 4 <= i1; i += 4) softmax4(x, y, row + i, n, inner, log, e);
    for (; i < i1; i++) softmaxLine(x, y, row + i, n, inner, log, e);
  }
}

/** One line of the backward: s = sum of dy (log) or dy * y, then dx = dy - exp(y) s (log) or y (dy - s). */
function softmaxBackwardLine(dy: usize, y: usize, dx: usize, first: i32, n: i32, inner: i32, log: bool): void {
  let s: f64 = 0;
  for (let k = 0; k < n; k++) {
    const i = first + k * inner;
    const d = <f64>load<f32>(at(dy, i));
    s += log ? d : d * <f64>load<f32>(at(y, i));
  }
  let k = 0;
  if (!log && inner == 1) {
    // A contiguous line: the outputs in f64x2 lanes, four at a time.
    const s2 = f64x2.splat(s);
    for (; k + 4 <= n; k += 4) {
      const d = v128.load(at(dy, first + k));
      const v = v128.load(at(y, first + k));
      const lo = f64x2.mul(lowHalf(v), f64x2.sub(lowHalf(d), s2));
      const hi = f64x2.mul(highHalf(v), f64x2.sub(highHalf(d), s2));
      v128.store(at(dx, first + k), narrow(lo, hi));
    }
  }
  for (; k < n; k++) {
    const i = first + k * inner;
    const d = <f64>load<f32>(at(dy, i));
    const v = <f64>load<f32>(at(y, i));
    store<f32>(at(dx, i), <f32>(log ? d - Math.exp(v) * s : v * (d - s)));
  }
}

/** Four neighbouring lines of the backward, the sums (and for softmax the outputs) in f64x2 lanes. */
function softmaxBackward4(dy: usize, y: usize, dx: usize, first: i32, n: i32, inner: i32, log: bool): void {
  let slo = f64x2.splat(0);
  let shi = slo;
  for (let k = 0; k < n; k++) {
    const i = first + k * inner;
    const d = v128.load(at(dy, i));
    if (log) {
      slo = f64x2.add(slo, lowHalf(d));
      shi = f64x2.add(shi, highHalf(d));
    } else {
      const v = v128.load(at(y, i));
      slo = f64x2.add(slo, f64x2.mul(lowHalf(d), lowHalf(v)));
      shi = f64x2.add(shi, f64x2.mul(highHalf(d), highHalf(v)));
    }
  }
  if (log) {
    const s0 = f64x2.extract_lane(slo, 0);
    const s1 = f64x2.extract_lane(slo, 1);
    const s2 = f64x2.extract_lane(shi, 0);
    const s3 = f64x2.extract_lane(shi, 1);
    for (let k = 0; k < n; k++) {
      const i = first + k * inner;
      const pd = at(dy, i);
      const py = at(y, i);
      const p = at(dx, i);
      store<f32>(p, <f32>(<f64>load<f32>(pd) - Math.exp(<f64>load<f32>(py)) * s0));
      store<f32>(p, <f32>(<f64>load<f32>(pd, 4) - Math.exp(<f64>load<f32>(py, 4)) * s1), 4);
      store<f32>(p, <f32>(<f64>load<f32>(pd, 8) - Math.exp(<f64>load<f32>(py, 8)) * s2), 8);
      store<f32>(p, <f32>(<f64>load<f32>(pd, 12) - Math.exp(<f64>load<f32>(py, 12)) * s3), 12);
    }
    return;
  }
  for (let k = 0; k < n; k++) {
    const i = first + k * inner;
    const d = v128.load(at(dy, i));
    const v = v128.load(at(y, i));
    const lo = f64x2.mul(lowHalf(v), f64x2.sub(lowHalf(d), slo));
    const hi = f64x2.mul(highHalf(v), f64x2.sub(highHalf(d), shi));
    v128.store(at(dx, i), narrow(lo, hi));
  }
}

/** dx of softmaxAxis from dy and its output y [outer, n, inner], on lines o in [o0, o1), i in [i0, i1). */
export function softmaxAxisBackward(dy: usize, y: usize, dx: usize, n: i32, inner: i32, log: bool, o0: i32, o1: i32, i0: i32, i1: i32): void {
  for (let o = o0; o < o1; o++) {
    const row = o * n * inner;
    let i = i0;
    for (; i + 4 <= i1; i += 4) softmaxBackward4(dy, y, dx, row + i, n, inner, log);
    for (; i < i1; i++) softmaxBackwardLine(dy, y, dx, row + i, n, inner, log);
  }
}
