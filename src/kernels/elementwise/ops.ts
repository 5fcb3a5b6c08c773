// The public element-wise ops, in TensorFlow.js's names and semantics: each
// converts its arguments, checks them (errors name the op), runs its kernel
// and records its gradient (TF.js's formulas, tfjs-core/src/gradients). The
// broadcasting ops sum each input's gradient back to its shape (sumToShape).
// Comparisons return float32 masks of 0 and 1 where TF.js returns bool.

import type { Shape } from '../../backend/types.js';
import { Tensor, asInt32, shapeToString } from '../../tensor.js';
import { toTensor, toTensors, type TensorOrLike } from '../../convert.js';
import { recordGradient } from '../../autodiff/tape.js';
import { run } from '../kernel.js';
import { binaryKernel, sumToShapeKernel, unaryKernel, whereKernel } from './index.js';
import type { BinaryOp, UnaryOp } from './codes.js';
import { broadcastShape, expectRankAtMost, sameShape } from './broadcast.js';

// The kernels as the gradients call them (unrecorded: backprop pauses the tape anyway).
const un = (x: Tensor, op: UnaryOp, alpha = 0, beta = 0): Tensor => run(unaryKernel, x, op, alpha, beta);
const bin = (a: Tensor, b: Tensor, op: BinaryOp): Tensor => run(binaryKernel, a, b, op);

/** g summed over the axes an input of `shape` was broadcast along (g itself if none). */
function reduceTo(g: Tensor, shape: Shape): Tensor {
  return sameShape(g.shape, shape) ? g : run(sumToShapeKernel, g, shape);
}

/**
 * x summed over the axes `shape` was broadcast along to reach x's shape:
 * TF.js's reshape(sum(x, reductionAxes), shape), the gradient of broadcasting.
 */
export function sumToShape(x: TensorOrLike, shape: Shape): Tensor {
  const $x = toTensor(x, 'sumToShape', 'x');
  const y = run(sumToShapeKernel, $x, Array.isArray(shape) ? [...shape] : shape);
  recordGradient('sumToShape', [$x], y, (dy) => [bin(dy, $x, 'broadcastA')]);
  return y;
}

// ---- binary ----

function checkPair(name: string, a: Tensor, b: Tensor, aName: string, bName: string): void {
  expectRankAtMost(name, aName, a.shape);
  expectRankAtMost(name, bName, b.shape);
  broadcastShape(name, a.shape, b.shape);
}

/** Whether both operands are int32 tensors (a number or array converts to float32, as in TF.js). */
function bothInt(a: TensorOrLike, b: TensorOrLike): boolean {
  return a instanceof Tensor && b instanceof Tensor && a.dtype === 'int32' && b.dtype === 'int32';
}

/** The result of an op that keeps int32 when both operands are (TF.js keeps the dtype). */
function keepsInt(y: Tensor, a: TensorOrLike, b: TensorOrLike): Tensor {
  return bothInt(a, b) ? asInt32(y) : y;
}

type BinaryGrad = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];

function binaryOp(name: string, a: TensorOrLike, b: TensorOrLike, op: BinaryOp, grad: BinaryGrad | null, names: [string, string] = ['a', 'b']): Tensor {
  const [$a, $b] = toTensors(name, { [names[0]]: a, [names[1]]: b });
  checkPair(name, $a, $b, names[0], names[1]);
  const y = bin($a, $b, op);
  if (grad) recordGradient(name, [$a, $b], y, (dy) => grad(dy, $a, $b, y));
  return y;
}

const addGrad: BinaryGrad = (dy, a, b) => [reduceTo(dy, a.shape), reduceTo(dy, b.shape)];
const subGrad: BinaryGrad = (dy, a, b) => [reduceTo(dy, a.shape), un(reduceTo(dy, b.shape), 'neg')];
const mulGrad: BinaryGrad = (dy, a, b) => [reduceTo(bin(dy, b, 'mul'), a.shape), reduceTo(bin(dy, a, 'mul'), b.shape)];
const divGrad: BinaryGrad = (dy, a, b) => [
  reduceTo(bin(dy, b, 'div'), a.shape),
  un(bin(reduceTo(bin(dy, a, 'mul'), b.shape), un(b, 'square'), 'div'), 'neg'),
];

/** a + b, broadcasting. */
export function add(a: TensorOrLike, b: TensorOrLike): Tensor {
  const y = binaryOp('add', a, b, 'add', addGrad);
  return keepsInt(y, a, b);
}

/** a - b, broadcasting. */
export function sub(a: TensorOrLike, b: TensorOrLike): Tensor {
  return keepsInt(binaryOp('sub', a, b, 'sub', subGrad), a, b);
}

/** a * b, broadcasting. */
export function mul(a: TensorOrLike, b: TensorOrLike): Tensor {
  return keepsInt(binaryOp('mul', a, b, 'mul', mulGrad), a, b);
}

/** a / b, broadcasting; two int32 tensors divide with floor, as TF.js does. */
export function div(a: TensorOrLike, b: TensorOrLike): Tensor {
  const ints = bothInt(a, b);
  const y = binaryOp('div', a, b, ints ? 'floorDiv' : 'div', divGrad);
  return ints ? asInt32(y) : y;
}

/** max(a, b) element-wise, broadcasting; the gradient goes to a where a >= b, else to b (TF.js). */
export function maximum(a: TensorOrLike, b: TensorOrLike): Tensor {
  const y = binaryOp('maximum', a, b, 'maximum', (dy, $a, $b) => [
    reduceTo(bin(dy, bin($a, $b, 'greaterEqual'), 'mul'), $a.shape),
    reduceTo(bin(dy, bin($a, $b, 'less'), 'mul'), $b.shape),
  ]);
  return keepsInt(y, a, b);
}

/** min(a, b) element-wise, broadcasting; the gradient goes to a where a <= b, else to b (TF.js). */
export function minimum(a: TensorOrLike, b: TensorOrLike): Tensor {
  const y = binaryOp('minimum', a, b, 'minimum', (dy, $a, $b) => [
    reduceTo(bin(dy, bin($a, $b, 'lessEqual'), 'mul'), $a.shape),
    reduceTo(bin(dy, bin($a, $b, 'greater'), 'mul'), $b.shape),
  ]);
  return keepsInt(y, a, b);
}

/**
 * base ** exp element-wise, broadcasting, as JavaScript's Math.pow (a negative
 * base with a non-integer exponent gives NaN). The exponent's gradient uses
 * log(base) where base > 0 and 0 elsewhere, as TF.js.
 */
export function pow(base: TensorOrLike, exp: TensorOrLike): Tensor {
  return binaryOp('pow', base, exp, 'pow', (dy, a, b, y) => [
    reduceTo(bin(dy, bin(b, bin(a, un(b, 'affine', 1, -1), 'pow'), 'mul'), 'mul'), a.shape),
    reduceTo(bin(dy, bin(y, un(a, 'logPositive'), 'mul'), 'mul'), b.shape),
  ], ['base', 'exp']);
}

/** (a - b) ** 2 element-wise, broadcasting. */
export function squaredDifference(a: TensorOrLike, b: TensorOrLike): Tensor {
  const y = binaryOp('squaredDifference', a, b, 'squaredDifference', (dy, $a, $b) => [
    reduceTo(bin(dy, un(bin($a, $b, 'sub'), 'affine', 2, 0), 'mul'), $a.shape),
    reduceTo(bin(dy, un(bin($b, $a, 'sub'), 'affine', 2, 0), 'mul'), $b.shape),
  ]);
  return keepsInt(y, a, b);
}

// ---- comparisons: float32 masks, no gradient ----

function compare(name: string, a: TensorOrLike, b: TensorOrLike, op: BinaryOp): Tensor {
  return binaryOp(name, a, b, op, null);
}

/** 1 where a > b, else 0 (float32; TF.js returns bool), broadcasting. */
export const greater = (a: TensorOrLike, b: TensorOrLike): Tensor => compare('greater', a, b, 'greater');
/** 1 where a >= b, else 0 (float32), broadcasting. */
export const greaterEqual = (a: TensorOrLike, b: TensorOrLike): Tensor => compare('greaterEqual', a, b, 'greaterEqual');
/** 1 where a < b, else 0 (float32), broadcasting. */
export const less = (a: TensorOrLike, b: TensorOrLike): Tensor => compare('less', a, b, 'less');
/** 1 where a <= b, else 0 (float32), broadcasting. */
export const lessEqual = (a: TensorOrLike, b: TensorOrLike): Tensor => compare('lessEqual', a, b, 'lessEqual');
/** 1 where a == b, else 0 (float32), broadcasting. */
export const equal = (a: TensorOrLike, b: TensorOrLike): Tensor => compare('equal', a, b, 'equal');
/** 1 where a != b, else 0 (float32), broadcasting. */
export const notEqual = (a: TensorOrLike, b: TensorOrLike): Tensor => compare('notEqual', a, b, 'notEqual');
/** 1 where both a and b are nonzero, else 0 (float32), broadcasting. */
export const logicalAnd = (a: TensorOrLike, b: TensorOrLike): Tensor => compare('logicalAnd', a, b, 'logicalAnd');

/**
 * a where condition is nonzero, else b; condition, a and b broadcast
 * together. Gradients: dy where the condition holds to a, elsewhere to b
 * (each summed to its shape); none for condition.
 */
export function where(condition: TensorOrLike, a: TensorOrLike, b: TensorOrLike): Tensor {
  const [$c, $a, $b] = toTensors('where', { condition, a, b });
  expectRankAtMost('where', 'condition', $c.shape);
  checkPair('where', $a, $b, 'a', 'b');
  const both = broadcastShape('where', $a.shape, $b.shape);
  try {
    broadcastShape('where', $c.shape, both);
  } catch {
    throw new Error(`where: condition of shape ${shapeToString($c.shape)} does not broadcast with a and b (shapes ${shapeToString($a.shape)} and ${shapeToString($b.shape)})`);
  }
  const y = run(whereKernel, $c, $a, $b);
  recordGradient('where', [$c, $a, $b], y, (dy) => {
    const zeros = un(dy, 'fill', 0);
    return [null, reduceTo(run(whereKernel, $c, dy, zeros), $a.shape), reduceTo(run(whereKernel, $c, zeros, dy), $b.shape)];
  });
  return y;
}

// ---- unary ----

type UnaryGrad = (dy: Tensor, x: Tensor, y: Tensor) => Tensor;

function unaryOp(name: string, x: TensorOrLike, op: UnaryOp, grad: UnaryGrad, alpha = 0, beta = 0, int = false): Tensor {
  const $x = toTensor(x, name, 'x');
  const y = un($x, op, alpha, beta);
  recordGradient(name, [$x], y, (dy) => [grad(dy, $x, y)]);
  return int && $x.dtype === 'int32' ? asInt32(y) : y;
}

/** dy times the factor f(t) (t: x or y), the form of most unary gradients. */
const times = (dy: Tensor, t: Tensor, op: UnaryOp, alpha = 0, beta = 0): Tensor => bin(dy, un(t, op, alpha, beta), 'mul');

/** -x. */
export const neg = (x: TensorOrLike): Tensor => unaryOp('neg', x, 'neg', (dy) => un(dy, 'neg'), 0, 0, true);
/** |x|; its gradient at 0 is -dy, as TF.js's (dy * step(x, -1)). */
export const abs = (x: TensorOrLike): Tensor => unaryOp('abs', x, 'abs', (dy, $x) => times(dy, $x, 'step', -1), 0, 0, true);
/** e ** x. */
export const exp = (x: TensorOrLike): Tensor => unaryOp('exp', x, 'exp', (dy, _x, y) => bin(dy, y, 'mul'));
/** Natural log (-Infinity at 0, NaN below). */
export const log = (x: TensorOrLike): Tensor => unaryOp('log', x, 'log', (dy, $x) => bin(dy, $x, 'div'));
/** log(1 + x). */
export const log1p = (x: TensorOrLike): Tensor => unaryOp('log1p', x, 'log1p', (dy, $x) => bin(dy, un($x, 'affine', 1, 1), 'div'));
/** Square root (NaN below 0). */
export const sqrt = (x: TensorOrLike): Tensor => unaryOp('sqrt', x, 'sqrt', (dy, _x, y) => bin(dy, un(y, 'affine', 2, 0), 'div'));
/** 1 / sqrt(x). */
export const rsqrt = (x: TensorOrLike): Tensor =>
  unaryOp('rsqrt', x, 'rsqrt', (dy, $x) => un(bin(dy, un(un($x, 'powScalar', 1.5), 'affine', 2, 0), 'div'), 'neg'));
/** x * x. */
export const square = (x: TensorOrLike): Tensor => unaryOp('square', x, 'square', (dy, $x) => times(dy, $x, 'affine', 2, 0), 0, 0, true);
/** 1 / x. */
export const reciprocal = (x: TensorOrLike): Tensor =>
  unaryOp('reciprocal', x, 'reciprocal', (dy, $x) => bin(dy, un(un($x, 'square'), 'neg'), 'div'));
/** -1, 0 or 1 by x's sign; its gradient is zeros. */
export const sign = (x: TensorOrLike): Tensor => unaryOp('sign', x, 'sign', (dy) => un(dy, 'fill', 0), 0, 0, true);
/** max(x, 0); the gradient at 0 is 0. */
export const relu = (x: TensorOrLike): Tensor => unaryOp('relu', x, 'relu', (dy, $x) => times(dy, $x, 'step', 0), 0, 0, true);
/** min(max(x, 0), 6); the gradient flows where 0 < x <= 6. */
export const relu6 = (x: TensorOrLike): Tensor => unaryOp('relu6', x, 'relu6', (dy, $x) => times(dy, $x, 'relu6Mask'), 0, 0, true);
/** 1 / (1 + e ** -x). */
export const sigmoid = (x: TensorOrLike): Tensor => unaryOp('sigmoid', x, 'sigmoid', (dy, _x, y) => times(dy, y, 'sigmoidDeriv'));
/** Hyperbolic tangent. */
export const tanh = (x: TensorOrLike): Tensor => unaryOp('tanh', x, 'tanh', (dy, _x, y) => times(dy, y, 'tanhDeriv'));
/** log(1 + e ** x), computed as TF.js does (x or e ** x past its thresholds). */
export const softplus = (x: TensorOrLike): Tensor => unaryOp('softplus', x, 'softplus', (dy, $x) => times(dy, $x, 'sigmoid'));
/** x for x >= 0, e ** x - 1 below (TF.js's elu has no alpha). */
export const elu = (x: TensorOrLike): Tensor => unaryOp('elu', x, 'elu', (dy, _x, y) => times(dy, y, 'eluDeriv'));
/** Scaled elu with TF.js's constants. */
export const selu = (x: TensorOrLike): Tensor => unaryOp('selu', x, 'selu', (dy, $x) => times(dy, $x, 'seluDeriv'));

function expectNumber(name: string, what: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`${name}: ${what} must be a number, got ${typeof v === 'number' ? v : typeof v}`);
}

/** x for x >= 0, alpha * x below. */
export function leakyRelu(x: TensorOrLike, alpha = 0.2): Tensor {
  expectNumber('leakyRelu', 'alpha', alpha);
  return unaryOp('leakyRelu', x, 'leakyRelu', (dy, $x) => times(dy, $x, 'step', alpha), alpha);
}

/** x for x >= 0, alpha * x below, alpha a tensor that broadcasts with x (learned slopes). */
export function prelu(x: TensorOrLike, alpha: TensorOrLike): Tensor {
  return binaryOp('prelu', x, alpha, 'prelu', (dy, $x, $alpha) => [
    reduceTo(bin(dy, bin($x, $alpha, 'preluDeriv'), 'mul'), $x.shape),
    reduceTo(bin(dy, un($x, 'negativePart'), 'mul'), $alpha.shape),
  ], ['x', 'alpha']);
}

/** x clamped to [clipValueMin, clipValueMax]; the gradient flows where min <= x <= max. */
export function clipByValue(x: TensorOrLike, clipValueMin: number, clipValueMax: number): Tensor {
  expectNumber('clipByValue', 'clipValueMin', clipValueMin);
  expectNumber('clipByValue', 'clipValueMax', clipValueMax);
  if (clipValueMin > clipValueMax) {
    throw new Error(`clipByValue: clipValueMin (${clipValueMin}) must be less than or equal to clipValueMax (${clipValueMax})`);
  }
  return unaryOp('clipByValue', x, 'clip', (dy, $x) => times(dy, $x, 'clipMask', clipValueMin, clipValueMax), clipValueMin, clipValueMax, true);
}
