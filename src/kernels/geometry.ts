// Output sizes and padding for sliding windows (convolution, pooling,
// locally-connected), computed one way for both backends and the layers.

import type { ExplicitPadding, Padding, Shape } from '../backend/types.js';
import { shapeToString } from '../tensor.js';

export interface WindowGeometry {
  n: number; h: number; w: number; c: number;
  kh: number; kw: number;
  sh: number; sw: number;
  dh: number; dw: number;
  oh: number; ow: number;
  /** Top and left padding; the bottom/right padding is implied by oh/ow. */
  padTop: number; padLeft: number;
  padBottom: number; padRight: number;
}

/** Dilated kernel extent: k + (k - 1) * (d - 1). */
export function effectiveKernel(k: number, d: number): number {
  return k + (k - 1) * (d - 1);
}

/**
 * One spatial axis. 'valid' floors as TensorFlow does: W=10, F=3, S=2 gives
 * floor((10 - 3) / 2) + 1 = 4, and the last input column is never read.
 * 'same' is TensorFlow's rule: out = ceil(in / stride) and the odd pixel of
 * padding goes to the bottom/right.
 */
export function axisGeometry(
  op: string, axis: string, size: number, k: number, stride: number, dilation: number,
  padding: 'valid' | 'same' | readonly [number, number],
): { out: number; before: number; after: number } {
  const ek = effectiveKernel(k, dilation);
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + ek - size, 0);
    const before = Math.floor(total / 2);
    return { out, before, after: total - before };
  }
  const [before, after] = padding === 'valid' ? [0, 0] : padding;
  const padded = size + before + after;
  if (ek > padded) {
    throw new Error(`${op}: the ${axis} kernel extent ${ek} (kernel ${k}, dilation ${dilation}) is larger than the padded input ${padded} (input ${size}, padding ${before}+${after})`);
  }
  return { out: Math.floor((padded - ek) / stride) + 1, before, after };
}

function checkPositive(op: string, what: string, values: readonly number[]): void {
  if (values.length !== 2 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(`${op}: ${what} must be two positive integers, got [${values.join(', ')}]`);
  }
}

function checkPadding(op: string, padding: Padding): void {
  if (padding === 'valid' || padding === 'same') return;
  const ok = Array.isArray(padding) && padding.length === 2 &&
    padding.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!ok) throw new Error(`${op}: padding must be 'valid', 'same' or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(padding)}`);
}

/** Validates an NHWC input and a window, and returns every size the kernels need. */
export function windowGeometry(
  op: string, xShape: Shape, kernel: readonly [number, number], strides: readonly [number, number],
  dilations: readonly [number, number], padding: Padding,
): WindowGeometry {
  if (xShape.length !== 4 || xShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${op}: expected an input of shape [n, h, w, c] with positive sizes, got ${shapeToString(xShape)}`);
  }
  checkPositive(op, 'kernel size', kernel);
  checkPositive(op, 'strides', strides);
  checkPositive(op, 'dilations', dilations);
  checkPadding(op, padding);
  const [n, h, w, c] = xShape;
  const [kh, kw] = kernel;
  const [sh, sw] = strides;
  const [dh, dw] = dilations;
  const padH = padding === 'valid' || padding === 'same' ? padding : padding[0];
  const padW = padding === 'valid' || padding === 'same' ? padding : padding[1];
  const rows = axisGeometry(op, 'height', h, kh, sh, dh, padH);
  const cols = axisGeometry(op, 'width', w, kw, sw, dw, padW);
  return {
    n, h, w, c, kh, kw, sh, sw, dh, dw,
    oh: rows.out, ow: cols.out,
    padTop: rows.before, padBottom: rows.after,
    padLeft: cols.before, padRight: cols.after,
  };
}

/** A 1x1, stride-1, unpadded conv: x itself is its column matrix. */
export function isPointwise(g: WindowGeometry): boolean {
  return g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.padTop === 0 && g.padLeft === 0 && g.padBottom === 0 && g.padRight === 0;
}

export function explicitPadding(g: WindowGeometry): ExplicitPadding {
  return [[g.padTop, g.padBottom], [g.padLeft, g.padRight]];
}
