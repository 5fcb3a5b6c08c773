// Maxout (TensorFlow Addons' Maxout(num_units, axis)): the axis split into
// numUnits units, unit u the maximum of channels u, u + numUnits, ...; with
// its backward, dy to the first maximum.

import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';
import { maxoutLayout } from './layout.js';

export { pipelines } from './webgpu.js';

/** numUnits must divide x's axis (given non-negative). */
export function checkMaxout(name: string, x: Tensor, numUnits: number, axis: number): void {
  if (!(Number.isInteger(axis) && axis >= 0 && axis < x.rank)) {
    throw new Error(`${name}: expected an axis in [0, ${x.rank}) of x ${shapeToString(x.shape)}, got ${axis}`);
  }
  if (!(Number.isInteger(numUnits) && numUnits >= 1)) throw new Error(`${name}: numUnits must be a positive integer, got ${numUnits}`);
  if (x.shape[axis] % numUnits !== 0) {
    throw new Error(`${name}: the number of features (${x.shape[axis]}, axis ${axis} of ${shapeToString(x.shape)}) must be a multiple of numUnits (${numUnits})`);
  }
}

export const maxoutKernel = defineKernel({
  name: 'maxout',
  check(x: Tensor, numUnits: number, axis: number) {
    checkMaxout('maxout', x, numUnits, axis);
  },
  cpu: cpu.maxout,
  webgpu: gpu.maxout,
  wasm: wasm.maxout,
});

export const maxoutBackwardKernel = defineKernel({
  name: 'maxoutBackward',
  check(dy: Tensor, x: Tensor, numUnits: number, axis: number) {
    checkMaxout('maxoutBackward', x, numUnits, axis);
    const out = maxoutLayout(x.shape, numUnits, axis).outShape;
    if (dy.rank !== out.length || dy.shape.some((d, i) => d !== out[i])) {
      throw new Error(`maxoutBackward: expected dy of shape ${shapeToString(out)}, got ${shapeToString(dy.shape)}`);
    }
  },
  cpu: cpu.maxoutBackward,
  webgpu: gpu.maxoutBackward,
  wasm: wasm.maxoutBackward,
});

/** The maximum over each unit's channels (u, u + numUnits, ...) along axis (non-negative). */
export const maxout = op(maxoutKernel);
/** dx of maxout: dy at each unit's first maximum, 0 elsewhere. */
export const maxoutBackward = op(maxoutBackwardKernel);
