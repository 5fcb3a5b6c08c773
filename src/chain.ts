// The math ops as chained Tensor methods, where TF.js has them
// (x.add(y).relu()). Installed on Tensor's prototype when webcnn loads, from
// above the ops, so tensor.ts stays below them (no import cycle).

import { Tensor } from './tensor.js';
import type { TensorOrLike } from './convert.js';
import * as ew from './kernels/elementwise/ops.js';
import * as layout from './kernels/layout/ops.js';
import * as red from './kernels/reduce/ops.js';
import * as linalg from './kernels/linalg/ops.js';
import * as nn from './kernels/nn/ops.js';
import * as depthwise from './kernels/depthwise/ops.js';
import * as lrn from './kernels/lrn/ops.js';

type Axis = number | number[];

declare module './tensor.js' {
  interface Tensor {
    add(b: TensorOrLike): Tensor;
    sub(b: TensorOrLike): Tensor;
    mul(b: TensorOrLike): Tensor;
    div(b: TensorOrLike): Tensor;
    maximum(b: TensorOrLike): Tensor;
    minimum(b: TensorOrLike): Tensor;
    pow(exp: TensorOrLike): Tensor;
    squaredDifference(b: TensorOrLike): Tensor;
    greater(b: TensorOrLike): Tensor;
    greaterEqual(b: TensorOrLike): Tensor;
    less(b: TensorOrLike): Tensor;
    lessEqual(b: TensorOrLike): Tensor;
    equal(b: TensorOrLike): Tensor;
    notEqual(b: TensorOrLike): Tensor;
    logicalAnd(b: TensorOrLike): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    sign(): Tensor;
    relu(): Tensor;
    relu6(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    softplus(): Tensor;
    elu(): Tensor;
    selu(): Tensor;
    leakyRelu(alpha?: number): Tensor;
    prelu(alpha: TensorOrLike): Tensor;
    clipByValue(min: number, max: number): Tensor;
    sum(axis?: Axis, keepDims?: boolean): Tensor;
    mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor;
    min(axis?: Axis, keepDims?: boolean): Tensor;
    prod(axis?: Axis, keepDims?: boolean): Tensor;
    logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
    argMax(axis?: number): Tensor;
    argMin(axis?: number): Tensor;
    softmax(dim?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    matMul(b: TensorOrLike, transposeA?: boolean, transposeB?: boolean): Tensor;
    dot(b: TensorOrLike): Tensor;
    conv2d(filter: TensorOrLike, ...rest: DropFirst2<Parameters<typeof nn.conv2d>>): Tensor;
    maxPool(...args: DropFirst<Parameters<typeof nn.maxPool>>): Tensor;
    avgPool(...args: DropFirst<Parameters<typeof nn.avgPool>>): Tensor;
    batchNorm(...args: DropFirst<Parameters<typeof nn.batchNorm>>): Tensor;
    depthwiseConv2d(filter: TensorOrLike, ...rest: DropFirst2<Parameters<typeof depthwise.depthwiseConv2d>>): Tensor;
    separableConv2d(...args: DropFirst<Parameters<typeof depthwise.separableConv2d>>): Tensor;
    localResponseNormalization(depthRadius?: number, bias?: number, alpha?: number, beta?: number): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor;
    concat(x: TensorOrLike | readonly TensorOrLike[], axis?: number): Tensor;
    stack(x: TensorOrLike | readonly TensorOrLike[], axis?: number): Tensor;
    unstack(axis?: number): Tensor[];
    split(numOrSizeSplits: number | readonly number[], axis?: number): Tensor[];
    pad(paddings: readonly (readonly [number, number])[], constantValue?: number): Tensor;
    gather(indices: TensorOrLike, axis?: number, batchDims?: number): Tensor;
    tile(reps: readonly number[]): Tensor;
    expandDims(axis?: number): Tensor;
    squeeze(axis?: number | readonly number[]): Tensor;
    oneHot(depth: number, onValue?: number, offValue?: number): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    reverse(axis?: number | readonly number[]): Tensor;
    flatten(): Tensor;
    asScalar(): Tensor;
    as1D(): Tensor;
    as2D(rows: number, columns: number): Tensor;
    as3D(rows: number, columns: number, depth: number): Tensor;
    as4D(rows: number, columns: number, depth: number, depth2: number): Tensor;
    reshapeAs(x: Tensor): Tensor;
  }
}

type DropFirst<T extends readonly unknown[]> = T extends readonly [unknown, ...infer R] ? R : never;
type DropFirst2<T extends readonly unknown[]> = T extends readonly [unknown, unknown, ...infer R] ? R : never;

const proto = Tensor.prototype;
/** One method per op: the tensor is its first argument. */
function chain(name: keyof Tensor & string, fn: (x: Tensor, ...rest: never[]) => unknown): void {
  Object.defineProperty(proto, name, {
    value(this: Tensor, ...rest: never[]) { return fn(this, ...rest); },
    writable: true, configurable: true,
  });
}

const binary = { add: ew.add, sub: ew.sub, mul: ew.mul, div: ew.div, maximum: ew.maximum, minimum: ew.minimum, pow: ew.pow,
  squaredDifference: ew.squaredDifference, greater: ew.greater, greaterEqual: ew.greaterEqual, less: ew.less, lessEqual: ew.lessEqual,
  equal: ew.equal, notEqual: ew.notEqual, logicalAnd: ew.logicalAnd, prelu: ew.prelu } as const;
const unary = { neg: ew.neg, abs: ew.abs, exp: ew.exp, log: ew.log, log1p: ew.log1p, sqrt: ew.sqrt, rsqrt: ew.rsqrt, square: ew.square,
  reciprocal: ew.reciprocal, sign: ew.sign, relu: ew.relu, relu6: ew.relu6, sigmoid: ew.sigmoid, tanh: ew.tanh, softplus: ew.softplus,
  elu: ew.elu, selu: ew.selu, leakyRelu: ew.leakyRelu, clipByValue: ew.clipByValue } as const;
const reductions = { sum: red.sum, mean: red.mean, max: red.max, min: red.min, prod: red.prod, logSumExp: red.logSumExp,
  argMax: red.argMax, argMin: red.argMin, softmax: red.softmax, logSoftmax: red.logSoftmax } as const;
const others = { matMul: linalg.matMul, dot: linalg.dot, conv2d: nn.conv2d, maxPool: nn.maxPool, avgPool: nn.avgPool, batchNorm: nn.batchNorm,
  depthwiseConv2d: depthwise.depthwiseConv2d, separableConv2d: depthwise.separableConv2d,
  localResponseNormalization: lrn.localResponseNormalization,
  transpose: layout.transpose, slice: layout.slice, unstack: layout.unstack, split: layout.split, pad: layout.pad, gather: layout.gather,
  tile: layout.tile, expandDims: layout.expandDims, squeeze: layout.squeeze, oneHot: layout.oneHot, broadcastTo: layout.broadcastTo,
  reverse: layout.reverse } as const;
for (const table of [binary, unary, reductions, others]) {
  for (const [name, fn] of Object.entries(table)) chain(name as keyof Tensor & string, fn as (x: Tensor, ...rest: never[]) => unknown);
}

// x.concat(y, axis) and x.stack(y, axis) take one tensor or a list, as TF.js's.
const withThis = (x: Tensor, more: TensorOrLike | readonly TensorOrLike[]): TensorOrLike[] =>
  [x, ...(Array.isArray(more) && !(typeof more[0] === 'number') ? more as readonly TensorOrLike[] : [more as TensorOrLike])];
chain('concat', ((x: Tensor, more: TensorOrLike | readonly TensorOrLike[], axis?: number) => layout.concat(withThis(x, more), axis)) as never);
chain('stack', ((x: Tensor, more: TensorOrLike | readonly TensorOrLike[], axis?: number) => layout.stack(withThis(x, more), axis)) as never);
chain('flatten', ((x: Tensor) => x.reshape([x.size])) as never);
chain('asScalar', ((x: Tensor) => x.reshape([])) as never);
chain('as1D', ((x: Tensor) => x.reshape([x.size])) as never);
chain('as2D', ((x: Tensor, r: number, c: number) => x.reshape([r, c])) as never);
chain('as3D', ((x: Tensor, r: number, c: number, d: number) => x.reshape([r, c, d])) as never);
chain('as4D', ((x: Tensor, r: number, c: number, d: number, d2: number) => x.reshape([r, c, d, d2])) as never);
chain('reshapeAs', ((x: Tensor, like: Tensor) => x.reshape(like.shape)) as never);
