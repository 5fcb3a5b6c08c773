// Dropout: keep element i when hash(seed, i) >= rate, scale kept values by
// 1 / (1 - rate). The mask is a pure function of (seed, i), so the backward
// recomputes it and both backends draw the very same mask (mask.ts).

import type { Tensor } from '../../tensor.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

/** The checks of dropout and its backward: a rate in [0, 1) and an integer seed. */
const dropoutCheck = (name: string) => (_x: Tensor, rate: number, seed: number): void => {
  if (!(rate >= 0 && rate < 1)) throw new Error(`${name}: expected rate in [0, 1), got ${rate}`);
  if (!Number.isInteger(seed)) throw new Error(`${name}: expected an integer seed, got ${seed}`);
};

export const dropoutKernel = defineKernel({ name: 'dropout', check: dropoutCheck('dropout'), cpu: cpu.dropout, webgpu: gpu.dropout, wasm: wasm.dropout });

export const dropoutBackwardKernel = defineKernel({
  name: 'dropoutBackward', check: dropoutCheck('dropoutBackward'), cpu: cpu.dropoutBackward, webgpu: gpu.dropoutBackward, wasm: wasm.dropoutBackward,
});

/** Keeps element i when its hashed draw for (seed, i) is >= rate; kept values are scaled by 1 / (1 - rate). */
export const dropout = op(dropoutKernel);
export const dropoutBackward = op(dropoutBackwardKernel);
