// The one GPU-vs-CPU tolerance, used by verification mode and the parity tests:
// |gpu - cpu| <= atol + rtol * |cpu|. float32 kernels that sum in another
// order than the CPU loops differ by a few ulps per term; sums of up to a few
// thousand terms stay well inside 1e-3 relative, and atol covers results near
// zero where the relative bound vanishes.
export const TOLERANCE = { atol: 1e-4, rtol: 1e-3 } as const;

/**
 * The index of the element that exceeds the tolerance most, or -1. A NaN on
 * one side only is the worst possible element; equal values (the same
 * infinity, or NaN on both sides) agree.
 */
export function worstMismatch(gpu: ArrayLike<number>, cpu: ArrayLike<number>): number {
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < cpu.length; i++) {
    const g = gpu[i];
    const c = cpu[i];
    if (g === c || (Number.isNaN(g) && Number.isNaN(c))) continue;
    const excess = Math.abs(g - c) - (TOLERANCE.atol + TOLERANCE.rtol * Math.abs(c));
    if (Number.isNaN(excess)) return i;
    if (excess > 0 && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  return worst;
}
