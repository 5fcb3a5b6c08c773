// wc.image.transform in TF.js's signature (tf.image.transform), and the
// displacement sampler the elastic layer uses, each differentiable with
// respect to the images (transforms and flows are constants).

import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { recordGradient } from '../../autodiff/tape.js';
import { toTensor, toTensors, type TensorOrLike } from '../../convert.js';
import { run } from '../kernel.js';
import { forward } from '../reduce/forward.js';
import {
  checkFlow, checkSampleParams, checkTransformParams, checkTransforms, displaceBackwardKernel, displaceKernel,
  transformBackwardKernel, transformKernel, type FillMode, type SampleParams, type TransformInterpolation, type TransformParams,
} from './index.js';

/**
 * tf.image.transform: images [n, h, w, c]; transforms [1, 8] or [n, 8], each
 * [a0, a1, a2, b0, b1, b2, c0, c1] mapping output (x, y) to input
 * ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1.
 * interpolation 'nearest' (default) or 'bilinear'; fillMode 'constant'
 * (default, fillValue), 'reflect', 'wrap' or 'nearest'; outputShape
 * [height, width] (default the input's). Differentiable with respect to images.
 */
export function transform(
  images: TensorOrLike, transforms: TensorOrLike, interpolation: TransformInterpolation = 'nearest',
  fillMode: FillMode = 'constant', fillValue = 0, outputShape?: [number, number],
): Tensor {
  const name = 'transform';
  const [x, t] = toTensors(name, { images, transforms });
  if (x.rank !== 4) throw new Error(`${name}: images must be rank 4 [n, h, w, c], got shape ${shapeToString(x.shape)}`);
  checkTransforms(name, t, x.shape[0]);
  const p: TransformParams = { interpolation, fillMode, fillValue, outputShape: outputShape ?? [x.shape[1], x.shape[2]] };
  checkTransformParams(name, p);
  const y = forward(() => run(transformKernel, x, t, p));
  recordGradient(name, [x], y, (dy) => [run(transformBackwardKernel, dy, t, x.shape, p)]);
  return y;
}

/** Output (i, j) of each image reads images at (i + flow[.., 0], j + flow[.., 1]); flow [n, h, w, 2]. Differentiable with respect to images. */
export function displaceImages(images: TensorOrLike, flow: TensorOrLike, p: SampleParams): Tensor {
  const name = 'displace';
  const x = toTensor(images, name, 'images');
  const f = toTensor(flow, name, 'flow');
  if (x.rank !== 4) throw new Error(`${name}: images must be rank 4 [n, h, w, c], got shape ${shapeToString(x.shape)}`);
  checkFlow(name, f, x.shape[0]);
  checkSampleParams(name, p);
  const y = forward(() => run(displaceKernel, x, f, p));
  recordGradient(name, [x], y, (dy) => [run(displaceBackwardKernel, dy, f, x.shape, p)]);
  return y;
}
