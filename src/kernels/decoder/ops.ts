// tf.conv2dTranspose in TF.js's signature, differentiable: the transposed
// convolution is the input gradient of the convolution whose output shape
// is x's, so it runs the convolution's own kernels.

import type { Conv2dParams, ExplicitPadding, Padding } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { recordGradient } from '../../autodiff/tape.js';
import { toTensors, type TensorOrLike } from '../../convert.js';
import { run } from '../kernel.js';
import { convOutputShape } from '../shapeChecks.js';
import { conv2dBackwardFilterKernel, conv2dBackwardInputKernel, conv2dKernel } from '../conv2d/index.js';
import { forward } from '../reduce/forward.js';

/** TF.js's pad argument: a mode, one size for every side, or [[0, 0], [top, bottom], [left, right], [0, 0]]. */
export type Conv2dTransposePad = 'valid' | 'same' | number | readonly (readonly [number, number])[];

const OP = 'conv2dTranspose';

function stridePair(v: number | readonly number[]): [number, number] {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) ? [...v] : [];
  if (p.length !== 2 || p.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${OP}: strides must be a positive integer or two of them, got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1]];
}

function padding(pad: Conv2dTransposePad): Padding {
  if (pad === 'valid' || pad === 'same') return pad;
  if (typeof pad === 'number') {
    if (!Number.isInteger(pad) || pad < 0) throw new Error(`${OP}: pad must be a non-negative integer, got ${pad}`);
    return [[pad, pad], [pad, pad]];
  }
  const ok = Array.isArray(pad) && pad.length === 4 && pad.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))
    && pad[0][0] === 0 && pad[0][1] === 0 && pad[3][0] === 0 && pad[3][1] === 0;
  if (!ok) {
    throw new Error(`${OP}: pad must be 'valid', 'same', a non-negative integer or [[0, 0], [top, bottom], [left, right], [0, 0]], got ${JSON.stringify(pad)}`);
  }
  return [[pad[1][0], pad[1][1]], [pad[2][0], pad[2][1]]] as ExplicitPadding;
}

/**
 * tf.conv2dTranspose: x [n, h, w, inDepth] (or one image [h, w, inDepth]),
 * filter [fh, fw, outDepth, inDepth], outputShape [n, oh, ow, outDepth] (or
 * [oh, ow, outDepth]). The result is the gradient, with respect to an input
 * of outputShape, of conv2d(input, filter, strides, pad) at dy = x; so x's
 * height and width must be what that conv2d would output (TF.js does not check
 * this; webcnn refuses a mismatch).
 */
export function conv2dTranspose(
  x: TensorOrLike, filter: TensorOrLike, outputShape: readonly number[], strides: number | readonly number[], pad: Conv2dTransposePad,
): Tensor {
  const [xt, wt] = toTensors(OP, { x, filter });
  if (xt.rank !== 3 && xt.rank !== 4) throw new Error(`${OP}: x must be rank 4 (or 3 for one image), got shape ${shapeToString(xt.shape)}`);
  if (wt.rank !== 4) throw new Error(`${OP}: filter must be rank 4 [fh, fw, outDepth, inDepth], got shape ${shapeToString(wt.shape)}`);
  if (!Array.isArray(outputShape) || outputShape.length !== xt.rank || outputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${OP}: outputShape must be ${xt.rank} positive integers (the rank of x), got ${JSON.stringify(outputShape)}`);
  }
  const one = xt.rank === 3;
  const x4shape = one ? [1, ...xt.shape] : [...xt.shape];
  const out4 = one ? [1, ...outputShape] : [...outputShape];
  if (out4[0] !== x4shape[0]) throw new Error(`${OP}: outputShape's batch (${out4[0]}) must be x's (${x4shape[0]})`);
  if (x4shape[3] !== wt.shape[3]) {
    throw new Error(`${OP}: depth of input (${x4shape[3]}) must match the filter's in depth (filter.shape[3] = ${wt.shape[3]}); shapes ${shapeToString(xt.shape)} and ${shapeToString(wt.shape)}`);
  }
  if (out4[3] !== wt.shape[2]) {
    throw new Error(`${OP}: outputShape's depth (${out4[3]}) must match the filter's out depth (filter.shape[2] = ${wt.shape[2]})`);
  }
  const p: Conv2dParams = { strides: stridePair(strides), padding: padding(pad), dilations: [1, 1] };
  const expected = convOutputShape(OP, out4, wt.shape, p);
  if (expected[1] !== x4shape[1] || expected[2] !== x4shape[2]) {
    throw new Error(`${OP}: x ${shapeToString(xt.shape)} does not fit outputShape ${shapeToString(outputShape)}: a conv2d of that shape with this filter, strides and pad outputs ${shapeToString(expected)}`);
  }
  const y = forward(() => {
    const y4 = run(conv2dBackwardInputKernel, one ? xt.reshape(x4shape) : xt, wt, out4, p);
    return one ? y4.reshape(outputShape) : y4;
  });
  recordGradient(OP, [xt, wt], y, (dy) => {
    const dy4 = one ? dy.reshape(out4) : dy;
    const xb = one ? xt.reshape(x4shape) : xt;
    const dx = run(conv2dKernel, dy4, wt, null, p, 'linear');
    return [one ? dx.reshape(xt.shape) : dx, run(conv2dBackwardFilterKernel, dy4, xb, wt.shape, p)];
  });
  return y;
}
