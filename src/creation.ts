// Tensor creation in TF.js's names: constants, ranges and seeded random draws.
// Values are made on the CPU and uploaded once, so a seed gives the same
// tensor on every backend; nothing here is differentiated (as in TF.js, a
// created tensor is a constant of the tape).

import type { Shape } from './backend/types.js';
import { backend } from './engine.js';
import { asInt32, sizeOf, shapeToString, Tensor } from './tensor.js';
import { tensor } from './engine.js';
import type { TensorLike } from './tensorLike.js';
import { describeValue } from './tensorLike.js';
import { nextSeed, normalValues, seededRandom } from './random.js';

/** Most values a created tensor may hold (a shape typo should fail here, not exhaust memory). */
const MAX_VALUES = 2 ** 28;

export type DTypeArg = 'float32' | 'int32';

function checkShape(op: string, shape: unknown): Shape {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: shape must be an array of non-negative integers, got ${describeValue(shape)}`);
  }
  const n = sizeOf(shape);
  if (n > MAX_VALUES) throw new Error(`${op}: shape ${shapeToString(shape)} holds ${n} values, more than ${MAX_VALUES}`);
  return shape;
}

function checkNumber(op: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`${op}: ${what} must be a number, got ${describeValue(v)}`);
  return v;
}

function made(values: Float32Array, shape: Shape, dtype: DTypeArg | undefined, op: string): Tensor {
  if (dtype !== undefined && dtype !== 'float32' && dtype !== 'int32') throw new Error(`${op}: dtype must be 'float32' or 'int32', got ${describeValue(dtype)}`);
  if (dtype === 'int32') for (let i = 0; i < values.length; i++) values[i] = Math.trunc(values[i]);
  const t = backend().fromValues(values, shape);
  t.finiteHint = values.every(Number.isFinite);
  return dtype === 'int32' ? asInt32(t) : t;
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DTypeArg): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`scalar: expected a number, got ${describeValue(value)}`);
  return made(Float32Array.of(Number(value)), [], dtype, 'scalar');
}

/** tensor1d / 2d / 3d / 4d: wc.tensor with its rank checked, as TF.js's. */
function ranked(rank: number) {
  const op = `tensor${rank}d`;
  return (values: TensorLike, shape?: readonly number[]): Tensor => {
    const t = tensor(values, shape);
    if (t.rank !== rank) {
      t.dispose();
      throw new Error(`${op}: expected values of rank ${rank}, got shape ${shapeToString(t.shape)}`);
    }
    return t;
  };
}
export const tensor1d = ranked(1);
export const tensor2d = ranked(2);
export const tensor3d = ranked(3);
export const tensor4d = ranked(4);

export function fill(shape: readonly number[], value: number, dtype?: DTypeArg): Tensor {
  const s = checkShape('fill', shape);
  return made(new Float32Array(sizeOf(s)).fill(checkNumber('fill', 'value', value)), s, dtype, 'fill');
}

export function zeros(shape: readonly number[], dtype?: DTypeArg): Tensor {
  const s = checkShape('zeros', shape);
  return made(new Float32Array(sizeOf(s)), s, dtype, 'zeros');
}

export function ones(shape: readonly number[], dtype?: DTypeArg): Tensor {
  const s = checkShape('ones', shape);
  return made(new Float32Array(sizeOf(s)).fill(1), s, dtype, 'ones');
}

function likeOf(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${describeValue(x)}`);
  x.assertUsable(op);
  return x;
}

/** Zeros of x's shape and dtype, on x's backend. */
export function zerosLike(x: Tensor): Tensor {
  const t = likeOf('zerosLike', x);
  const z = t.backend.fromValues(new Float32Array(t.size), t.shape);
  z.finiteHint = true;
  return t.dtype === 'int32' ? asInt32(z) : z;
}

/** Ones of x's shape and dtype, on x's backend. */
export function onesLike(x: Tensor): Tensor {
  const t = likeOf('onesLike', x);
  const o = t.backend.fromValues(new Float32Array(t.size).fill(1), t.shape);
  o.finiteHint = true;
  return t.dtype === 'int32' ? asInt32(o) : o;
}

/** [start, stop) in steps of step; range(n) counts 0..n-1, as TF.js's. */
export function range(start: number, stop?: number | null, step = 1, dtype: DTypeArg = 'float32'): Tensor {
  let lo = checkNumber('range', 'start', start);
  let hi: number;
  if (stop === undefined || stop === null) {
    hi = lo;
    lo = 0;
  } else {
    hi = checkNumber('range', 'stop', stop);
  }
  checkNumber('range', 'step', step);
  if (step === 0) throw new Error('range: step cannot be 0');
  // TF.js: a step pointing away from stop gives an empty range rather than an error.
  if ((lo < hi && step < 0) || (lo > hi && step > 0)) return made(new Float32Array(0), [0], dtype, 'range');
  const n = Math.max(0, Math.ceil(Math.abs((hi - lo) / step)));
  if (n > MAX_VALUES) throw new Error(`range: ${n} values, more than ${MAX_VALUES}`);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = lo + i * step;
  return made(values, [n], dtype, 'range');
}

/** num evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, num: number): Tensor {
  checkNumber('linspace', 'start', start);
  checkNumber('linspace', 'stop', stop);
  if (!Number.isInteger(num) || num <= 0) throw new Error(`linspace: num must be a positive integer, got ${describeValue(num)}`);
  if (num > MAX_VALUES) throw new Error(`linspace: ${num} values, more than ${MAX_VALUES}`);
  const values = new Float32Array(num);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) values[i] = start + i * step;
  return made(values, [num], 'float32', 'linspace');
}

function seedOf(op: string, seed: number | undefined): number {
  if (seed === undefined) return nextSeed();
  return checkNumber(op, 'seed', seed);
}

/** Normal draws (Box-Muller over a seeded generator; the same seed gives the same values here, not TF.js's). */
export function randomNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype?: DTypeArg, seed?: number): Tensor {
  const s = checkShape('randomNormal', shape);
  checkNumber('randomNormal', 'mean', mean);
  checkNumber('randomNormal', 'stdDev', stdDev);
  return made(normalValues(sizeOf(s), mean, stdDev, false, seedOf('randomNormal', seed)), s, dtype, 'randomNormal');
}

/** Normal draws, redrawn beyond two standard deviations, as TF.js's. */
export function truncatedNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype?: DTypeArg, seed?: number): Tensor {
  const s = checkShape('truncatedNormal', shape);
  checkNumber('truncatedNormal', 'mean', mean);
  checkNumber('truncatedNormal', 'stdDev', stdDev);
  return made(normalValues(sizeOf(s), mean, stdDev, true, seedOf('truncatedNormal', seed)), s, dtype, 'truncatedNormal');
}

/** Uniform draws in [minval, maxval). TF.js's seed argument may also be a string; here it is a number. */
export function randomUniform(shape: readonly number[], minval = 0, maxval = 1, dtype?: DTypeArg, seed?: number): Tensor {
  const s = checkShape('randomUniform', shape);
  checkNumber('randomUniform', 'minval', minval);
  checkNumber('randomUniform', 'maxval', maxval);
  const r = seededRandom(seedOf('randomUniform', seed));
  const values = new Float32Array(sizeOf(s));
  for (let i = 0; i < values.length; i++) values[i] = minval + (maxval - minval) * r();
  return made(values, s, dtype, 'randomUniform');
}
