// Dropout forward and backward, in place of src/kernels/dropout/cpu.ts: the
// same hashed mask (src/kernels/dropout/mask.ts), a pure function of
// (seed, i), so the backward recomputes it and every backend drops the very
// same elements.

import { at } from './lanes';

/** PCG's output permutation, u32 -> u32 with wrapping products and sums. */
@inline function pcgHash(v: u32): u32 {
  const state = v * 747796405 + 2891336453;
  const word = ((state >> ((state >> 28) + 4)) ^ state) * 277803737;
  return (word >> 22) ^ word;
}

/**
 * y = keep ? x * scale : 0 over n elements, where element i is kept when the
 * top 24 bits of its hash are >= threshold (ceil(rate * 2^24): the CPU's
 * draw >= rate in integers); scale is 1 / (1 - rate) rounded to float32.
 */
export function dropout(x: usize, y: usize, n: i32, seed: u32, threshold: u32, scale: f64): void {
  const s = <f32>scale;
  const base = pcgHash(seed);
  for (let i = 0; i < n; i++) {
    const keep = pcgHash(base ^ <u32>i) >> 8 >= threshold;
    store<f32>(at(y, i), keep ? load<f32>(at(x, i)) * s : 0);
  }
}
