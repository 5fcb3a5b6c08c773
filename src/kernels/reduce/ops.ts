// The public reductions and softmaxes, in TF.js's names and semantics: axis
// undefined = every axis, negative axes from the end, an empty list reduces
// nothing; keepDims keeps reduced axes as 1. Each records its gradient.

import { asInt32, type Tensor } from '../../tensor.js';
import { recordGradient } from '../../autodiff/tape.js';
import { toTensor, type TensorOrLike } from '../../convert.js';
import { run } from '../kernel.js';
import { softmaxBackwardKernel, softmaxKernel } from '../activation/index.js';
import { reduceBackwardKernel, reduceKernel, softmaxAxisBackwardKernel, softmaxAxisKernel } from './index.js';
import { keptDimsShape, normalizeAxes, type ReduceBackwardOp } from './shape.js';
import { forward } from './forward.js';

/** Where TF.js's result keeps an int32 input's dtype (mean and logSumExp are float). */
const KEEPS_DTYPE: readonly ReduceBackwardOp[] = ['sum', 'prod', 'max', 'min'];

function reduction(name: ReduceBackwardOp, x: TensorOrLike, axis: number | readonly number[] | undefined, keepDims: boolean): Tensor {
  const xt = toTensor(x, name, 'x');
  const axes = normalizeAxes(name, xt.shape, axis);
  const y = forward(() => {
    const reduced = run(reduceKernel, xt, axes, name);
    return keepDims ? reduced.reshape(keptDimsShape(xt.shape, axes)) : reduced;
  });
  if (xt.dtype === 'int32' && KEEPS_DTYPE.includes(name)) asInt32(y);
  recordGradient(name, [xt], y, (dy) => [run(reduceBackwardKernel, dy, xt, y, axes, name)]);
  return y;
}

/** The sum over axis (every axis when undefined). */
export function sum(x: TensorOrLike, axis?: number | number[], keepDims = false): Tensor {
  return reduction('sum', x, axis, keepDims);
}

/** The mean over axis (every axis when undefined). */
export function mean(x: TensorOrLike, axis?: number | number[], keepDims = false): Tensor {
  return reduction('mean', x, axis, keepDims);
}

/** The product over axis; its gradient is the product of the other elements (exact with zeros). */
export function prod(x: TensorOrLike, axis?: number | number[], keepDims = false): Tensor {
  return reduction('prod', x, axis, keepDims);
}

/** The maximum over axis; its gradient goes to every element equal to the maximum. */
export function max(x: TensorOrLike, axis?: number | number[], keepDims = false): Tensor {
  return reduction('max', x, axis, keepDims);
}

/** The minimum over axis; its gradient goes to every element equal to the minimum. */
export function min(x: TensorOrLike, axis?: number | number[], keepDims = false): Tensor {
  return reduction('min', x, axis, keepDims);
}

/** log(sum(exp(x))) over axis, computed with the maximum subtracted (no overflow). */
export function logSumExp(x: TensorOrLike, axis?: number | number[], keepDims = false): Tensor {
  return reduction('logSumExp', x, axis, keepDims);
}

function argExtreme(name: 'argMax' | 'argMin', x: TensorOrLike, axis: number): Tensor {
  const xt = toTensor(x, name, 'x');
  if (typeof axis !== 'number') throw new Error(`${name}: expected axis to be one number, got ${JSON.stringify(axis)}`);
  const axes = normalizeAxes(name, xt.shape, axis);
  const y = asInt32(run(reduceKernel, xt, axes, name));
  // As in TF.js: an index has a zero gradient, not none.
  recordGradient(name, [xt], y, () => [xt.backend.fromValues(new Float32Array(xt.size), xt.shape)]);
  return y;
}

/** The index (int32) of the largest element along axis, the first one on ties. */
export function argMax(x: TensorOrLike, axis = 0): Tensor {
  return argExtreme('argMax', x, axis);
}

/** The index (int32) of the smallest element along axis, the first one on ties. */
export function argMin(x: TensorOrLike, axis = 0): Tensor {
  return argExtreme('argMin', x, axis);
}

function softmaxAlong(name: 'softmax' | 'logSoftmax', logits: TensorOrLike, axis: number): Tensor {
  const x = toTensor(logits, name, 'logits');
  if (x.rank === 0) throw new Error(`${name}: expected logits of rank >= 1, got a scalar`);
  const [a] = normalizeAxes(name, x.shape, axis);
  const log = name === 'logSoftmax';
  // The last axis's softmax is the layers' kernel; any other axis, and log-softmax, the strided one.
  const lastSoftmax = !log && a === x.rank - 1;
  const y = lastSoftmax ? run(softmaxKernel, x) : run(softmaxAxisKernel, x, a, log);
  recordGradient(name, [x], y, (dy) => [lastSoftmax ? run(softmaxBackwardKernel, dy, y) : run(softmaxAxisBackwardKernel, dy, y, a, log)]);
  return y;
}

/** exp(x) / sum(exp(x)) along dim (the last axis by default; any axis here). */
export function softmax(logits: TensorOrLike, dim = -1): Tensor {
  return softmaxAlong('softmax', logits, dim);
}

/** x - logSumExp(x) along axis (the last by default; any axis here). */
export function logSoftmax(logits: TensorOrLike, axis = -1): Tensor {
  return softmaxAlong('logSoftmax', logits, axis);
}
