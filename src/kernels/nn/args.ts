// The arguments TF.js's window ops share (strides, dilations, pads) and the
// rank-3-image convention, read one way for conv2d, the pools and depthwiseConv2d.

import type { ExplicitPadding, Padding } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';

/** TF.js's pad argument of conv2d: a mode, one size for every side, or [[0, 0], [top, bottom], [left, right], [0, 0]]. */
export type Conv2dPad = 'valid' | 'same' | number | readonly (readonly [number, number])[];

export function pair(op: string, what: string, v: number | readonly number[]): [number, number] {
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || p.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${op}: ${what} must be a positive integer or two of them, got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1]];
}

export function convPadding(pad: Conv2dPad): Padding {
  if (pad === 'valid' || pad === 'same') return pad;
  if (typeof pad === 'number') {
    if (!Number.isInteger(pad) || pad < 0) throw new Error(`conv2d: pad must be a non-negative integer, got ${pad}`);
    return [[pad, pad], [pad, pad]];
  }
  const ok = Array.isArray(pad) && pad.length === 4 && pad.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))
    && pad[0][0] === 0 && pad[0][1] === 0 && pad[3][0] === 0 && pad[3][1] === 0;
  if (!ok) {
    throw new Error(`conv2d: pad must be 'valid', 'same', a non-negative integer or [[0, 0], [top, bottom], [left, right], [0, 0]], got ${JSON.stringify(pad)}`);
  }
  return [[pad[1][0], pad[1][1]], [pad[2][0], pad[2][1]]] as ExplicitPadding;
}

/** x as a batch (NHWC): a rank-3 image becomes a batch of one. */
export function asBatch(op: string, x: Tensor): Tensor {
  if (x.rank === 3) return x.reshape([1, ...x.shape]);
  if (x.rank !== 4) throw new Error(`${op}: input must be rank 4 (or 3 for one image), got shape ${shapeToString(x.shape)}`);
  return x;
}

/** y of a batch, shaped back to one image where x was one. */
export function likeInput(y: Tensor, x: Tensor): Tensor {
  return x.rank === 3 ? y.reshape(y.shape.slice(1)) : y;
}

