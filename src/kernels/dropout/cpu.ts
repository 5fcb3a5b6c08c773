// CPU reference: inverted dropout with the hashed mask of mask.ts.
// Kept elements are scaled by 1 / (1 - rate) so the expected value of y is x,
// as in TF.js; inference simply skips the op.

import type { Tensor } from '../../tensor.js';
import { dropoutKeeps } from './mask.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';

/**
 * The scale is computed once in float64 and rounded to float32, as the WebGPU
 * binding passes it in a uniform; x * scale rounded to float32 then equals the
 * GPU's f32 product exactly.
 */
function keptScale(rate: number): number {
  return Math.fround(1 / (1 - rate));
}

/** y = keep(seed, i) ? x * scale : 0. */
export function dropout(x: Tensor, rate: number, seed: number): Tensor {
  return masked(vals(x), x.shape, rate, seed);
}

/** dx = keep(seed, i) ? dy * scale : 0. Saved by the forward: nothing, the mask is recomputed from (seed, i). */
export function dropoutBackward(dy: Tensor, rate: number, seed: number): Tensor {
  return masked(vals(dy), dy.shape, rate, seed);
}

function masked(v: Float32Array, shape: readonly number[], rate: number, seed: number): Tensor {
  const scale = keptScale(rate);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = dropoutKeeps(seed, i, rate) ? v[i] * scale : 0;
  return cpuTensor(out, shape);
}
