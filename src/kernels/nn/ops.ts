// conv2d, maxPool, avgPool and batchNorm in TF.js's signatures (tf.conv2d,
// tf.maxPool, tf.avgPool, tf.batchNorm), differentiable, over the layers'
// kernels and their backward kernels. Rank-3 images are a batch of one.

import type { Conv2dParams, Pool2dParams } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { recordGradient } from '../../autodiff/tape.js';
import { toTensor, toTensors, type TensorOrLike } from '../../convert.js';
import { run } from '../kernel.js';
import { conv2dBackwardFilterKernel, conv2dBackwardInputKernel, conv2dKernel } from '../conv2d/index.js';
import { avgPool2dBackwardKernel, avgPool2dKernel, maxPool2dBackwardKernel, maxPool2dKernel } from '../pool2d/index.js';
import { batchNormInferenceKernel } from '../batchNorm/index.js';
import { mulKernel } from '../mul.js';
import { scaleKernel } from '../structure/index.js';
import { reduceKernel } from '../reduce/index.js';
import { forward } from '../reduce/forward.js';
import { asBatch, convPadding, likeInput, pair, type Conv2dPad } from './args.js';

export type { Conv2dPad } from './args.js';

/**
 * tf.conv2d: x [n, h, w, inChannels] (or one image [h, w, inChannels]),
 * filter [fh, fw, inChannels, outChannels]; NHWC only.
 */
export function conv2d(
  x: TensorOrLike, filter: TensorOrLike, strides: number | [number, number], pad: Conv2dPad,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: number | [number, number] = [1, 1],
): Tensor {
  const [xt, wt] = toTensors('conv2d', { x, filter });
  if (dataFormat !== 'NHWC') throw new Error(`conv2d: dataFormat must be 'NHWC' (channels last), got ${JSON.stringify(dataFormat)}`);
  if (wt.rank !== 4) throw new Error(`conv2d: filter must be rank 4, got shape ${shapeToString(wt.shape)}`);
  const s = pair('conv2d', 'strides', strides);
  const d = pair('conv2d', 'dilations', dilations);
  if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) {
    throw new Error(`conv2d: either strides or dilations must be 1, got strides [${s.join(', ')}] and dilations [${d.join(', ')}]`);
  }
  const p: Conv2dParams = { strides: s, padding: convPadding(pad), dilations: d };
  const depth = xt.shape[xt.rank - 1];
  if ((xt.rank === 3 || xt.rank === 4) && depth !== wt.shape[2]) {
    throw new Error(`conv2d: depth of input (${depth}) must match the filter's input depth (${wt.shape[2]}); shapes ${shapeToString(xt.shape)} and ${shapeToString(wt.shape)}`);
  }
  const y = forward(() => likeInput(run(conv2dKernel, asBatch('conv2d', xt), wt, null, p, 'linear'), xt));
  recordGradient('conv2d', [xt, wt], y, (dy) => {
    const [x4, dy4] = [asBatch('conv2d', xt), asBatch('conv2d', dy)];
    const dx = run(conv2dBackwardInputKernel, dy4, wt, x4.shape, p);
    return [dx.reshape(xt.shape), run(conv2dBackwardFilterKernel, x4, dy4, wt.shape, p)];
  });
  return y;
}

function poolParams(op: string, filterSize: number | [number, number], strides: number | [number, number], pad: 'valid' | 'same' | number): Pool2dParams {
  if (pad !== 'valid' && pad !== 'same') {
    throw new Error(`${op}: pad must be 'valid' or 'same' (numeric pads are not supported), got ${JSON.stringify(pad)}`);
  }
  return { poolSize: pair(op, 'filterSize', filterSize), strides: pair(op, 'strides', strides), padding: pad };
}

/** tf.maxPool over NHWC windows; the gradient goes to each window's first maximum. */
export function maxPool(x: TensorOrLike, filterSize: number | [number, number], strides: number | [number, number], pad: 'valid' | 'same' | number): Tensor {
  const xt = toTensor(x, 'maxPool', 'x');
  const p = poolParams('maxPool', filterSize, strides, pad);
  const y = forward(() => likeInput(run(maxPool2dKernel, asBatch('maxPool', xt), p), xt));
  recordGradient('maxPool', [xt], y, (dy) => [run(maxPool2dBackwardKernel, asBatch('maxPool', dy), asBatch('maxPool', xt), p).reshape(xt.shape)]);
  return y;
}

/** tf.avgPool over NHWC windows ('same' divides by the real pixels in each window, as TF.js). */
export function avgPool(x: TensorOrLike, filterSize: number | [number, number], strides: number | [number, number], pad: 'valid' | 'same' | number): Tensor {
  const xt = toTensor(x, 'avgPool', 'x');
  const p = poolParams('avgPool', filterSize, strides, pad);
  const y = forward(() => likeInput(run(avgPool2dKernel, asBatch('avgPool', xt), p), xt));
  recordGradient('avgPool', [xt], y, (dy) => [run(avgPool2dBackwardKernel, asBatch('avgPool', dy), asBatch('avgPool', xt).shape, p).reshape(xt.shape)]);
  return y;
}

/** A shape without its leading 1s. */
function withoutLeadingOnes(shape: readonly number[]): readonly number[] {
  const first = shape.findIndex((d) => d !== 1);
  return first === -1 ? [] : shape.slice(first);
}

/** The size of the parameters' common shape (leading 1s aside), which must be x's trailing dimensions. */
function paramWidth(x: Tensor, params: Readonly<Record<string, Tensor>>): number {
  const trimmed = withoutLeadingOnes;
  const entries = Object.entries(params);
  const shape = trimmed(entries[0][1].shape);
  for (const [name, t] of entries) {
    const own = trimmed(t.shape);
    if (own.length !== shape.length || own.some((d, i) => d !== shape[i])) {
      throw new Error(`batchNorm: mean, variance, offset and scale must have one shape, got ${entries[0][0]} ${shapeToString(entries[0][1].shape)} and ${name} ${shapeToString(t.shape)}`);
    }
  }
  const tail = x.shape.slice(x.rank - shape.length);
  if (shape.length > x.rank || tail.some((d, i) => d !== shape[i])) {
    throw new Error(`batchNorm: the parameters' shape ${shapeToString(entries[0][1].shape)} must match x's last dimensions, x has shape ${shapeToString(x.shape)}`);
  }
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * tf.batchNorm: (x - mean) / sqrt(variance + varianceEpsilon) * scale + offset,
 * the parameters broadcast over x's leading axes (shape [c], or x's trailing
 * dimensions, leading 1s allowed).
 */
export function batchNorm(
  x: TensorOrLike, mean: TensorOrLike, variance: TensorOrLike, offset?: TensorOrLike, scale?: TensorOrLike, varianceEpsilon = 0.001,
): Tensor {
  const given: Record<string, TensorOrLike> = { x, mean, variance };
  if (offset !== undefined && offset !== null) given.offset = offset;
  if (scale !== undefined && scale !== null) given.scale = scale;
  const converted = toTensors('batchNorm', given);
  const t: Record<string, Tensor> = Object.fromEntries(Object.keys(given).map((k, i) => [k, converted[i]]));
  const xt = t.x;
  if (!(Number.isFinite(varianceEpsilon) && varianceEpsilon >= 0)) throw new Error(`batchNorm: varianceEpsilon must be a finite number >= 0, got ${varianceEpsilon}`);
  const c = paramWidth(xt, Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'x')));
  const rows = c === 0 ? 0 : xt.size / c;
  const filled = (v: number) => xt.backend.fromValues(new Float32Array(c).fill(v), [c]);
  const flat = (p: Tensor | undefined, fill: number) => (p ? p.reshape([c]) : filled(fill));
  const eps = varianceEpsilon;
  // x as [rows, c] and each parameter as [c], a missing offset 0 and scale 1.
  const operands = () => ({ x2: xt.reshape([rows, c]), m: flat(t.mean, 0), v: flat(t.variance, 1), o: flat(t.offset, 0), s: flat(t.scale, 1) });
  const y = forward(() => {
    const { x2, m, v, o, s } = operands();
    return run(batchNormInferenceKernel, x2, s, o, m, v, eps).reshape(xt.shape);
  });
  const inputs = [xt, t.mean, t.variance, ...(t.offset ? [t.offset] : []), ...(t.scale ? [t.scale] : [])];
  recordGradient('batchNorm', inputs, y, (dy) => {
    const { x2, m, v, s } = operands();
    const [zeros, ones] = [filled(0), filled(1)];
    const dy2 = dy.reshape([rows, c]);
    const perChannel = (g: Tensor) => run(reduceKernel, g, [0], 'sum');
    // dx = dy * scale / sqrt(variance + eps); the others are per-channel sums.
    const dx = run(batchNormInferenceKernel, dy2, s, zeros, zeros, v, eps);
    const xhat = run(batchNormInferenceKernel, x2, ones, zeros, m, v, eps);
    const dMean = run(scaleKernel, perChannel(dx), -1);
    // d/dvariance: -0.5 * sum(dx * xhat) / sqrt(variance + eps).
    const dxXhat = perChannel(run(mulKernel, dx, xhat)).reshape([1, c]);
    const dVariance = run(scaleKernel, run(batchNormInferenceKernel, dxXhat, ones, zeros, zeros, v, eps), -0.5);
    const grads = [dx.reshape(xt.shape), dMean.reshape(t.mean.shape), dVariance.reshape(t.variance.shape)];
    if (t.offset) grads.push(perChannel(dy2).reshape(t.offset.shape));
    if (t.scale) grads.push(perChannel(run(mulKernel, dy2, xhat)).reshape(t.scale.shape));
    return grads;
  });
  return y;
}
