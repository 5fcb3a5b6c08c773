// Element-wise math: one unary kernel and one broadcasting binary kernel, each
// a family of ops picked by an op code; where (a broadcasting select); and
// sumToShape, which sums a broadcast result back to an input's shape (the
// gradients of the broadcasting ops). The public ops are in ops.ts.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { defineKernel, op } from '../kernel.js';
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from './codes.js';
import { broadcastShape, expectRankAtMost, sameShape } from './broadcast.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';
export { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from './codes.js';

function expectOp(kernel: string, op: string, ops: readonly string[]): void {
  if (!ops.includes(op)) throw new Error(`${kernel}: unknown op ${JSON.stringify(op)}; expected one of ${ops.join(', ')}`);
}

export const unaryKernel = defineKernel({
  name: 'unary',
  check(_x: Tensor, op: UnaryOp, alpha: number, beta: number) {
    expectOp('unary', op, UNARY_OPS);
    if (Number.isNaN(alpha) || Number.isNaN(beta)) throw new Error(`unary: ${op}'s parameters must be numbers, got ${alpha} and ${beta}`);
  },
  cpu: cpu.unary,
  webgpu: gpu.unary,
  wasm: wasm.unary,
});

export const binaryKernel = defineKernel({
  name: 'binary',
  check(a: Tensor, b: Tensor, op: BinaryOp) {
    expectOp('binary', op, BINARY_OPS);
    expectRankAtMost('binary', 'a', a.shape);
    expectRankAtMost('binary', 'b', b.shape);
    broadcastShape('binary', a.shape, b.shape);
  },
  cpu: cpu.binary,
  webgpu: gpu.binary,
  wasm: wasm.binary,
});

export const whereKernel = defineKernel({
  name: 'where',
  check(condition: Tensor, a: Tensor, b: Tensor) {
    expectRankAtMost('where', 'condition', condition.shape);
    expectRankAtMost('where', 'a', a.shape);
    expectRankAtMost('where', 'b', b.shape);
    broadcastShape('where', broadcastShape('where', condition.shape, a.shape), b.shape);
  },
  cpu: cpu.where,
  webgpu: gpu.where,
  wasm: wasm.where,
});

export const sumToShapeKernel = defineKernel({
  name: 'sumToShape',
  check(x: Tensor, shape: Shape) {
    expectRankAtMost('sumToShape', 'x', x.shape);
    const ok = Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0) && shape.length <= x.rank;
    let fits = false;
    try {
      fits = ok && sameShape(broadcastShape('sumToShape', shape, x.shape), x.shape);
    } catch {
      fits = false;
    }
    if (!fits) {
      throw new Error(`sumToShape: shape ${Array.isArray(shape) ? shapeToString(shape) : String(shape)} does not broadcast to x's shape ${shapeToString(x.shape)}`);
    }
  },
  cpu: cpu.sumToShape,
  webgpu: gpu.sumToShape,
  wasm: wasm.sumToShape,
});

/** The kernels as raw ops (wc.ops): no conversion, no gradient; the public ops are in ops.ts. */
export const unary = op(unaryKernel);
export const binary = op(binaryKernel);
export const where = op(whereKernel);
export const sumToShape = op(sumToShapeKernel);
