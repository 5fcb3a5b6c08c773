// wc.image's ops in TF.js's signatures (tf.image.resizeBilinear,
// tf.image.resizeNearestNeighbor, tf.image.cropAndResize), differentiable
// with respect to the images.

import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { recordGradient } from '../../autodiff/tape.js';
import { toTensor, toTensors, type TensorOrLike } from '../../convert.js';
import { run } from '../kernel.js';
import { forward } from '../reduce/forward.js';
import {
  checkBoxes, checkCropParams, checkResizeParams, cropAndResizeBackwardKernel, cropAndResizeKernel,
  resizeBackwardKernel, resizeKernel, type ResizeMethod, type ResizeParams,
} from './index.js';

function resizeOp(name: string, method: ResizeMethod, images: TensorOrLike, size: [number, number], alignCorners: boolean, halfPixelCenters: boolean): Tensor {
  const x = toTensor(images, name, 'images');
  if (x.rank !== 4 && x.rank !== 3) throw new Error(`${name}: images must be rank 4 [n, h, w, c] (or 3 for one image), got shape ${shapeToString(x.shape)}`);
  const p: ResizeParams = { size: size as [number, number], method, alignCorners, halfPixelCenters };
  checkResizeParams(name, p);
  const x4 = x.rank === 3 ? x.reshape([1, ...x.shape]) : x;
  const outShape = x.rank === 3 ? [size[0], size[1], x.shape[2]] : [x.shape[0], size[0], size[1], x.shape[3]];
  const y = forward(() => run(resizeKernel, x4, p).reshape(outShape));
  recordGradient(name, [x], y, (dy) => [run(resizeBackwardKernel, dy.reshape([x4.shape[0], size[0], size[1], x4.shape[3]]), x4.shape, p).reshape(x.shape)]);
  return y;
}

/**
 * tf.image.resizeBilinear: images [n, h, w, c] (or [h, w, c]) to [n, size[0], size[1], c].
 * alignCorners maps the corner pixels onto each other; halfPixelCenters samples at
 * pixel centres (not both). Differentiable with respect to images.
 */
export function resizeBilinear(images: TensorOrLike, size: [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  return resizeOp('resizeBilinear', 'bilinear', images, size, alignCorners, halfPixelCenters);
}

/** tf.image.resizeNearestNeighbor: as resizeBilinear, each output the nearest input pixel. Differentiable with respect to images. */
export function resizeNearestNeighbor(images: TensorOrLike, size: [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  return resizeOp('resizeNearestNeighbor', 'nearest', images, size, alignCorners, halfPixelCenters);
}

/**
 * tf.image.cropAndResize: image [n, h, w, c]; boxes [numBoxes, 4], each (y1, x1, y2, x2)
 * normalized (0 and 1 are the first and last pixel; y1 > y2 flips the crop); boxInd
 * [numBoxes], the image of each box; cropSize [cropH, cropW]. Returns [numBoxes, cropH, cropW, c];
 * samples outside the image take extrapolationValue. Differentiable with respect to image
 * (boxes and boxInd are constants).
 */
export function cropAndResize(
  image: TensorOrLike, boxes: TensorOrLike, boxInd: TensorOrLike, cropSize: [number, number],
  method: ResizeMethod = 'bilinear', extrapolationValue = 0,
): Tensor {
  const name = 'cropAndResize';
  const [x, b, bi] = toTensors(name, { image, boxes, boxInd });
  if (x.rank !== 4) throw new Error(`${name}: image must be rank 4 [n, h, w, c], got shape ${shapeToString(x.shape)}`);
  checkBoxes(name, b, bi);
  const p = { cropSize: cropSize as [number, number], method, extrapolationValue };
  checkCropParams(name, p);
  const y = forward(() => run(cropAndResizeKernel, x, b, bi, p));
  recordGradient(name, [x], y, (dy) => [run(cropAndResizeBackwardKernel, dy, b, bi, x.shape, p)]);
  return y;
}
