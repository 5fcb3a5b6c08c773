// The dropout mask as a pure function of (seed, element index), shared by the
// CPU kernel and mirrored line for line by the WGSL kernel, so both backends
// drop the very same elements and the backward recomputes the mask instead of
// storing it. The hash is PCG's output permutation (Jarzynski and Olano, "Hash
// Functions for GPU Rendering"): cheap in u32 arithmetic, which WGSL has, and
// good enough that neighbouring indices look independent.

/** pcg_hash: u32 -> u32, with every product and sum taken mod 2^32 (Math.imul, >>> 0). */
export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/**
 * A uniform draw in [0, 1) for element i under the given seed. The top 24 bits
 * of the hash are kept so that the division is exact in float32 as well, and
 * the comparison with the rate gives the same answer in WGSL.
 */
export function dropoutUniform(seed: number, i: number): number {
  return (pcgHash((pcgHash(seed >>> 0) ^ i) >>> 0) >>> 8) / 16777216;
}

/** Element i survives when its draw is at least the rate (rate 0 keeps everything). */
export function dropoutKeeps(seed: number, i: number, rate: number): boolean {
  return dropoutUniform(seed, i) >= rate;
}
