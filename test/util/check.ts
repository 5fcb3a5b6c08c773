// Test helpers: a seeded RNG, closeness with a stated tolerance, and central
// finite differences for gradient checks.

import { expect } from 'vitest';
import { seededRandom } from '../../src/layers/initializers.js';

/** The library's seeded generator (mulberry32), to draw test inputs. */
export const rng = seededRandom;

export function randomValues(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

export interface Tolerance { atol: number; rtol: number }

/** Asserts |actual - expected| <= atol + rtol * |expected| everywhere, naming the worst element. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, label = ''): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const excess = Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${label}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (atol ${tol.atol}, rtol ${tol.rtol})`);
  }
}

/**
 * d f / d x by central differences, f evaluated in float64 on a float32 input.
 * eps 1e-2 keeps float32 rounding in f (~1e-7 relative) well below the
 * O(eps^2) truncation error for the smooth functions we check.
 */
export function numericGradient(f: (x: Float32Array) => number, x: Float32Array, eps = 1e-2): Float64Array {
  const g = new Float64Array(x.length);
  const probe = Float32Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const orig = probe[i];
    probe[i] = orig + eps;
    const up = f(probe);
    probe[i] = orig - eps;
    const down = f(probe);
    probe[i] = orig;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}

/** sum(y * r) in float64: the scalar whose gradient with respect to y is r. */
export function dot(y: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] * r[i];
  return s;
}
