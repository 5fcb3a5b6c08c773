// Public convolution, matrix and locally-connected ops: validate, then run on
// the tensors' backend. Errors name the op, what was expected and what was given.

import type { Conv2dParams, FusedActivation, LocallyConnected2dParams, Shape } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';
import { backendFor, expectRank } from './dispatch.js';
import { isPointwise, windowGeometry } from './geometry.js';

function checkKernel4(op: string, w: Tensor | Shape, cin: number): void {
  const shape = 'shape' in w ? w.shape : w;
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${op}: expected a kernel of shape [kh, kw, cin, cout] with positive sizes, got ${shapeToString(shape)}`);
  }
  if (shape[2] !== cin) {
    throw new Error(`${op}: the kernel expects ${shape[2]} input channels (shape ${shapeToString(shape)}), but the input has ${cin}`);
  }
}

function checkBias(op: string, bias: Tensor | null, units: number): void {
  if (bias && (bias.rank !== 1 || bias.shape[0] !== units)) {
    throw new Error(`${op}: expected a bias of shape [${units}], got ${shapeToString(bias.shape)}`);
  }
}

function checkDy(op: string, dy: Tensor, expected: readonly number[]): void {
  if (dy.rank !== expected.length || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${op}: expected dy of shape ${shapeToString(expected)}, got ${shapeToString(dy.shape)}`);
  }
}

/** Validates a convolution and returns its output shape [n, oh, ow, cout]. */
function convOutputShape(op: string, xShape: Shape, wShape: Shape, p: Conv2dParams): number[] {
  checkKernel4(op, wShape, xShape[3]);
  const g = windowGeometry(op, xShape, [wShape[0], wShape[1]], p.strides, p.dilations, p.padding);
  return [g.n, g.oh, g.ow, wShape[3]];
}

function checkFused(op: string, activation: FusedActivation): void {
  if (activation !== 'linear' && activation !== 'relu') {
    throw new Error(`${op}: the fused activation must be 'linear' or 'relu', got ${JSON.stringify(activation)} (apply other activations as their own op)`);
  }
}

/** y = act(conv(x, w) + bias); `activation` 'relu' is applied in the same pass. */
export function conv2d(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation: FusedActivation = 'linear'): Tensor {
  expectRank('conv2d', 'x', x, 4);
  checkFused('conv2d', activation);
  convOutputShape('conv2d', x.shape, w.shape, p);
  checkBias('conv2d', bias, w.shape[3]);
  return backendFor('conv2d', x, w, bias).conv2d(x, w, bias, p, activation);
}

/** The im2col column matrix [n*oh*ow, kh*kw*cin] of x (x itself, reshaped, for a 1x1 stride-1 unpadded conv). */
export function conv2dColumns(x: Tensor, kernelSize: readonly [number, number], p: Conv2dParams): Tensor {
  expectRank('conv2dColumns', 'x', x, 4);
  const g = windowGeometry('conv2dColumns', x.shape, kernelSize, p.strides, p.dilations, p.padding);
  if (isPointwise(g)) return x.reshape([g.n * g.oh * g.ow, g.c]);
  return backendFor('conv2dColumns', x).conv2dColumns(x, kernelSize, p);
}

export function conv2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: Conv2dParams): Tensor {
  checkDy('conv2dBackwardInput', dy, convOutputShape('conv2dBackwardInput', xShape, w.shape, p));
  return backendFor('conv2dBackwardInput', dy, w).conv2dBackwardInput(dy, w, xShape, p);
}

export function conv2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: Conv2dParams): Tensor {
  expectRank('conv2dBackwardFilter', 'x', x, 4);
  checkDy('conv2dBackwardFilter', dy, convOutputShape('conv2dBackwardFilter', x.shape, wShape, p));
  return backendFor('conv2dBackwardFilter', x, dy).conv2dBackwardFilter(x, dy, wShape, p);
}

/** a . b, with a and b optionally transposed; with a bias ([n]) and/or activation, act(a . b + bias) in one pass. */
export function matmul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean, bias: Tensor | null = null, activation: FusedActivation = 'linear'): Tensor {
  expectRank('matmul', 'a', a, 2);
  expectRank('matmul', 'b', b, 2);
  const k = transposeA ? a.shape[0] : a.shape[1];
  const kb = transposeB ? b.shape[1] : b.shape[0];
  if (k !== kb) {
    throw new Error(`matmul: inner sizes must agree, got a ${shapeToString(a.shape)}${transposeA ? '^T' : ''} and b ${shapeToString(b.shape)}${transposeB ? '^T' : ''} (${k} vs ${kb})`);
  }
  checkBias('matmul', bias, transposeB ? b.shape[0] : b.shape[1]);
  checkFused('matmul', activation);
  if (!bias && activation === 'linear') return backendFor('matmul', a, b).matmul(a, b, transposeA, transposeB);
  return backendFor('matmul', a, b, bias).matmul(a, b, transposeA, transposeB, bias, activation);
}

export function biasAdd(x: Tensor, b: Tensor): Tensor {
  if (x.rank < 1) throw new Error('biasAdd: expected x of rank >= 1, got a scalar');
  checkBias('biasAdd', b, x.shape[x.rank - 1]);
  return backendFor('biasAdd', x, b).biasAdd(x, b);
}

export function biasAddBackward(dy: Tensor): Tensor {
  if (dy.rank < 1) throw new Error('biasAddBackward: expected dy of rank >= 1, got a scalar');
  return backendFor('biasAddBackward', dy).biasAddBackward(dy);
}

/** Validates a locally-connected layer's shapes and returns its output shape [n, oh, ow, cout]. */
function lcOutputShape(op: string, xShape: Shape, wShape: Shape, p: LocallyConnected2dParams): number[] {
  const g = windowGeometry(op, xShape, p.kernelSize, p.strides, [1, 1], 'valid');
  const expected = [g.oh * g.ow, g.kh * g.kw * g.c];
  if (wShape.length !== 3 || wShape[0] !== expected[0] || wShape[1] !== expected[1] || !(wShape[2] >= 1)) {
    throw new Error(`${op}: expected a kernel of shape [${expected[0]}, ${expected[1]}, cout] (oh*ow, kh*kw*cin, cout), got ${shapeToString(wShape)}`);
  }
  return [g.n, g.oh, g.ow, wShape[2]];
}

export function locallyConnected2d(x: Tensor, w: Tensor, bias: Tensor | null, p: LocallyConnected2dParams): Tensor {
  expectRank('locallyConnected2d', 'x', x, 4);
  const [, oh, ow, cout] = lcOutputShape('locallyConnected2d', x.shape, w.shape, p);
  if (bias && (bias.rank !== 3 || bias.shape[0] !== oh || bias.shape[1] !== ow || bias.shape[2] !== cout)) {
    throw new Error(`locallyConnected2d: expected a bias of shape [${oh}, ${ow}, ${cout}], got ${shapeToString(bias.shape)}`);
  }
  return backendFor('locallyConnected2d', x, w, bias).locallyConnected2d(x, w, bias, p);
}

export function locallyConnected2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: LocallyConnected2dParams): Tensor {
  checkDy('locallyConnected2dBackwardInput', dy, lcOutputShape('locallyConnected2dBackwardInput', xShape, w.shape, p));
  return backendFor('locallyConnected2dBackwardInput', dy, w).locallyConnected2dBackwardInput(dy, w, xShape, p);
}

export function locallyConnected2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: LocallyConnected2dParams): Tensor {
  expectRank('locallyConnected2dBackwardFilter', 'x', x, 4);
  checkDy('locallyConnected2dBackwardFilter', dy, lcOutputShape('locallyConnected2dBackwardFilter', x.shape, wShape, p));
  return backendFor('locallyConnected2dBackwardFilter', x, dy).locallyConnected2dBackwardFilter(x, dy, wShape, p);
}
