// Image resizing and cropping as TF.js's tf.image ops compute them (NHWC):
// resize (nearest or bilinear, alignCorners / halfPixelCenters) with its
// backward, and cropAndResize with its gradient with respect to the image.
// One kernel each; the public ops with TF.js's signatures are in ops.ts.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';
import type { ResizeParams, CropAndResizeParams } from './types.js';

export { pipelines } from './webgpu.js';

export type { ResizeMethod, ResizeParams, CropAndResizeParams } from './types.js';

function checkSize(name: string, what: string, s: unknown): void {
  if (!Array.isArray(s) || s.length !== 2 || s.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${name}: ${what} must be two positive integers [height, width], got ${JSON.stringify(s)}`);
  }
}

function checkMethod(name: string, m: unknown): void {
  if (m !== 'nearest' && m !== 'bilinear') throw new Error(`${name}: method must be 'bilinear' or 'nearest', got ${JSON.stringify(m)}`);
}

export function checkResizeParams(name: string, p: ResizeParams): void {
  checkSize(name, 'size', p?.size);
  checkMethod(name, p.method);
  if (p.alignCorners && p.halfPixelCenters) throw new Error(`${name}: if halfPixelCenters is true, alignCorners must be false`);
}

export function checkCropParams(name: string, p: CropAndResizeParams): void {
  checkSize(name, 'cropSize', p?.cropSize);
  checkMethod(name, p.method);
  if (typeof p.extrapolationValue !== 'number') throw new Error(`${name}: extrapolationValue must be a number, got ${String(p.extrapolationValue)}`);
}

function checkImages(name: string, what: string, shape: Shape): void {
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${name}: expected ${what} of shape [n, h, w, c] with positive sizes, got ${shapeToString(shape)}`);
  }
}

function checkExact(name: string, what: string, t: Tensor, expected: readonly number[]): void {
  if (t.rank !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${name}: expected ${what} of shape ${shapeToString(expected)}, got ${shapeToString(t.shape)}`);
  }
}

/** boxes [numBoxes, 4] and boxInd [numBoxes]. */
export function checkBoxes(name: string, boxes: Tensor, boxInd: Tensor): void {
  if (boxes.rank !== 2 || boxes.shape[1] !== 4) throw new Error(`${name}: boxes must be of shape [numBoxes, 4], got ${shapeToString(boxes.shape)}`);
  if (boxInd.rank !== 1 || boxInd.shape[0] !== boxes.shape[0]) {
    throw new Error(`${name}: boxInd must be of shape [${boxes.shape[0]}] (one image index per box), got ${shapeToString(boxInd.shape)}`);
  }
}

export const resizeKernel = defineKernel({
  name: 'resize',
  check(x: Tensor, p: ResizeParams) {
    checkImages('resize', 'x', x.shape);
    checkResizeParams('resize', p);
  },
  cpu: cpu.resize,
  webgpu: gpu.resize,
  wasm: wasm.resize,
});

export const resizeBackwardKernel = defineKernel({
  name: 'resizeBackward',
  check(dy: Tensor, xShape: Shape, p: ResizeParams) {
    checkImages('resizeBackward', 'xShape', xShape);
    checkResizeParams('resizeBackward', p);
    checkExact('resizeBackward', 'dy', dy, [xShape[0], p.size[0], p.size[1], xShape[3]]);
  },
  cpu: cpu.resizeBackward,
  webgpu: gpu.resizeBackward,
  wasm: wasm.resizeBackward,
});

export const cropAndResizeKernel = defineKernel({
  name: 'cropAndResize',
  check(image: Tensor, boxes: Tensor, boxInd: Tensor, p: CropAndResizeParams) {
    checkImages('cropAndResize', 'image', image.shape);
    checkBoxes('cropAndResize', boxes, boxInd);
    checkCropParams('cropAndResize', p);
  },
  cpu: cpu.cropAndResize,
  webgpu: gpu.cropAndResize,
  wasm: wasm.cropAndResize,
});

export const cropAndResizeBackwardKernel = defineKernel({
  name: 'cropAndResizeBackward',
  check(dy: Tensor, boxes: Tensor, boxInd: Tensor, imageShape: Shape, p: CropAndResizeParams) {
    checkImages('cropAndResizeBackward', 'imageShape', imageShape);
    checkBoxes('cropAndResizeBackward', boxes, boxInd);
    checkCropParams('cropAndResizeBackward', p);
    checkExact('cropAndResizeBackward', 'dy', dy, [boxes.shape[0], p.cropSize[0], p.cropSize[1], imageShape[3]]);
  },
  cpu: cpu.cropAndResizeBackward,
  webgpu: gpu.cropAndResizeBackward,
  wasm: wasm.cropAndResizeBackward,
});

/** y [n, size[0], size[1], c] from x [n, h, w, c]: nearest or bilinear, as TF.js's resize ops. */
export const resize = op(resizeKernel);
/** dx [n, h, w, c]: the adjoint of resize (each input pixel gathers the dy of the outputs that read it, with their weights). */
export const resizeBackward = op(resizeBackwardKernel);
/** y [numBoxes, cropH, cropW, c]: each box of image boxInd[b] sampled on a cropH x cropW grid, as TF.js's cropAndResize. */
export const cropAndResize = op(cropAndResizeKernel);
/** dImage [n, h, w, c]: the adjoint of cropAndResize with respect to the image (TensorFlow's CropAndResizeGradImage). */
export const cropAndResizeBackward = op(cropAndResizeBackwardKernel);
