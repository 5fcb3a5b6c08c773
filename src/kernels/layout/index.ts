// Shape and layout kernels: one strided copy (transpose, slice, pad, tile,
// broadcastTo, reverse are plans of it), concatenation along any axis, the sum
// of tiles (the gradient of tile and broadcastTo), gather along an axis and its
// scatter-add, and one-hot rows. The public ops are in ops.ts.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { defineKernel, op } from '../kernel.js';
import type { CopyPlan } from './plan.js';
import { gatherDims } from './gatherDims.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;

function checkPlan(x: Tensor, plan: CopyPlan): void {
  const where = 'stridedCopy';
  const { shape, axes } = plan;
  if (shape.length !== x.rank || axes.length !== x.rank) {
    throw new Error(`${where}: a plan for x of rank ${x.rank} needs ${x.rank} output axes, got shape ${shapeToString(shape)} and ${axes.length} axis reads`);
  }
  if (!shape.every(isCount)) throw new Error(`${where}: expected an output shape of non-negative integers, got ${shapeToString(shape)}`);
  const seen = new Set<number>();
  axes.forEach((a, d) => {
    const ok = Number.isInteger(a.from) && a.from >= 0 && a.from < x.rank && !seen.has(a.from)
      && Number.isInteger(a.wrap) && a.wrap >= 1 && (a.step === 1 || a.step === -1) && Number.isInteger(a.shift);
    if (!ok) throw new Error(`${where}: output axis ${d} has an invalid read ${JSON.stringify(a)} (each input axis read once, wrap >= 1, step +-1, integer shift)`);
    seen.add(a.from);
  });
  if (typeof plan.fill !== 'number') throw new Error(`${where}: expected a numeric fill value, got ${typeof plan.fill}`);
}

export const stridedCopyKernel = defineKernel({
  name: 'stridedCopy',
  check: checkPlan,
  cpu: cpu.stridedCopy,
  webgpu: gpu.stridedCopy,
  wasm: wasm.stridedCopy,
});

export const concatAxisKernel = defineKernel({
  name: 'concatAxis',
  check(xs: readonly Tensor[], axis: number) {
    if (xs.length === 0) throw new Error('concatAxis: expected at least one tensor, got none');
    const first = xs[0];
    if (!Number.isInteger(axis) || axis < 0 || axis >= first.rank) {
      throw new Error(`concatAxis: axis ${axis} is outside [0, ${first.rank}) for tensors of shape ${shapeToString(first.shape)}`);
    }
    xs.forEach((t, k) => {
      if (t.rank !== first.rank || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
        throw new Error(`concatAxis: every tensor must match ${shapeToString(first.shape)} on all axes but ${axis}, got ${shapeToString(t.shape)} at position ${k}`);
      }
    });
  },
  cpu: cpu.concatAxis,
  webgpu: gpu.concatAxis,
  wasm: wasm.concatAxis,
});

export const tileSumKernel = defineKernel({
  name: 'tileSum',
  check(dy: Tensor, xShape: Shape) {
    const ok = xShape.length === dy.rank && xShape.every((n, d) => isCount(n) && (n === 0 ? dy.shape[d] === 0 : dy.shape[d] % n === 0));
    if (!ok) throw new Error(`tileSum: dy ${shapeToString(dy.shape)} is not a tiling of ${shapeToString(xShape)}`);
  },
  cpu: cpu.tileSum,
  webgpu: gpu.tileSum,
  wasm: wasm.tileSum,
});

/** The checks gather and its backward share: axes in range, batch axes that match. */
function checkGather(name: string, xShape: Shape, indices: Tensor, axis: number, batchDims: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= xShape.length) {
    throw new Error(`${name}: axis ${axis} is outside [0, ${xShape.length}) for x of shape ${shapeToString(xShape)}`);
  }
  if (!Number.isInteger(batchDims) || batchDims < 0 || batchDims > axis || batchDims > indices.rank) {
    throw new Error(`${name}: batchDims ${batchDims} must be an integer in [0, min(axis ${axis}, rank of indices ${indices.rank})]`);
  }
  for (let i = 0; i < batchDims; i++) {
    if (xShape[i] !== indices.shape[i]) {
      throw new Error(`${name}: x.shape[${i}] (${xShape[i]}) must equal indices.shape[${i}] (${indices.shape[i]}), a batch axis`);
    }
  }
}

export const gatherAxisKernel = defineKernel({
  name: 'gatherAxis',
  check(x: Tensor, indices: Tensor, axis: number, batchDims: number) {
    checkGather('gatherAxis', x.shape, indices, axis, batchDims);
  },
  cpu: cpu.gatherAxis,
  webgpu: gpu.gatherAxis,
  wasm: wasm.gatherAxis,
});

export const gatherAxisBackwardKernel = defineKernel({
  name: 'gatherAxisBackward',
  check(dy: Tensor, indices: Tensor, xShape: Shape, axis: number, batchDims: number) {
    if (!xShape.every(isCount)) throw new Error(`gatherAxisBackward: expected xShape of non-negative integers, got ${shapeToString(xShape)}`);
    checkGather('gatherAxisBackward', xShape, indices, axis, batchDims);
    const expected = gatherDims(xShape, indices.shape, axis, batchDims).shape;
    if (dy.rank !== expected.length || dy.shape.some((d, i) => d !== expected[i])) {
      throw new Error(`gatherAxisBackward: expected dy of shape ${shapeToString(expected)}, got ${shapeToString(dy.shape)}`);
    }
  },
  cpu: cpu.gatherAxisBackward,
  webgpu: gpu.gatherAxisBackward,
  wasm: wasm.gatherAxisBackward,
});

export const oneHotRowsKernel = defineKernel({
  name: 'oneHotRows',
  check(_indices: Tensor, depth: number, on: number, off: number) {
    if (!isCount(depth)) throw new Error(`oneHotRows: expected a non-negative integer depth, got ${depth}`);
    if (!Number.isFinite(on) || !Number.isFinite(off)) throw new Error(`oneHotRows: expected finite on and off values, got ${on} and ${off}`);
  },
  cpu: cpu.oneHotRows,
  webgpu: gpu.oneHotRows,
  wasm: wasm.oneHotRows,
});

/** x copied as the plan says (transpose, slice, pad, tile, broadcast, reverse). */
export const stridedCopy = op(stridedCopyKernel);
/** Concatenation along `axis` (non-negative, checked). */
export const concatAxis = op(concatAxisKernel);
/** dx of shape xShape: the sum of dy's tiles (dy's shape a multiple of xShape on every axis). */
export const tileSum = op(tileSumKernel);
/**
 * Gather along `axis` (non-negative) with `batchDims` leading batch axes, TF.js's
 * GatherV2: out-of-range indices throw on the CPU and read 0 on WebGPU.
 */
export const gatherAxis = op(gatherAxisKernel);
/** gather's gradient for x (of xShape): dy's rows summed into the rows their indices name (out-of-range indices add nothing). */
export const gatherAxisBackward = op(gatherAxisBackwardKernel);
/** y[..., j] = on where indices[...] = j, else off: shape [...indices.shape, depth] (out-of-range indices make rows of off). */
export const oneHotRows = op(oneHotRowsKernel);
