// Structural kernels: zero padding and its crop, add, scale, concatenation
// along the last axis and its split, row gathering, the full sum.

import type { ExplicitPadding } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectRank, expectSameShape } from '../checks.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

function checkPads(name: string, pads: ExplicitPadding): void {
  const ok = pads.length === 2 && pads.every((p) => p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!ok) throw new Error(`${name}: expected pads [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(pads)}`);
}

export const zeroPad2dKernel = defineKernel({
  name: 'zeroPad2d',
  check(x: Tensor, pads: ExplicitPadding) {
    expectRank('zeroPad2d', 'x', x, 4);
    checkPads('zeroPad2d', pads);
  },
  cpu: cpu.zeroPad2d,
  webgpu: gpu.zeroPad2d,
  wasm: wasm.zeroPad2d,
});

export const zeroPad2dBackwardKernel = defineKernel({
  name: 'zeroPad2dBackward',
  check(dy: Tensor, pads: ExplicitPadding) {
    expectRank('zeroPad2dBackward', 'dy', dy, 4);
    checkPads('zeroPad2dBackward', pads);
    const [[t, b], [l, r]] = pads;
    if (dy.shape[1] <= t + b || dy.shape[2] <= l + r) {
      throw new Error(`zeroPad2dBackward: dy ${shapeToString(dy.shape)} is not larger than the padding ${JSON.stringify(pads)}`);
    }
  },
  cpu: cpu.zeroPad2dBackward,
  webgpu: gpu.zeroPad2dBackward,
  wasm: wasm.zeroPad2dBackward,
});

export const addKernel = defineKernel({
  name: 'add',
  check(a: Tensor, b: Tensor) {
    expectSameShape('add', a, 'a', b, 'b');
  },
  cpu: cpu.add,
  webgpu: gpu.add,
  wasm: wasm.add,
});

export const scaleKernel = defineKernel({
  name: 'scale',
  check(_x: Tensor, s: number) {
    if (!Number.isFinite(s)) throw new Error(`scale: expected a finite factor, got ${s}`);
  },
  cpu: cpu.scale,
  webgpu: gpu.scale,
  wasm: wasm.scale,
});

export const concatKernel = defineKernel({
  name: 'concat',
  check(xs: readonly Tensor[]) {
    if (xs.length === 0) throw new Error('concat: expected at least one tensor, got none');
    const first = xs[0];
    if (first.rank < 1) throw new Error('concat: expected tensors of rank >= 1, got a scalar');
    for (const [k, t] of xs.entries()) {
      const same = t.rank === first.rank && t.shape.every((d, i) => i === t.rank - 1 || d === first.shape[i]);
      if (!same) {
        throw new Error(`concat: every tensor must match ${shapeToString(first.shape)} on all but the last axis, got ${shapeToString(t.shape)} at position ${k}`);
      }
    }
  },
  cpu: cpu.concat,
  webgpu: gpu.concat,
  wasm: wasm.concat,
});

export const concatBackwardKernel = defineKernel({
  name: 'concatBackward',
  check(dy: Tensor, sizes: readonly number[]) {
    const total = sizes.reduce((a, b) => a + b, 0);
    if (dy.rank < 1 || dy.shape[dy.rank - 1] !== total || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new Error(`concatBackward: expected dy whose last axis is ${sizes.join(' + ')} = ${total}, got ${shapeToString(dy.shape)}`);
    }
  },
  cpu: cpu.concatBackward,
  webgpu: gpu.concatBackward,
  wasm: wasm.concatBackward,
});

export const gatherRowsKernel = defineKernel({
  name: 'gatherRows',
  check(x: Tensor, indices: Int32Array) {
    if (x.rank < 1) throw new Error('gatherRows: expected x of rank >= 1, got a scalar');
    const rows = x.shape[0];
    const bad = indices.findIndex((i) => i < 0 || i >= rows);
    if (bad >= 0) throw new Error(`gatherRows: index ${indices[bad]} at position ${bad} is outside [0, ${rows})`);
  },
  cpu: cpu.gatherRows,
  webgpu: gpu.gatherRows,
  wasm: wasm.gatherRows,
});

export const sumKernel = defineKernel({
  name: 'sum',
  check(_x: Tensor) { /* any tensor */ },
  cpu: cpu.sum,
  webgpu: gpu.sum,
  wasm: wasm.sum,
});

export const zeroPad2d = op(zeroPad2dKernel);
export const zeroPad2dBackward = op(zeroPad2dBackwardKernel);
/** Element-wise a + b, same shapes (also how fanned-out gradients accumulate). */
export const add = op(addKernel);
/** y = x * s. */
export const scale = op(scaleKernel);
/** Concatenation along the last axis. */
export const concat = op(concatKernel);
/** Splits dy along the last axis into pieces of the given sizes. */
export const concatBackward = op(concatBackwardKernel);
/** Rows of x (first axis) at the given indices: batching without per-sample copies. */
export const gatherRows = op(gatherRowsKernel);
/** Sum of all elements, as a scalar. */
export const sum = op(sumKernel);
