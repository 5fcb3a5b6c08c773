// CPU references of the reductions and their backward: plain loops over the
// layout's output elements and, for each, the elements folded into it.

import type { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import { groupOffset, reduceLayout } from './layout.js';
import { aroundAxis, reducedShape, type ReduceBackwardOp, type ReduceOp } from './shape.js';

/** The value of one output element: x's elements at base + the reduced offsets, folded by op. */
function foldRow(xv: Float32Array, base: number, offsets: readonly number[], op: ReduceOp): number {
  const n = offsets.length;
  const at = (r: number) => xv[base + offsets[r]];
  switch (op) {
    case 'sum':
    case 'mean': {
      let s = 0;
      for (let r = 0; r < n; r++) s += at(r);
      return op === 'mean' ? s / n : s;
    }
    case 'prod': {
      let s = 1;
      for (let r = 0; r < n; r++) s *= at(r);
      return s;
    }
    case 'max':
    case 'min': {
      let m = op === 'max' ? -Infinity : Infinity;
      for (let r = 0; r < n; r++) m = op === 'max' ? Math.max(m, at(r)) : Math.min(m, at(r));
      return m;
    }
    case 'argMax':
    case 'argMin': {
      // The first index of the extreme value: a later one must be strictly better.
      let best = 0;
      for (let r = 1; r < n; r++) {
        if (op === 'argMax' ? at(r) > at(best) : at(r) < at(best)) best = r;
      }
      return best;
    }
    case 'logSumExp': {
      let m = -Infinity;
      for (let r = 0; r < n; r++) m = Math.max(m, at(r));
      let s = 0;
      for (let r = 0; r < n; r++) s += Math.exp(at(r) - m);
      return m + Math.log(s);
    }
  }
}

/** The reduced offsets of a layout, listed once. */
function reducedOffsets(x: Tensor, axes: readonly number[]) {
  const layout = reduceLayout(x.shape, axes);
  const offsets = Array.from({ length: layout.redSize }, (_, r) => groupOffset(layout.reduced, r));
  return { layout, offsets };
}

export function reduce(x: Tensor, axes: readonly number[], op: ReduceOp): Tensor {
  const xv = vals(x);
  const { layout, offsets } = reducedOffsets(x, axes);
  const y = new Float32Array(layout.outSize);
  for (let o = 0; o < layout.outSize; o++) y[o] = foldRow(xv, groupOffset(layout.kept, o), offsets, op);
  return cpuTensor(y, reducedShape(x.shape, axes));
}

export function reduceBackward(dy: Tensor, x: Tensor, y: Tensor, axes: readonly number[], op: ReduceBackwardOp): Tensor {
  const [dyv, xv, yv] = [vals(dy), vals(x), vals(y)];
  const { layout, offsets } = reducedOffsets(x, axes);
  const dx = new Float32Array(x.size);
  for (let o = 0; o < layout.outSize; o++) {
    const base = groupOffset(layout.kept, o);
    for (let r = 0; r < layout.redSize; r++) {
      const at = base + offsets[r];
      const g = dyv[o];
      switch (op) {
        case 'sum': dx[at] = g; break;
        case 'mean': dx[at] = g / layout.redSize; break;
        case 'max':
        case 'min': dx[at] = xv[at] === yv[o] ? g : 0; break;
        case 'logSumExp': dx[at] = g * Math.exp(xv[at] - yv[o]); break;
        case 'prod': {
          // The product of the others, not y / x: exact where x holds zeros.
          let others = 1;
          for (let k = 0; k < layout.redSize; k++) if (k !== r) others *= xv[base + offsets[k]];
          dx[at] = g * others;
          break;
        }
      }
    }
  }
  return cpuTensor(dx, x.shape);
}

export function softmaxAxis(x: Tensor, axis: number, log: boolean): Tensor {
  const xv = vals(x);
  const y = new Float32Array(x.size);
  const { outer, n, inner } = aroundAxis(x.shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => (o * n + k) * inner + i;
      let m = -Infinity;
      for (let k = 0; k < n; k++) m = Math.max(m, xv[at(k)]);
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(xv[at(k)] - m);
      for (let k = 0; k < n; k++) y[at(k)] = log ? xv[at(k)] - m - Math.log(s) : Math.exp(xv[at(k)] - m) / s;
    }
  }
  return cpuTensor(y, x.shape);
}

export function softmaxAxisBackward(dy: Tensor, y: Tensor, axis: number, log: boolean): Tensor {
  const [dyv, yv] = [vals(dy), vals(y)];
  const dx = new Float32Array(y.size);
  const { outer, n, inner } = aroundAxis(y.shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => (o * n + k) * inner + i;
      let s = 0;
      for (let k = 0; k < n; k++) s += log ? dyv[at(k)] : dyv[at(k)] * yv[at(k)];
      for (let k = 0; k < n; k++) dx[at(k)] = log ? dyv[at(k)] - Math.exp(yv[at(k)]) * s : yv[at(k)] * (dyv[at(k)] - s);
    }
  }
  return cpuTensor(dx, y.shape);
}
