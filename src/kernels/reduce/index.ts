// Reductions over any set of axes (sum, mean, prod, max, min, argMax, argMin,
// logSumExp: one kernel, the op an override constant of its shader) and the
// backward that spreads dy back over the reduced axes; softmax and log-softmax
// along any axis with their backward.

import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectSameShape } from '../checks.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';
import { MAX_REDUCE_RANK } from './layout.js';
import { REDUCE_BACKWARD_OPS, REDUCE_OPS, reducedShape, type ReduceBackwardOp, type ReduceOp } from './shape.js';

export { pipelines } from './webgpu.js';

function checkAxes(name: string, x: Tensor, axes: readonly number[]): void {
  if (x.rank > MAX_REDUCE_RANK) throw new Error(`${name}: expected a tensor of rank <= ${MAX_REDUCE_RANK}, got shape ${shapeToString(x.shape)}`);
  const ok = axes.every((a, i) => Number.isInteger(a) && a >= 0 && a < x.rank && (i === 0 || a > axes[i - 1]));
  if (!ok) throw new Error(`${name}: expected distinct sorted axes in [0, ${x.rank}), got ${JSON.stringify(axes)}`);
}

export const reduceKernel = defineKernel({
  name: 'reduce',
  check(x: Tensor, axes: readonly number[], kind: ReduceOp) {
    checkAxes('reduce', x, axes);
    if (!REDUCE_OPS.includes(kind)) throw new Error(`reduce: expected op to be one of ${REDUCE_OPS.join(', ')}, got ${String(kind)}`);
  },
  cpu: cpu.reduce,
  webgpu: gpu.reduce,
  wasm: wasm.reduce,
});

export const reduceBackwardKernel = defineKernel({
  name: 'reduceBackward',
  check(dy: Tensor, x: Tensor, y: Tensor, axes: readonly number[], kind: ReduceBackwardOp) {
    checkAxes('reduceBackward', x, axes);
    if (!REDUCE_BACKWARD_OPS.includes(kind)) throw new Error(`reduceBackward: expected op to be one of ${REDUCE_BACKWARD_OPS.join(', ')}, got ${String(kind)}`);
    const outShape = reducedShape(x.shape, axes);
    for (const [what, t] of [['dy', dy], ['y', y]] as const) {
      if (t.size !== outShape.reduce((a, b) => a * b, 1)) {
        throw new Error(`reduceBackward: expected ${what} of x's reduced shape ${shapeToString(outShape)}, got ${shapeToString(t.shape)}`);
      }
    }
  },
  cpu: cpu.reduceBackward,
  webgpu: gpu.reduceBackward,
  wasm: wasm.reduceBackward,
});

/** x folded over the (sorted, distinct) axes by op; the reduced axes are dropped from the shape. */
export const reduce = op(reduceKernel);
/** dx of reduce(x, axes, op) = y for dy (y and dy of the reduced shape or its keepDims reshape). */
export const reduceBackward = op(reduceBackwardKernel);

function checkAxis(name: string, x: Tensor, axis: number): void {
  if (!(Number.isInteger(axis) && axis >= 0 && axis < x.rank)) {
    throw new Error(`${name}: expected an axis in [0, ${x.rank}) of x ${shapeToString(x.shape)}, got ${axis}`);
  }
}

export const softmaxAxisKernel = defineKernel({
  name: 'softmaxAxis',
  check(x: Tensor, axis: number, _log: boolean) {
    checkAxis('softmaxAxis', x, axis);
  },
  cpu: cpu.softmaxAxis,
  webgpu: gpu.softmaxAxis,
  wasm: wasm.softmaxAxis,
});

export const softmaxAxisBackwardKernel = defineKernel({
  name: 'softmaxAxisBackward',
  check(dy: Tensor, y: Tensor, axis: number, _log: boolean) {
    checkAxis('softmaxAxisBackward', y, axis);
    expectSameShape('softmaxAxisBackward', dy, 'dy', y, 'y');
  },
  cpu: cpu.softmaxAxisBackward,
  webgpu: gpu.softmaxAxisBackward,
  wasm: wasm.softmaxAxisBackward,
});

/** Softmax (log = false) or log-softmax (log = true) along one axis. */
export const softmaxAxis = op(softmaxAxisKernel);
/** dx of softmaxAxis from dy and its output y. */
export const softmaxAxisBackward = op(softmaxAxisBackwardKernel);
