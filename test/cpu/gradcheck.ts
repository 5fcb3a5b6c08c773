// Finite-difference check of a backward kernel: L(x) = dot(forward(x), r), so
// dL/dx must equal backward(r). Inputs perturbed in float32, L summed in float64.

import * as wc from '../../src/index.js';
import { dot, expectClose, numericGradient, randomValues } from '../util/check.js';

// Central differences with eps 1e-2 on float32 inputs: O(eps^2) truncation plus
// float32 rounding amplified by 1/(2 eps) leaves about 1e-3 of error.
export const FD = { atol: 3e-3, rtol: 3e-3 };

/**
 * Checks d dot(f(x), r) / dx against grad(r). f builds the output from the
 * probe input's values; grad returns the analytic gradient's values.
 */
export function checkGradient(
  label: string, x: Float32Array, outSize: number,
  f: (x: Float32Array) => Float32Array, grad: (r: Float32Array) => Float32Array, seed = 99,
): void {
  const r = randomValues(outSize, seed);
  const numeric = numericGradient((probe) => dot(f(probe), r), x);
  expectClose(grad(r), numeric, FD, label);
}

export function t(values: Float32Array | number[], shape: number[]): wc.Tensor {
  return wc.tensor(values instanceof Float32Array ? values : Float32Array.from(values), shape);
}
