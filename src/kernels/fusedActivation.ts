// The codes a kernel's epilogue reads for its fused activation (the `relu` or
// `act` uniform; shaders/lib/fusedActivation.wgsl), and the same map on the CPU.

import type { FusedActivation } from '../backend/types.js';

const CODES: Record<FusedActivation, number> = { linear: 0, relu: 1, relu6: 2 };

export const activationCode = (a: FusedActivation): number => CODES[a];

/** In place: the fused activation of every value. */
export function applyFused(y: Float32Array, a: FusedActivation): Float32Array {
  if (a === 'relu') for (let i = 0; i < y.length; i++) y[i] = Math.max(y[i], 0);
  if (a === 'relu6') for (let i = 0; i < y.length; i++) y[i] = Math.min(Math.max(y[i], 0), 6);
  return y;
}
