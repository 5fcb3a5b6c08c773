// CPU reference: optimizer steps, in place on the weight w and its slots, with
// TF.js's formulas (tfjs-core/src/optimizers). Each element is computed in
// float64 from float32 inputs and stored back as float32. Each takes an
// optional guard (src/kernels/stepGuard): once it is set the update does nothing.

import type { Tensor } from '../../tensor.js';
import type { AdamParams, MomentumParams, RmspropParams, SgdParams } from '../../backend/types.js';
import { vals } from '../../backend/cpu/storage.js';
import { guardSet } from '../stepGuard/cpu.js';

/** SGDOptimizer: w -= lr * g. */
export function sgdUpdate(w: Tensor, g: Tensor, p: SgdParams, guard: Tensor | null = null): void {
  if (guardSet(guard)) return;
  const wv = vals(w);
  const gv = vals(g);
  for (let i = 0; i < wv.length; i++) wv[i] -= p.learningRate * gv[i];
}

/**
 * MomentumOptimizer: accum = m * accum + g;
 * w -= lr * accum, or with nesterov w -= lr * (g + m * accum) (the new accum).
 */
export function momentumUpdate(w: Tensor, g: Tensor, accum: Tensor, p: MomentumParams, guard: Tensor | null = null): void {
  if (guardSet(guard)) return;
  const wv = vals(w);
  const gv = vals(g);
  const av = vals(accum);
  const m = p.momentum;
  for (let i = 0; i < wv.length; i++) {
    const a = m * av[i] + gv[i];
    av[i] = a;
    wv[i] -= p.learningRate * (p.nesterov ? gv[i] + m * a : a);
  }
}

/**
 * AdamOptimizer, with Keras AdamW's decoupled weight decay applied first:
 *   w -= lr * weightDecay * w
 *   m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g^2
 *   w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + epsilon)
 * TF.js adds epsilon outside the square root of the bias-corrected v.
 */
export function adamUpdate(w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams, guard: Tensor | null = null): void {
  if (guardSet(guard)) return;
  const wv = vals(w);
  const gv = vals(g);
  const mv = vals(m);
  const vv = vals(v);
  const { learningRate: lr, beta1: b1, beta2: b2, epsilon } = p;
  const c1 = 1 - p.beta1Power;
  const c2 = 1 - p.beta2Power;
  for (let i = 0; i < wv.length; i++) {
    const w0 = p.weightDecay !== 0 ? wv[i] - lr * p.weightDecay * wv[i] : wv[i];
    const mi = b1 * mv[i] + (1 - b1) * gv[i];
    const vi = b2 * vv[i] + (1 - b2) * gv[i] * gv[i];
    mv[i] = mi;
    vv[i] = vi;
    wv[i] = w0 - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
}

/**
 * RMSPropOptimizer (decay is rho):
 *   ms = rho * ms + (1 - rho) * g^2
 *   plain:    mom = momentum * mom + lr * g / sqrt(ms + epsilon)
 *   centered: mg = rho * mg + (1 - rho) * g;
 *             mom = momentum * mom + lr * g / sqrt(ms - (mg^2 + epsilon))
 *   w -= mom
 * The centered denominator subtracts epsilon, exactly as TF.js writes
 * newMeanSquare.sub(newMeanGrad.square().add(epsilon)); matching TF.js's
 * weights step for step means keeping that sign.
 */
export function rmspropUpdate(w: Tensor, g: Tensor, ms: Tensor, mom: Tensor, mg: Tensor | null, p: RmspropParams, guard: Tensor | null = null): void {
  if (guardSet(guard)) return;
  const wv = vals(w);
  const gv = vals(g);
  const sv = vals(ms);
  const ov = vals(mom);
  const cv = p.centered && mg ? vals(mg) : null;
  const rho = p.rho;
  for (let i = 0; i < wv.length; i++) {
    const gi = gv[i];
    const si = rho * sv[i] + (1 - rho) * gi * gi;
    sv[i] = si;
    let denom = si + p.epsilon;
    if (cv) {
      const ci = rho * cv[i] + (1 - rho) * gi;
      cv[i] = ci;
      denom = si - (ci * ci + p.epsilon);
    }
    const oi = p.momentum * ov[i] + (p.learningRate * gi) / Math.sqrt(denom);
    ov[i] = oi;
    wv[i] -= oi;
  }
}
