// Public pooling ops: validate, then run on the tensors' backend.

import type { Pool2dParams, Shape } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';
import { backendFor, expectRank } from './dispatch.js';
import { windowGeometry } from './geometry.js';

function poolOutputShape(op: string, xShape: Shape, p: Pool2dParams): number[] {
  if (p.padding !== 'valid' && p.padding !== 'same') {
    throw new Error(`${op}: expected padding 'valid' or 'same', got ${JSON.stringify(p.padding)}`);
  }
  const g = windowGeometry(op, xShape, p.poolSize, p.strides, [1, 1], p.padding);
  return [g.n, g.oh, g.ow, g.c];
}

function checkDy(op: string, dy: Tensor, xShape: Shape, p: Pool2dParams): void {
  const expected = poolOutputShape(op, xShape, p);
  if (dy.rank !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${op}: expected dy of shape ${shapeToString(expected)}, got ${shapeToString(dy.shape)}`);
  }
}

export function maxPool2d(x: Tensor, p: Pool2dParams): Tensor {
  expectRank('maxPool2d', 'x', x, 4);
  poolOutputShape('maxPool2d', x.shape, p);
  return backendFor('maxPool2d', x).maxPool2d(x, p);
}

export function maxPool2dBackward(dy: Tensor, x: Tensor, p: Pool2dParams): Tensor {
  expectRank('maxPool2dBackward', 'x', x, 4);
  checkDy('maxPool2dBackward', dy, x.shape, p);
  return backendFor('maxPool2dBackward', dy, x).maxPool2dBackward(dy, x, p);
}

export function avgPool2d(x: Tensor, p: Pool2dParams): Tensor {
  expectRank('avgPool2d', 'x', x, 4);
  poolOutputShape('avgPool2d', x.shape, p);
  return backendFor('avgPool2d', x).avgPool2d(x, p);
}

export function avgPool2dBackward(dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor {
  checkDy('avgPool2dBackward', dy, xShape, p);
  return backendFor('avgPool2dBackward', dy).avgPool2dBackward(dy, xShape, p);
}
