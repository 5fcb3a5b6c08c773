// The window of a depthwise convolution: conv2d's geometry, with the filter's
// depth multiplier; x [n, h, w, c], filter [kh, kw, c, m], y [n, oh, ow, c·m].

import type { Conv2dParams, Shape } from '../../backend/types.js';
import { windowGeometry, type WindowGeometry } from '../geometry.js';
import { shapeToString } from '../../tensor.js';

export interface DepthwiseGeometry extends WindowGeometry {
  /** Filters per input channel (depthMultiplier). */
  m: number;
}

export function depthwiseGeometry(op: string, xShape: Shape, fShape: Shape, p: Conv2dParams): DepthwiseGeometry {
  if (fShape.length !== 4) throw new Error(`${op}: expected a filter of shape [kh, kw, channels, depthMultiplier], got ${shapeToString(fShape)}`);
  if (xShape.length === 4 && fShape[2] !== xShape[3]) {
    throw new Error(`${op}: the filter has ${fShape[2]} input channels (its third axis) but x has ${xShape[3]}: shapes ${shapeToString(xShape)} and ${shapeToString(fShape)}`);
  }
  if (!Number.isInteger(fShape[3]) || fShape[3] < 1) throw new Error(`${op}: the depth multiplier (the filter's last axis) must be positive, got ${shapeToString(fShape)}`);
  const g = windowGeometry(op, xShape, [fShape[0], fShape[1]], p.strides, p.dilations, p.padding);
  return { ...g, m: fShape[3] };
}
