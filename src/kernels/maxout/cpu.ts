// Maxout as TensorFlow Addons' Maxout(num_units, axis) computes it: the axis
// (C channels) is reshaped to [C / numUnits, numUnits] and the first of those
// reduced by max, so unit u is the maximum of channels u, u + numUnits,
// u + 2 numUnits, ... The backward routes dy to the first maximum.

import type { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import { maxoutLayout, type MaxoutLayout } from './layout.js';

/** Index into x of the first maximum of unit u at (o, i). */
function argmax(xv: Float32Array, l: MaxoutLayout, o: number, u: number, i: number): number {
  let best = (o * l.c + u) * l.inner + i;
  for (let j = 1; j < l.group; j++) {
    const at = (o * l.c + j * l.units + u) * l.inner + i;
    if (xv[at] > xv[best]) best = at;
  }
  return best;
}

export function maxout(x: Tensor, numUnits: number, axis: number): Tensor {
  const l = maxoutLayout(x.shape, numUnits, axis);
  const xv = vals(x);
  const y = new Float32Array(l.outer * l.units * l.inner);
  let at = 0;
  for (let o = 0; o < l.outer; o++)
    for (let u = 0; u < l.units; u++)
      for (let i = 0; i < l.inner; i++) y[at++] = xv[argmax(xv, l, o, u, i)];
  return cpuTensor(y, l.outShape);
}

export function maxoutBackward(dy: Tensor, x: Tensor, numUnits: number, axis: number): Tensor {
  const l = maxoutLayout(x.shape, numUnits, axis);
  const xv = vals(x);
  const dv = vals(dy);
  const dx = new Float32Array(x.size);
  let at = 0;
  for (let o = 0; o < l.outer; o++)
    for (let u = 0; u < l.units; u++)
      for (let i = 0; i < l.inner; i++) dx[argmax(xv, l, o, u, i)] += dv[at++];
  return cpuTensor(dx, x.shape);
}
