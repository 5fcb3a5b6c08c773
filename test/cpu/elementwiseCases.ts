// The element-wise ops as data, shared by the CPU, TF.js and GPU tests: each
// op's name (wc[name] and tf[name]), its extra scalar arguments and inputs
// drawn away from its kinks (finite differences straddling a kink are wrong).

import { randomValues } from '../util/check.js';

export interface UnaryCase { name: string; extra: number[]; lo: number; hi: number; kinks: number[] }
export interface BinaryCase { name: string; extra: number[]; aLo: number; aHi: number; bLo: number; bHi: number; kinks: number[]; apart?: true }

export const UNARY_CASES: UnaryCase[] = [
  { name: 'neg', extra: [], lo: -2, hi: 2, kinks: [] },
  { name: 'abs', extra: [], lo: -2, hi: 2, kinks: [0] },
  { name: 'exp', extra: [], lo: -3, hi: 3, kinks: [] },
  { name: 'log', extra: [], lo: 0.2, hi: 4, kinks: [] },
  { name: 'log1p', extra: [], lo: -0.7, hi: 3, kinks: [] },
  { name: 'sqrt', extra: [], lo: 0.2, hi: 4, kinks: [] },
  { name: 'rsqrt', extra: [], lo: 0.3, hi: 4, kinks: [] },
  { name: 'square', extra: [], lo: -2, hi: 2, kinks: [] },
  { name: 'reciprocal', extra: [], lo: 0.3, hi: 3, kinks: [] },
  { name: 'sign', extra: [], lo: -2, hi: 2, kinks: [0] },
  { name: 'relu', extra: [], lo: -2, hi: 2, kinks: [0] },
  { name: 'relu6', extra: [], lo: -2, hi: 8, kinks: [0, 6] },
  { name: 'sigmoid', extra: [], lo: -6, hi: 6, kinks: [] },
  { name: 'tanh', extra: [], lo: -3, hi: 3, kinks: [] },
  { name: 'softplus', extra: [], lo: -6, hi: 6, kinks: [] },
  { name: 'elu', extra: [], lo: -3, hi: 2, kinks: [0] },
  { name: 'selu', extra: [], lo: -3, hi: 2, kinks: [0] },
  { name: 'leakyRelu', extra: [0.3], lo: -2, hi: 2, kinks: [0] },
  { name: 'clipByValue', extra: [-0.5, 0.7], lo: -2, hi: 2, kinks: [-0.5, 0.7] },
];

export const BINARY_CASES: BinaryCase[] = [
  { name: 'add', extra: [], aLo: -2, aHi: 2, bLo: -2, bHi: 2, kinks: [] },
  { name: 'sub', extra: [], aLo: -2, aHi: 2, bLo: -2, bHi: 2, kinks: [] },
  { name: 'mul', extra: [], aLo: -2, aHi: 2, bLo: -2, bHi: 2, kinks: [] },
  { name: 'div', extra: [], aLo: -2, aHi: 2, bLo: 0.5, bHi: 2, kinks: [] },
  { name: 'maximum', extra: [], aLo: -2, aHi: 2, bLo: -2, bHi: 2, kinks: [], apart: true },
  { name: 'minimum', extra: [], aLo: -2, aHi: 2, bLo: -2, bHi: 2, kinks: [], apart: true },
  { name: 'pow', extra: [], aLo: 0.5, aHi: 2, bLo: -2, bHi: 3, kinks: [] },
  { name: 'squaredDifference', extra: [], aLo: -2, aHi: 2, bLo: -2, bHi: 2, kinks: [] },
  { name: 'prelu', extra: [], aLo: -2, aHi: 2, bLo: 0.1, bHi: 0.5, kinks: [0] },
];

export const COMPARISONS = ['greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual', 'logicalAnd'];

/** Shape pairs that broadcast: same shape, trailing axes, a stretched 1, a scalar, both sides stretched. */
export const BROADCAST_PAIRS: [number[], number[]][] = [[[2, 3], [2, 3]], [[2, 3, 4], [3, 1]], [[4], [2, 3, 4]], [[2, 3], []], [[2, 1, 3], [1, 4, 1]]];

/** n values in [lo, hi], pushed at least 0.05 away from every kink. */
export function valuesAway(n: number, seed: number, lo: number, hi: number, kinks: readonly number[]): number[] {
  return Array.from(randomValues(n, seed, lo, hi), (v) => {
    for (const k of kinks) if (Math.abs(v - k) < 0.05) v = k + (v < k ? -0.05 : 0.05);
    return v;
  });
}

/** n values on a grid of 0.1 offset by 0.05 (odd) or 0 (even): two such sets never come within 0.05. */
export function gridValues(n: number, seed: number, lo: number, hi: number, odd: boolean): number[] {
  return Array.from(randomValues(n, seed, lo, hi), (v) => Math.round(v * 10) / 10 + (odd ? 0.05 : 0));
}

/** a's and b's values for a binary case. */
export function binaryInputs(c: BinaryCase, na: number, nb: number, seed: number): [number[], number[]] {
  if (c.apart) return [gridValues(na, seed, c.aLo, c.aHi, true), gridValues(nb, seed + 1, c.bLo, c.bHi, false)];
  return [valuesAway(na, seed, c.aLo, c.aHi, c.kinks), valuesAway(nb, seed + 1, c.bLo, c.bHi, [])];
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
