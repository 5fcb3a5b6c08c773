// CPU references of the layout kernels: plain loops over output coordinates.

import type { Shape } from '../../backend/types.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import { sizeOf, type Tensor } from '../../tensor.js';
import { readPosition, stridesOf, type CopyPlan } from './plan.js';
import { gatherDims } from './gatherDims.js';

/** The coordinates of flat index i in shape (row-major), written into coord. */
function unravel(i: number, shape: Shape, coord: number[]): void {
  let rem = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    coord[d] = rem % shape[d];
    rem = Math.floor(rem / shape[d]);
  }
}

export function stridedCopy(x: Tensor, plan: CopyPlan): Tensor {
  const xv = vals(x);
  const inStrides = stridesOf(x.shape);
  const y = new Float32Array(sizeOf(plan.shape));
  const coord = new Array<number>(plan.shape.length).fill(0);
  for (let o = 0; o < y.length; o++) {
    unravel(o, plan.shape, coord);
    let at = 0;
    let inside = true;
    plan.axes.forEach((a, d) => {
      const i = readPosition(a, coord[d]);
      if (i < 0 || i >= x.shape[a.from]) inside = false;
      at += i * inStrides[a.from];
    });
    y[o] = inside ? xv[at] : plan.fill;
  }
  return cpuTensor(y, plan.shape);
}

export function concatAxis(xs: readonly Tensor[], axis: number): Tensor {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((s, t) => s + t.shape[axis], 0);
  const outStrides = stridesOf(shape);
  const y = new Float32Array(sizeOf(shape));
  const coord = new Array<number>(shape.length).fill(0);
  let offset = 0;
  for (const t of xs) {
    const tv = vals(t);
    for (let i = 0; i < tv.length; i++) {
      unravel(i, t.shape, coord);
      coord[axis] += offset;
      y[coord.reduce((at, c, d) => at + c * outStrides[d], 0)] = tv[i];
    }
    offset += t.shape[axis];
  }
  return cpuTensor(y, shape);
}

export function tileSum(dy: Tensor, xShape: Shape): Tensor {
  const dyv = vals(dy);
  const dx = new Float32Array(sizeOf(xShape));
  const coord = new Array<number>(dy.rank).fill(0);
  for (let i = 0; i < dyv.length; i++) {
    unravel(i, dy.shape, coord);
    let at = 0;
    for (let d = 0; d < xShape.length; d++) at = at * xShape[d] + (coord[d] % xShape[d]);
    dx[at] += dyv[i];
  }
  return cpuTensor(dx, xShape);
}

/** An index as the kernels read it: indices are stored as floats; truncated as TF.js's int32 conversion does. */
function indexAt(values: Float32Array, i: number): number {
  return Math.trunc(values[i]);
}

export function gatherAxis(x: Tensor, indices: Tensor, axis: number, batchDims: number): Tensor {
  const { batch, outer, dim, inner, count, shape } = gatherDims(x.shape, indices.shape, axis, batchDims);
  const xv = vals(x);
  const iv = vals(indices);
  for (let i = 0; i < iv.length; i++) {
    const index = indexAt(iv, i);
    if (!(index >= 0 && index < dim)) throw new Error(`gather: the index value ${iv[i]} is not in [0, ${dim - 1}]`);
  }
  const y = new Float32Array(sizeOf(shape));
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let q = 0; q < outer; q++) {
      for (let k = 0; k < count; k++) {
        const row = ((b * outer + q) * dim + indexAt(iv, b * count + k)) * inner;
        for (let s = 0; s < inner; s++) y[o++] = xv[row + s];
      }
    }
  }
  return cpuTensor(y, shape);
}

export function gatherAxisBackward(dy: Tensor, indices: Tensor, xShape: Shape, axis: number, batchDims: number): Tensor {
  const { batch, outer, dim, inner, count } = gatherDims(xShape, indices.shape, axis, batchDims);
  const dyv = vals(dy);
  const iv = vals(indices);
  const dx = new Float32Array(sizeOf(xShape));
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let q = 0; q < outer; q++) {
      for (let k = 0; k < count; k++) {
        const j = indexAt(iv, b * count + k);
        const row = ((b * outer + q) * dim + j) * inner;
        for (let s = 0; s < inner; s++, o++) if (j >= 0 && j < dim) dx[row + s] += dyv[o];
      }
    }
  }
  return cpuTensor(dx, xShape);
}

export function oneHotRows(indices: Tensor, depth: number, on: number, off: number): Tensor {
  const iv = vals(indices);
  const y = new Float32Array(iv.length * depth).fill(off);
  for (let m = 0; m < iv.length; m++) {
    const j = indexAt(iv, m);
    if (j >= 0 && j < depth) y[m * depth + j] = on;
  }
  return cpuTensor(y, [...indices.shape, depth]);
}
