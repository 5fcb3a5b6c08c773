// The augmentation kernels (NHWC): transform, TF.js's tf.image.transform (a
// per-image projective transform [a0, a1, a2, b0, b1, b2, c0, c1] mapping
// output to input coordinates, nearest or bilinear, with Keras's fill modes),
// and displace, the same sampler reading at each pixel plus a displacement
// field (the elastic distortion), each with its adjoint with respect to the
// image. The public ops with TF.js's signatures are in ops.ts.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';
import type { FillMode, SampleParams, TransformParams } from './types.js';

export { pipelines } from './webgpu.js';

export type { FillMode, TransformInterpolation, SampleParams, TransformParams } from './types.js';

export const FILL_MODES: readonly FillMode[] = ['constant', 'reflect', 'wrap', 'nearest'];

export function checkSampleParams(name: string, p: SampleParams): void {
  if (p?.interpolation !== 'nearest' && p?.interpolation !== 'bilinear') {
    throw new Error(`${name}: interpolation must be 'bilinear' or 'nearest', got ${JSON.stringify(p?.interpolation)}`);
  }
  if (!FILL_MODES.includes(p.fillMode)) throw new Error(`${name}: fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(p.fillMode)}`);
  if (typeof p.fillValue !== 'number' || !Number.isFinite(p.fillValue)) throw new Error(`${name}: fillValue must be a finite number, got ${String(p.fillValue)}`);
}

export function checkTransformParams(name: string, p: TransformParams): void {
  checkSampleParams(name, p);
  const s = p.outputShape as unknown;
  if (!Array.isArray(s) || s.length !== 2 || s.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${name}: outputShape must be two positive integers [height, width], got ${JSON.stringify(s)}`);
  }
}

export function checkImages(name: string, what: string, shape: Shape): void {
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${name}: expected ${what} of shape [n, h, w, c] with positive sizes, got ${shapeToString(shape)}`);
  }
}

/** transforms [1, 8] (one for every image) or [n, 8]. */
export function checkTransforms(name: string, transforms: Tensor, n: number): void {
  if (transforms.rank !== 2 || transforms.shape[1] !== 8 || (transforms.shape[0] !== 1 && transforms.shape[0] !== n)) {
    throw new Error(`${name}: transforms must be of shape [1, 8] or [${n}, 8] (one [a0, a1, a2, b0, b1, b2, c0, c1] per image), got ${shapeToString(transforms.shape)}`);
  }
}

/** flow [n, h, w, 2]: each output pixel's (dy, dx) displacement. */
export function checkFlow(name: string, flow: Tensor, n: number): void {
  if (flow.rank !== 4 || flow.shape[0] !== n || flow.shape[3] !== 2) {
    throw new Error(`${name}: flow must be of shape [${n}, height, width, 2] (a (dy, dx) per output pixel), got ${shapeToString(flow.shape)}`);
  }
}

function checkDy(name: string, dy: Tensor, expected: readonly number[]): void {
  if (dy.rank !== expected.length || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${name}: expected dy of shape ${shapeToString(expected)}, got ${shapeToString(dy.shape)}`);
  }
}

export const transformKernel = defineKernel({
  name: 'transform',
  check(image: Tensor, transforms: Tensor, p: TransformParams) {
    checkImages('transform', 'image', image.shape);
    checkTransforms('transform', transforms, image.shape[0]);
    checkTransformParams('transform', p);
  },
  cpu: cpu.transform,
  webgpu: gpu.transform,
  wasm: wasm.transform,
});

export const transformBackwardKernel = defineKernel({
  name: 'transformBackward',
  check(dy: Tensor, transforms: Tensor, imageShape: Shape, p: TransformParams) {
    checkImages('transformBackward', 'imageShape', imageShape);
    checkTransforms('transformBackward', transforms, imageShape[0]);
    checkTransformParams('transformBackward', p);
    checkDy('transformBackward', dy, [imageShape[0], p.outputShape[0], p.outputShape[1], imageShape[3]]);
  },
  cpu: cpu.transformBackward,
  webgpu: gpu.transformBackward,
  wasm: wasm.transformBackward,
});

export const displaceKernel = defineKernel({
  name: 'displace',
  check(image: Tensor, flow: Tensor, p: SampleParams) {
    checkImages('displace', 'image', image.shape);
    checkFlow('displace', flow, image.shape[0]);
    checkSampleParams('displace', p);
  },
  cpu: cpu.displace,
  webgpu: gpu.displace,
  wasm: wasm.displace,
});

export const displaceBackwardKernel = defineKernel({
  name: 'displaceBackward',
  check(dy: Tensor, flow: Tensor, imageShape: Shape, p: SampleParams) {
    checkImages('displaceBackward', 'imageShape', imageShape);
    checkFlow('displaceBackward', flow, imageShape[0]);
    checkSampleParams('displaceBackward', p);
    checkDy('displaceBackward', dy, [imageShape[0], flow.shape[1], flow.shape[2], imageShape[3]]);
  },
  cpu: cpu.displaceBackward,
  webgpu: gpu.displaceBackward,
  wasm: wasm.displaceBackward,
});

/** y [n, outputShape, c]: each output pixel reads image at its projected position (TF.js's tf.image.transform). */
export const transform = op(transformKernel);
/** dImage [n, h, w, c]: the adjoint of transform with respect to the image. */
export const transformBackward = op(transformBackwardKernel);
/** y [n, fh, fw, c]: output (i, j) reads image at (i + flow[.., 0], j + flow[.., 1]) (the elastic distortion's sampler). */
export const displace = op(displaceKernel);
/** dImage [n, h, w, c]: the adjoint of displace with respect to the image. */
export const displaceBackward = op(displaceBackwardKernel);
