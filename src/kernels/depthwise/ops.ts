// tf.depthwiseConv2d and tf.separableConv2d, differentiable: the depthwise
// kernel and its two gradient kernels; separable is depthwise then a 1x1 conv2d.

import type { Conv2dParams } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { recordGradient } from '../../autodiff/tape.js';
import { toTensors, type TensorOrLike } from '../../convert.js';
import { run } from '../kernel.js';
import { forward, composite } from '../reduce/forward.js';
import { asBatch, convPadding, likeInput, pair, type Conv2dPad } from '../nn/args.js';
import { conv2d } from '../nn/ops.js';
import { depthwiseConv2dBackwardFilterKernel, depthwiseConv2dBackwardInputKernel, depthwiseConv2dKernel } from './index.js';

function params(op: string, strides: number | [number, number], pad: Conv2dPad, dataFormat: string, dilations: number | [number, number]): Conv2dParams {
  if (dataFormat !== 'NHWC') throw new Error(`${op}: dataFormat must be 'NHWC' (channels last), got ${JSON.stringify(dataFormat)}`);
  const s = pair(op, 'strides', strides);
  const d = pair(op, 'dilations', dilations);
  if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) {
    throw new Error(`${op}: either strides or dilations must be 1, got strides [${s.join(', ')}] and dilations [${d.join(', ')}]`);
  }
  return { strides: s, padding: convPadding(pad), dilations: d };
}

/**
 * tf.depthwiseConv2d: x [n, h, w, c] (or one image [h, w, c]), filter
 * [fh, fw, c, m]; output channel c·m + q is channel c through filter q.
 */
export function depthwiseConv2d(
  x: TensorOrLike, filter: TensorOrLike, strides: number | [number, number], pad: Conv2dPad,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: number | [number, number] = [1, 1],
): Tensor {
  const [xt, ft] = toTensors('depthwiseConv2d', { x, filter });
  const p = params('depthwiseConv2d', strides, pad, dataFormat, dilations);
  if (ft.rank !== 4) throw new Error(`depthwiseConv2d: filter must be rank 4 ([fh, fw, channels, depthMultiplier]), got shape ${shapeToString(ft.shape)}`);
  const y = forward(() => likeInput(run(depthwiseConv2dKernel, asBatch('depthwiseConv2d', xt), ft, p), xt));
  recordGradient('depthwiseConv2d', [xt, ft], y, (dy) => {
    const [x4, dy4] = [asBatch('depthwiseConv2d', xt), asBatch('depthwiseConv2d', dy)];
    const dx = run(depthwiseConv2dBackwardInputKernel, dy4, ft, x4.shape, p);
    return [dx.reshape(xt.shape), run(depthwiseConv2dBackwardFilterKernel, x4, dy4, ft.shape, p)];
  });
  return y;
}

/**
 * tf.separableConv2d: a depthwise convolution (depthwiseFilter [fh, fw, c, m])
 * then a pointwise one (pointwiseFilter [1, 1, c·m, out]).
 */
export function separableConv2d(
  x: TensorOrLike, depthwiseFilter: TensorOrLike, pointwiseFilter: TensorOrLike, strides: number | [number, number], pad: 'valid' | 'same',
  dilation: number | [number, number] = [1, 1], dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): Tensor {
  const [xt, dt, pt] = toTensors('separableConv2d', { x, depthwiseFilter, pointwiseFilter });
  if (pt.rank !== 4 || pt.shape[0] !== 1 || pt.shape[1] !== 1) {
    throw new Error(`separableConv2d: pointwiseFilter must have shape [1, 1, inChannels·multiplier, outChannels], got ${shapeToString(pt.shape)}`);
  }
  if (dt.rank === 4 && pt.shape[2] !== dt.shape[2] * dt.shape[3]) {
    throw new Error(`separableConv2d: pointwiseFilter's input depth ${pt.shape[2]} must be the depthwise output depth ${dt.shape[2]}·${dt.shape[3]}`);
  }
  return composite(() => conv2d(depthwiseConv2d(xt, dt, strides, pad, dataFormat, dilation), pt, 1, 'valid', dataFormat));
}
