// The element-wise kernels, in place of src/kernels/elementwise/cpu.ts: one
// unary kernel and one broadcasting binary kernel, each a family of ops
// picked by a code (the order of UNARY_OPS and BINARY_OPS in codes.ts), the
// broadcasting where, and sumToShape (a broadcast's gradient).
// Ops whose float32 result equals the CPU's f64-then-rounded one (sums,
// products, quotients, square roots, comparisons, selections) run four
// lanes at a time; the rest run per element in f64, as the CPU computes them.

import { at } from './lanes';

// Unary codes.
const NEG = 0;
const ABS = 1;
const EXP = 2;
const LOG = 3;
const LOG1P = 4;
const SQRT = 5;
const RSQRT = 6;
const SQUARE = 7;
const RECIPROCAL = 8;
const SIGN = 9;
const RELU = 10;
const RELU6 = 11;
const SIGMOID = 12;
const TANH = 13;
const SOFTPLUS = 14;
const ELU = 15;
const SELU = 16;
const LEAKY_RELU = 17;
const CLIP = 18;
const STEP = 19;
const AFFINE = 20;
const FILL = 21;
const POW_SCALAR = 22;
const LOG_POSITIVE = 23;
const RELU6_MASK = 24;
const CLIP_MASK = 25;
const SIGMOID_DERIV = 26;
const TANH_DERIV = 27;
const ELU_DERIV = 28;
const SELU_DERIV = 29;
const NEGATIVE_PART = 30;

// Binary codes.
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const MAXIMUM = 4;
const MINIMUM = 5;
const POW = 6;
const SQUARED_DIFFERENCE = 7;
const FLOOR_DIV = 8;
const GREATER = 9;
const GREATER_EQUAL = 10;
const LESS = 11;
const LESS_EQUAL = 12;
const EQUAL = 13;
const NOT_EQUAL = 14;
const LOGICAL_AND = 15;
const PRELU = 16;
const PRELU_DERIV = 17;
const BROADCAST_A = 18;

/** TF.js's selu constants and softplus threshold (codes.ts). */
const SELU_SCALE: f64 = 1.0507009873554804934193349852946;
const SELU_SCALEALPHA: f64 = 1.7580993408473768599402175208123;
const SOFTPLUS_THRESHOLD: f64 = Math.log(1.1920928955078125e-7) + 2;

// ---- unary ----------------------------------------------------------------

function unaryScalar(op: i32, x: f64, alpha: f64, beta: f64): f64 {
  switch (op) {
    case EXP: return Math.exp(x);
    case LOG: return Math.log(x);
    case LOG1P: return Math.log1p(x);
    case RSQRT: return 1 / Math.sqrt(x);
    case SIGMOID: return 1 / (1 + Math.exp(-x));
    case TANH: return Math.tanh(x);
    case SOFTPLUS:
      if (x < SOFTPLUS_THRESHOLD) return Math.exp(x);
      if (x > -SOFTPLUS_THRESHOLD) return x;
      return Math.log(1 + Math.exp(x));
    case ELU: return x >= 0 ? x : Math.exp(x) - 1;
    case SELU: return x >= 0 ? SELU_SCALE * x : SELU_SCALEALPHA * (Math.exp(x) - 1);
    case LEAKY_RELU: return x < 0 ? alpha * x : x;
    case AFFINE: return alpha * x + beta;
    case POW_SCALAR: return Math.pow(x, alpha);
    case LOG_POSITIVE: return x > 0 ? Math.log(x) : 0;
    case CLIP_MASK: return x >= alpha && x <= beta ? 1 : 0;
    case SIGMOID_DERIV: return x * (1 - x);
    case TANH_DERIV: return 1 - x * x;
    case ELU_DERIV: return x >= 0 ? 1 : x + 1;
    case SELU_DERIV: return x > 0 ? SELU_SCALE : SELU_SCALEALPHA * Math.exp(x);
  }
  return x;
}

/** The lane ops; alpha and beta rounded to float32 (clip, step and fill return them as values). */
@inline function unaryLanes(op: i32, x: v128, alpha: v128, beta: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SQRT: return f32x4.sqrt(x);
    case SQUARE: return f32x4.mul(x, x);
    case RECIPROCAL: return f32x4.div(one, x);
    case SIGN: return v128.bitselect(f32x4.splat(-1), v128.and(one, f32x4.gt(x, zero)), f32x4.lt(x, zero));
    case RELU: return f32x4.max(zero, x);
    case RELU6: return f32x4.min(f32x4.max(zero, x), f32x4.splat(6));
    // x > beta ? beta : x < alpha ? alpha : x; NaN stays NaN.
    case CLIP: return v128.bitselect(beta, v128.bitselect(alpha, x, f32x4.lt(x, alpha)), f32x4.gt(x, beta));
    // x > 0 ? 1 : alpha, NaN stays NaN.
    case STEP: return v128.bitselect(x, v128.bitselect(one, alpha, f32x4.gt(x, zero)), f32x4.ne(x, x));
    case FILL: return alpha;
    case RELU6_MASK: return v128.and(one, v128.and(f32x4.gt(x, zero), f32x4.le(x, f32x4.splat(6))));
    case NEGATIVE_PART: return v128.andnot(x, f32x4.gt(x, zero));
  }
  return x;
}

@inline function unaryLoop(op: i32, x: usize, y: usize, n: i32, alpha: f64, beta: f64): void {
  const a = f32x4.splat(<f32>alpha);
  const b = f32x4.splat(<f32>beta);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), unaryLanes(op, v128.load(at(x, i)), a, b));
  for (; i < n; i++) v128.store32_lane(at(y, i), unaryLanes(op, v128.load32_zero(at(x, i)), a, b), 0);
}

/** y = f(x) over n elements; alpha and beta as codes.ts describes them per op. */
export function unary(x: usize, y: usize, n: i32, op: i32, alpha: f64, beta: f64): void {
  // Each lane op gets a loop of its own (op is a constant in each).
  switch (op) {
    case NEG: unaryLoop(NEG, x, y, n, alpha, beta); return;
    case ABS: unaryLoop(ABS, x, y, n, alpha, beta); return;
    case SQRT: unaryLoop(SQRT, x, y, n, alpha, beta); return;
    case SQUARE: unaryLoop(SQUARE, x, y, n, alpha, beta); return;
    case RECIPROCAL: unaryLoop(RECIPROCAL, x, y, n, alpha, beta); return;
    case SIGN: unaryLoop(SIGN, x, y, n, alpha, beta); return;
    case RELU: unaryLoop(RELU, x, y, n, alpha, beta); return;
    case RELU6: unaryLoop(RELU6, x, y, n, alpha, beta); return;
    case CLIP: unaryLoop(CLIP, x, y, n, alpha, beta); return;
    case STEP: unaryLoop(STEP, x, y, n, alpha, beta); return;
    case FILL: unaryLoop(FILL, x, y, n, alpha, beta); return;
    case RELU6_MASK: unaryLoop(RELU6_MASK, x, y, n, alpha, beta); return;
    case NEGATIVE_PART: unaryLoop(NEGATIVE_PART, x, y, n, alpha, beta); return;
  }
  for (let i = 0; i < n; i++) store<f32>(at(y, i), <f32>unaryScalar(op, <f64>load<f32>(at(x, i)), alpha, beta));
}

// ---- binary ---------------------------------------------------------------

function binaryScalar(op: i32, a: f64, b: f64): f64 {
  switch (op) {
    case POW: return Math.pow(a, b);
    case SQUARED_DIFFERENCE: return (a - b) * (a - b);
    case FLOOR_DIV: return Math.floor(a / b);
  }
  return a;
}

@inline function binaryLanes(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAXIMUM: return f32x4.max(a, b);
    case MINIMUM: return f32x4.min(a, b);
    case GREATER: return v128.and(one, f32x4.gt(a, b));
    case GREATER_EQUAL: return v128.and(one, f32x4.ge(a, b));
    case LESS: return v128.and(one, f32x4.lt(a, b));
    case LESS_EQUAL: return v128.and(one, f32x4.le(a, b));
    case EQUAL: return v128.and(one, f32x4.eq(a, b));
    case NOT_EQUAL: return v128.and(one, f32x4.ne(a, b));
    case LOGICAL_AND: {
      const zero = f32x4.splat(0);
      return v128.and(one, v128.and(f32x4.ne(a, zero), f32x4.ne(b, zero)));
    }
    case PRELU: return v128.bitselect(f32x4.mul(b, a), a, f32x4.lt(a, f32x4.splat(0)));
    case PRELU_DERIV: return v128.bitselect(one, b, f32x4.gt(a, f32x4.splat(0)));
  }
  return a;
}

/** c[0..len) from runs of a and b whose steps are 1 (read along) or 0 (one value, broadcast). */
@inline function binaryRun(op: i32, a: usize, b: usize, c: usize, len: i32, stepA: i32, stepB: i32): void {
  let i = 0;
  if (op == POW || op == SQUARED_DIFFERENCE || op == FLOOR_DIV) {
    for (; i < len; i++) {
      store<f32>(at(c, i), <f32>binaryScalar(op, <f64>load<f32>(at(a, i * stepA)), <f64>load<f32>(at(b, i * stepB))));
    }
    return;
  }
  const a0 = f32x4.splat(load<f32>(a));
  const b0 = f32x4.splat(load<f32>(b));
  for (; i + 4 <= len; i += 4) {
    const va = stepA ? v128.load(at(a, i)) : a0;
    const vb = stepB ? v128.load(at(b, i)) : b0;
    v128.store(at(c, i), binaryLanes(op, va, vb));
  }
  for (; i < len; i++) {
    const va = stepA ? v128.load32_zero(at(a, i)) : a0;
    const vb = stepB ? v128.load32_zero(at(b, i)) : b0;
    v128.store32_lane(at(c, i), binaryLanes(op, va, vb), 0);
  }
}

// ---- the broadcast walk ----------------------------------------------------
// A broadcast kernel's table (written by its JS binding), rows of `rank` i32s:
// the output shape, then one stride row per input (0 along the axes it is
// broadcast along), then a counter row; after them, one i32 offset per input.
// The output is walked in runs along its last axis, whose strides are 0 or 1.

@inline function strideRow(table: usize, rank: i32, input: i32): usize {
  return at(table, (1 + input) * rank);
}

/** Zeroes the counters and offsets; returns the number of runs. */
function startWalk(table: usize, rank: i32, inputs: i32): i32 {
  const counter = at(table, (1 + inputs) * rank);
  let runs = 1;
  for (let k = 0; k < rank - 1; k++) {
    runs *= load<i32>(at(table, k));
    store<i32>(at(counter, k), 0);
  }
  for (let j = 0; j < inputs; j++) store<i32>(at(counter, rank + j), 0);
  return runs;
}

/** The offset (in elements) of input j's current run. */
@inline function runOffset(table: usize, rank: i32, inputs: i32, j: i32): i32 {
  return load<i32>(at(table, (2 + inputs) * rank + j));
}

/** Advances the counter over the outer axes (last first), moving each input's offset with it. */
function nextRun(table: usize, rank: i32, inputs: i32): void {
  const counter = at(table, (1 + inputs) * rank);
  const offsets = at(counter, rank);
  for (let k = rank - 2; k >= 0; k--) {
    const i = load<i32>(at(counter, k)) + 1;
    const wraps = i == load<i32>(at(table, k));
    for (let j = 0; j < inputs; j++) {
      const stride = load<i32>(at(strideRow(table, rank, j), k));
      store<i32>(at(offsets, j), load<i32>(at(offsets, j)) + (wraps ? stride - i * stride : stride));
    }
    if (!wraps) {
      store<i32>(at(counter, k), i);
      return;
    }
    store<i32>(at(counter, k), 0);
  }
}

/** c = f(a, b), broadcast: a two-input table (see above). */
@inline function binaryLoop(op: i32, a: usize, b: usize, c: usize, rank: i32, table: usize): void {
  const last = rank - 1;
  const len = load<i32>(at(table, last));
  const stepA = load<i32>(at(strideRow(table, rank, 0), last));
  const stepB = load<i32>(at(strideRow(table, rank, 1), last));
  const runs = startWalk(table, rank, 2);
  for (let r = 0; r < runs; r++) {
    binaryRun(op, at(a, runOffset(table, rank, 2, 0)), at(b, runOffset(table, rank, 2, 1)), at(c, r * len), len, stepA, stepB);
    nextRun(table, rank, 2);
  }
}

export function binary(a: usize, b: usize, c: usize, op: i32, rank: i32, table: usize): void {
  // Each op gets a loop of its own (op is a constant in each).
  switch (op) {
    case ADD: binaryLoop(ADD, a, b, c, rank, table); return;
    case SUB: binaryLoop(SUB, a, b, c, rank, table); return;
    case MUL: binaryLoop(MUL, a, b, c, rank, table); return;
    case DIV: binaryLoop(DIV, a, b, c, rank, table); return;
    case MAXIMUM: binaryLoop(MAXIMUM, a, b, c, rank, table); return;
    case MINIMUM: binaryLoop(MINIMUM, a, b, c, rank, table); return;
    case POW: binaryLoop(POW, a, b, c, rank, table); return;
    case SQUARED_DIFFERENCE: binaryLoop(SQUARED_DIFFERENCE, a, b, c, rank, table); return;
    case FLOOR_DIV: binaryLoop(FLOOR_DIV, a, b, c, rank, table); return;
    case GREATER: binaryLoop(GREATER, a, b, c, rank, table); return;
    case GREATER_EQUAL: binaryLoop(GREATER_EQUAL, a, b, c, rank, table); return;
    case LESS: binaryLoop(LESS, a, b, c, rank, table); return;
    case LESS_EQUAL: binaryLoop(LESS_EQUAL, a, b, c, rank, table); return;
    case EQUAL: binaryLoop(EQUAL, a, b, c, rank, table); return;
    case NOT_EQUAL: binaryLoop(NOT_EQUAL, a, b, c, rank, table); return;
    case LOGICAL_AND: binaryLoop(LOGICAL_AND, a, b, c, rank, table); return;
    case PRELU: binaryLoop(PRELU, a, b, c, rank, table); return;
    case PRELU_DERIV: binaryLoop(PRELU_DERIV, a, b, c, rank, table); return;
    case BROADCAST_A: binaryLoop(BROADCAST_A, a, b, c, rank, table); return;
  }
}

// ---- where and sumToShape ---------------------------------------------------

/** y = condition != 0 ? a : b, the three broadcast: a three-input table (condition, a, b). */
export function where(condition: usize, a: usize, b: usize, y: usize, rank: i32, table: usize): void {
  const last = rank - 1;
  const len = load<i32>(at(table, last));
  const stepC = load<i32>(at(strideRow(table, rank, 0), last));
  const stepA = load<i32>(at(strideRow(table, rank, 1), last));
  const stepB = load<i32>(at(strideRow(table, rank, 2), last));
  const runs = startWalk(table, rank, 3);
  for (let r = 0; r < runs; r++) {
    const pc = at(condition, runOffset(table, rank, 3, 0));
    const pa = at(a, runOffset(table, rank, 3, 1));
    const pb = at(b, runOffset(table, rank, 3, 2));
    const py = at(y, r * len);
    for (let i = 0; i < len; i++) {
      store<f32>(at(py, i), load<f32>(at(pc, i * stepC)) != 0 ? load<f32>(at(pa, i * stepA)) : load<f32>(at(pb, i * stepB)));
    }
    nextRun(table, rank, 3);
  }
}

/**
 * y [size] = x summed over the axes y is broadcast along: a one-input table
 * whose shape is x's and whose strides are y's (0 along the summed axes); x
 * is read in order. The sums accumulate in f64 in sums (8 * size bytes of
 * scratch) and are rounded once.
 */
export function sumToShape(x: usize, y: usize, size: i32, rank: i32, table: usize, sums: usize): void {
  memory.fill(sums, 0, <usize>size * 8);
  const last = rank - 1;
  const len = load<i32>(at(table, last));
  const step = load<i32>(at(strideRow(table, rank, 0), last));
  const runs = startWalk(table, rank, 1);
  for (let r = 0; r < runs; r++) {
    const px = at(x, r * len);
    const ps = sums + (<usize>runOffset(table, rank, 1, 0) << 3);
    if (step == 0) {
      let s: f64 = 0;
      for (let i = 0; i < len; i++) s += <f64>load<f32>(at(px, i));
      store<f64>(ps, load<f64>(ps) + s);
    } else {
      for (let i = 0; i < len; i++) {
        const p = ps + (<usize>i << 3);
        store<f64>(p, load<f64>(p) + <f64>load<f32>(at(px, i)));
      }
    }
    nextRun(table, rank, 1);
  }
  for (let i = 0; i < size; i++) store<f32>(at(y, i), <f32>load<f64>(sums + (<usize>i << 3)));
}
