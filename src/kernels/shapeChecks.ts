// Shape checks shared by the convolution, matmul and locally-connected kernels.

import type { Conv2dParams, FusedActivation, Shape } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';
import { windowGeometry } from './geometry.js';

export function checkKernel4(name: string, w: Tensor | Shape, cin: number): void {
  const shape = 'shape' in w ? w.shape : w;
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${name}: expected a kernel of shape [kh, kw, cin, cout] with positive sizes, got ${shapeToString(shape)}`);
  }
  if (shape[2] !== cin) {
    throw new Error(`${name}: the kernel expects ${shape[2]} input channels (shape ${shapeToString(shape)}), but the input has ${cin}`);
  }
}

export function checkBias(name: string, bias: Tensor | null, units: number): void {
  if (bias && (bias.rank !== 1 || bias.shape[0] !== units)) {
    throw new Error(`${name}: expected a bias of shape [${units}], got ${shapeToString(bias.shape)}`);
  }
}

export function checkDy(name: string, dy: Tensor, expected: readonly number[]): void {
  if (dy.rank !== expected.length || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${name}: expected dy of shape ${shapeToString(expected)}, got ${shapeToString(dy.shape)}`);
  }
}

/** Validates a convolution and returns its output shape [n, oh, ow, cout]. */
export function convOutputShape(name: string, xShape: Shape, wShape: Shape, p: Conv2dParams): number[] {
  checkKernel4(name, wShape, xShape[3]);
  const g = windowGeometry(name, xShape, [wShape[0], wShape[1]], p.strides, p.dilations, p.padding);
  return [g.n, g.oh, g.ow, wShape[3]];
}

export function checkFused(name: string, activation: FusedActivation): void {
  if (activation !== 'linear' && activation !== 'relu' && activation !== 'relu6') {
    throw new Error(`${name}: the fused activation must be 'linear', 'relu' or 'relu6', got ${JSON.stringify(activation)} (apply other activations as their own op)`);
  }
}
