// Public structural ops: padding, add, scale, concat, gather, sum.

import type { ExplicitPadding } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';
import { backendFor, expectRank, expectSameShape } from './dispatch.js';

function checkPads(op: string, pads: ExplicitPadding): void {
  const ok = pads.length === 2 && pads.every((p) => p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!ok) throw new Error(`${op}: expected pads [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(pads)}`);
}

export function zeroPad2d(x: Tensor, pads: ExplicitPadding): Tensor {
  expectRank('zeroPad2d', 'x', x, 4);
  checkPads('zeroPad2d', pads);
  return backendFor('zeroPad2d', x).zeroPad2d(x, pads);
}

export function zeroPad2dBackward(dy: Tensor, pads: ExplicitPadding): Tensor {
  expectRank('zeroPad2dBackward', 'dy', dy, 4);
  checkPads('zeroPad2dBackward', pads);
  const [[t, b], [l, r]] = pads;
  if (dy.shape[1] <= t + b || dy.shape[2] <= l + r) {
    throw new Error(`zeroPad2dBackward: dy ${shapeToString(dy.shape)} is not larger than the padding ${JSON.stringify(pads)}`);
  }
  return backendFor('zeroPad2dBackward', dy).zeroPad2dBackward(dy, pads);
}

export function add(a: Tensor, b: Tensor): Tensor {
  expectSameShape('add', a, 'a', b, 'b');
  return backendFor('add', a, b).add(a, b);
}

export function scale(x: Tensor, s: number): Tensor {
  if (!Number.isFinite(s)) throw new Error(`scale: expected a finite factor, got ${s}`);
  return backendFor('scale', x).scale(x, s);
}

export function concat(xs: readonly Tensor[]): Tensor {
  if (xs.length === 0) throw new Error('concat: expected at least one tensor, got none');
  const first = xs[0];
  if (first.rank < 1) throw new Error('concat: expected tensors of rank >= 1, got a scalar');
  for (const [k, t] of xs.entries()) {
    const same = t.rank === first.rank && t.shape.every((d, i) => i === t.rank - 1 || d === first.shape[i]);
    if (!same) {
      throw new Error(`concat: every tensor must match ${shapeToString(first.shape)} on all but the last axis, got ${shapeToString(t.shape)} at position ${k}`);
    }
  }
  return backendFor('concat', ...xs).concat(xs);
}

export function concatBackward(dy: Tensor, sizes: readonly number[]): Tensor[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (dy.rank < 1 || dy.shape[dy.rank - 1] !== total || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`concatBackward: expected dy whose last axis is ${sizes.join(' + ')} = ${total}, got ${shapeToString(dy.shape)}`);
  }
  return backendFor('concatBackward', dy).concatBackward(dy, sizes);
}

export function gatherRows(x: Tensor, indices: Int32Array): Tensor {
  if (x.rank < 1) throw new Error('gatherRows: expected x of rank >= 1, got a scalar');
  const rows = x.shape[0];
  const bad = indices.findIndex((i) => i < 0 || i >= rows);
  if (bad >= 0) throw new Error(`gatherRows: index ${indices[bad]} at position ${bad} is outside [0, ${rows})`);
  return backendFor('gatherRows', x).gatherRows(x, indices);
}

export function sum(x: Tensor): Tensor {
  return backendFor('sum', x).sum(x);
}
