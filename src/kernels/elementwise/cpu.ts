// CPU references of the element-wise kernels: plain loops, each value
// computed in float64 as TF.js's CPU backend does, stored as float32.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { sizeOf } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import { SELU_SCALE, SELU_SCALEALPHA, SOFTPLUS_THRESHOLD, type BinaryOp, type UnaryOp } from './codes.js';
import { broadcastShape, broadcastStrides, offsetOf, reductionAxes } from './broadcast.js';

const sigmoidOf = (x: number) => 1 / (1 + Math.exp(-x));

function softplusOf(x: number): number {
  if (x < SOFTPLUS_THRESHOLD) return Math.exp(x);
  if (x > -SOFTPLUS_THRESHOLD) return x;
  return Math.log(1 + Math.exp(x));
}

/** f(x) for each unary code; alpha and beta as codes.ts describes them. */
export function unaryFunction(op: UnaryOp, alpha: number, beta: number): (x: number) => number {
  switch (op) {
    case 'neg': return (x) => -x;
    case 'abs': return Math.abs;
    case 'exp': return Math.exp;
    case 'log': return Math.log;
    case 'log1p': return Math.log1p;
    case 'sqrt': return Math.sqrt;
    case 'rsqrt': return (x) => 1 / Math.sqrt(x);
    case 'square': return (x) => x * x;
    case 'reciprocal': return (x) => 1 / x;
    case 'sign': return (x) => (x < 0 ? -1 : x > 0 ? 1 : 0);
    case 'relu': return (x) => Math.max(0, x);
    case 'relu6': return (x) => Math.min(Math.max(0, x), 6);
    case 'sigmoid': return sigmoidOf;
    case 'tanh': return Math.tanh;
    case 'softplus': return softplusOf;
    case 'elu': return (x) => (x >= 0 ? x : Math.exp(x) - 1);
    case 'selu': return (x) => (x >= 0 ? SELU_SCALE * x : SELU_SCALEALPHA * (Math.exp(x) - 1));
    case 'leakyRelu': return (x) => (x < 0 ? alpha * x : x);
    case 'clip': return (x) => (x > beta ? beta : x < alpha ? alpha : x);
    case 'step': return (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : alpha);
    case 'affine': return (x) => alpha * x + beta;
    case 'fill': return () => alpha;
    case 'powScalar': return (x) => Math.pow(x, alpha);
    case 'logPositive': return (x) => (x > 0 ? Math.log(x) : 0);
    case 'relu6Mask': return (x) => (x > 0 && x <= 6 ? 1 : 0);
    case 'clipMask': return (x) => (x >= alpha && x <= beta ? 1 : 0);
    case 'sigmoidDeriv': return (y) => y * (1 - y);
    case 'tanhDeriv': return (y) => 1 - y * y;
    case 'eluDeriv': return (y) => (y >= 0 ? 1 : y + 1);
    case 'seluDeriv': return (x) => (x > 0 ? SELU_SCALE : SELU_SCALEALPHA * Math.exp(x));
    case 'negativePart': return (x) => (x > 0 ? 0 : x);
  }
}

/** f(a, b) for each binary code. */
export function binaryFunction(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return (a, b) => a * b;
    case 'div': return (a, b) => a / b;
    case 'maximum': return Math.max;
    case 'minimum': return Math.min;
    case 'pow': return Math.pow;
    case 'squaredDifference': return (a, b) => (a - b) * (a - b);
    case 'floorDiv': return (a, b) => Math.floor(a / b);
    case 'greater': return (a, b) => (a > b ? 1 : 0);
    case 'greaterEqual': return (a, b) => (a >= b ? 1 : 0);
    case 'less': return (a, b) => (a < b ? 1 : 0);
    case 'lessEqual': return (a, b) => (a <= b ? 1 : 0);
    case 'equal': return (a, b) => (a === b ? 1 : 0);
    case 'notEqual': return (a, b) => (a !== b ? 1 : 0);
    case 'logicalAnd': return (a, b) => (a !== 0 && b !== 0 ? 1 : 0);
    case 'prelu': return (a, b) => (a < 0 ? b * a : a);
    case 'preluDeriv': return (a, b) => (a > 0 ? 1 : b);
    case 'broadcastA': return (a) => a;
  }
}

export function unary(x: Tensor, op: UnaryOp, alpha: number, beta: number): Tensor {
  const f = unaryFunction(op, alpha, beta);
  const xv = vals(x);
  const y = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) y[i] = f(xv[i]);
  return cpuTensor(y, x.shape);
}

export function binary(a: Tensor, b: Tensor, op: BinaryOp): Tensor {
  const f = binaryFunction(op);
  const out = broadcastShape('binary', a.shape, b.shape);
  const sa = broadcastStrides(a.shape, out);
  const sb = broadcastStrides(b.shape, out);
  const av = vals(a);
  const bv = vals(b);
  const c = new Float32Array(sizeOf(out));
  for (let i = 0; i < c.length; i++) c[i] = f(av[offsetOf(i, out, sa)], bv[offsetOf(i, out, sb)]);
  return cpuTensor(c, out);
}

/** condition != 0 ? a : b, the three broadcast together. */
export function where(condition: Tensor, a: Tensor, b: Tensor): Tensor {
  const out = broadcastShape('where', broadcastShape('where', condition.shape, a.shape), b.shape);
  const [sc, sa, sb] = [condition, a, b].map((t) => broadcastStrides(t.shape, out));
  const [cv, av, bv] = [vals(condition), vals(a), vals(b)];
  const y = new Float32Array(sizeOf(out));
  for (let i = 0; i < y.length; i++) {
    y[i] = cv[offsetOf(i, out, sc)] !== 0 ? av[offsetOf(i, out, sa)] : bv[offsetOf(i, out, sb)];
  }
  return cpuTensor(y, out);
}

/** x summed over the axes `shape` is broadcast along, as `shape`. */
export function sumToShape(x: Tensor, shape: Shape): Tensor {
  const xv = vals(x);
  const axes = new Set(reductionAxes(shape, x.shape));
  // Each element of x adds into the output element it broadcasts from.
  const kept = x.shape.map((d, axis) => (axes.has(axis) ? 1 : d));
  const toKept = broadcastStrides(kept, x.shape);
  const sums = new Float64Array(sizeOf(shape));
  for (let i = 0; i < xv.length; i++) sums[offsetOf(i, x.shape, toKept)] += xv[i];
  return cpuTensor(Float32Array.from(sums), shape);
}
