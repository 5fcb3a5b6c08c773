// Reductions, softmaxes, matMul/dot and the network ops as differentiable
// ops on the CPU: hand-computed answers, the errors, and every gradient
// against central differences (broadcasting and arbitrary axes included).

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { grads } from '../../src/autodiff/gradients.js';
import { dot, expectClose, numericGradient, randomValues } from '../util/check.js';
import { FD } from './gradcheck.js';

type Input = { values: Float32Array; shape: number[] };
const input = (shape: number[], seed: number, lo = -1, hi = 1): Input =>
  ({ values: randomValues(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape });
const T = (x: Input) => wc.tensor(x.values, x.shape);

/** Checks wc.grads(f) against central differences of dot(f(xs), r), for every input. */
function checkGrads(label: string, f: (...xs: wc.Tensor[]) => wc.Tensor, inputs: Input[], seed = 7): void {
  const y0 = f(...inputs.map(T));
  const r = randomValues(y0.size, seed);
  const dy = wc.tensor(r, y0.shape);
  const analytic = grads(f)(inputs.map(T), dy);
  inputs.forEach((x, i) => {
    const numeric = numericGradient((probe) => {
      const args = inputs.map((other, j) => wc.tensor(j === i ? probe : other.values, other.shape));
      return dot(f(...args).dataSync(), r);
    }, x.values);
    expectClose(analytic[i].dataSync(), numeric, FD, `${label}: input ${i}`);
  });
}

const arr = (t: wc.Tensor) => t.arraySync();

describe('reductions', () => {
  const x = wc.tensor([1, 2, 3, 4, 5, 6], [2, 3]);

  it('sum, mean, prod, max, min over all, one, negative and several axes, with keepDims', () => {
    expect(arr(wc.sum(x))).toBe(21);
    expect(arr(wc.sum(x, 0))).toEqual([5, 7, 9]);
    expect(arr(wc.sum(x, -1))).toEqual([6, 15]);
    expect(arr(wc.sum(x, [0, 1]))).toBe(21);
    expect(arr(wc.sum(x, 1, true))).toEqual([[6], [15]]);
    expect(wc.sum(x, undefined, true).shape).toEqual([1, 1]);
    expect(arr(wc.mean(x, 0))).toEqual([2.5, 3.5, 4.5]);
    expect(arr(wc.prod(x, 1))).toEqual([6, 120]);
    expect(arr(wc.max(x, 1))).toEqual([3, 6]);
    expect(arr(wc.min(x, 0))).toEqual([1, 2, 3]);
    expect(arr(wc.max([[-5, -2], [-7, -9]]))).toBe(-2);
  });

  it('reduces nothing over an empty axis list, as TF.js does', () => {
    expect(arr(wc.sum(x, []))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(arr(wc.max(x, []))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(arr(wc.sum(wc.tensor([3], [])))).toBe(3);
  });

  it('reduces non-adjacent axes of a rank-4 tensor', () => {
    const v = Float32Array.from({ length: 24 }, (_, i) => i);
    const t = wc.tensor(v, [2, 3, 2, 2]);
    // sum over axes 0 and 2: out[j, l] = sum_{i,k} v[((i*3 + j)*2 + k)*2 + l]
    const expected: number[][] = [];
    for (let j = 0; j < 3; j++) {
      expected.push([0, 1].map((l) => {
        let s = 0;
        for (let i = 0; i < 2; i++) for (let k = 0; k < 2; k++) s += v[((i * 3 + j) * 2 + k) * 2 + l];
        return s;
      }));
    }
    expect(arr(wc.sum(t, [0, 2]))).toEqual(expected);
    expect(arr(wc.sum(t, [-4, -2], true))).toEqual([expected.map((row) => [row])]);
    expect(wc.max(t, [1, 3]).shape).toEqual([2, 2]);
  });

  it('logSumExp without overflow', () => {
    const v = wc.logSumExp([[1000, 1000], [0, Math.log(3)]], 1);
    expectClose(v.dataSync(), [1000 + Math.log(2), Math.log(4)], { atol: 1e-4, rtol: 1e-6 }, 'logSumExp');
    expectClose(wc.logSumExp([0, 0, 0, 0]).dataSync(), [Math.log(4)], { atol: 1e-6, rtol: 0 }, 'all');
  });

  it('argMax and argMin: int32 indices, the first on ties, axis 0 by default', () => {
    const t = wc.tensor([[1, 7, 7], [9, 2, 9]]);
    const am = wc.argMax(t, 1);
    expect(am.dtype).toBe('int32');
    expect(am.dataSync()).toBeInstanceOf(Int32Array);
    expect(arr(am)).toEqual([1, 0]);
    expect(arr(wc.argMax(t))).toEqual([1, 0, 1]);
    expect(arr(wc.argMin([[3, 1, 1], [0, 0, 5]], -1))).toEqual([1, 0]);
    expect(arr(wc.argMin([4, 2, 8, 2]))).toBe(1);
  });

  it('keeps int32 for sum, prod, max and min of int32, float for mean', () => {
    const idx = wc.argMax(wc.tensor([[1, 2], [4, 3]]), 1);
    expect(wc.sum(idx).dtype).toBe('int32');
    expect(wc.max(idx).dtype).toBe('int32');
    expect(wc.mean(idx).dtype).toBe('float32');
  });

  it('names the op in its errors', () => {
    expect(() => wc.sum(x, 2)).toThrow(/^sum: axis 2 is out of range for a tensor of shape \[2, 3\]/);
    expect(() => wc.mean(x, [-3])).toThrow(/^mean: axis -3 is out of range/);
    expect(() => wc.max(x, [0, 0])).toThrow(/^max: axis 0 is repeated/);
    expect(() => wc.min(x, 0.5)).toThrow(/^min: axis 0.5 is out of range/);
    expect(() => wc.argMax(wc.tensor([1], []), 0)).toThrow(/^argMax: axis 0 is out of range/);
    expect(() => wc.argMin(x, [0, 1] as unknown as number)).toThrow(/^argMin: expected axis to be one number/);
    expect(() => wc.prod('a' as unknown as number)).toThrow(/^prod: argument 'x' must be a Tensor or TensorLike/);
  });
});

describe('reduction gradients (central differences)', () => {
  const x = input([2, 3, 4], 1);
  for (const axis of [undefined, 0, -1, [0, 2], [1]] as const) {
    it(`sum, mean, logSumExp, max, min, prod over ${JSON.stringify(axis)}`, () => {
      const ax = axis as number | number[] | undefined;
      checkGrads('sum', (t) => wc.sum(t, ax), [x]);
      checkGrads('mean', (t) => wc.mean(t, ax, true), [x]);
      checkGrads('logSumExp', (t) => wc.logSumExp(t, ax), [x]);
      // Distinct values: max and min are differentiable there.
      checkGrads('max', (t) => wc.max(t, ax, true), [x]);
      checkGrads('min', (t) => wc.min(t, ax), [x]);
      checkGrads('prod', (t) => wc.prod(t, ax), [input([2, 3, 4], 2, 0.5, 1.5)]);
    });
  }

  it('max and min give dy to every element equal to the extreme', () => {
    const [g] = grads((t) => wc.max(t, 1))([wc.tensor([[1, 3, 3], [2, 0, 1]])]);
    expect(arr(g)).toEqual([[0, 1, 1], [1, 0, 0]]);
    const [h] = grads((t) => wc.min(t))([wc.tensor([2, 1, 1, 5])]);
    expect(arr(h)).toEqual([0, 1, 1, 0]);
  });

  it('prod: the product of the others, exact with zeros', () => {
    const [g] = grads((t) => wc.prod(t, 1))([wc.tensor([[2, 0, 3], [0, 0, 4], [1, 2, 3]])]);
    expect(arr(g)).toEqual([[0, 6, 0], [0, 0, 0], [6, 3, 2]]);
  });

  it('argMax and argMin have a zero gradient (as TF.js)', () => {
    const [g] = grads((t) => wc.sum(wc.argMax(t, 0)))([wc.tensor([[1, 2], [3, 0]])]);
    expect(arr(g)).toEqual([[0, 0], [0, 0]]);
  });
});

describe('softmax and logSoftmax', () => {
  it('normalizes along the last axis by default and along any other', () => {
    const y = wc.softmax([[0, Math.log(3)], [1000, 1000]]);
    expectClose(y.dataSync(), [0.25, 0.75, 0.5, 0.5], { atol: 1e-6, rtol: 0 }, 'softmax');
    const y0 = wc.softmax([[0, 1], [Math.log(3), 1]], 0);
    expectClose(y0.dataSync(), [0.25, 0.5, 0.75, 0.5], { atol: 1e-6, rtol: 0 }, 'softmax axis 0');
    const l = wc.logSoftmax([[0, Math.log(3)]]);
    expectClose(l.dataSync(), [Math.log(0.25), Math.log(0.75)], { atol: 1e-6, rtol: 0 }, 'logSoftmax');
    const l1 = wc.logSoftmax(wc.tensor([0, 0, 0, 0, 0, 0], [2, 3, 1]), 1);
    expectClose(l1.dataSync(), new Array(6).fill(-Math.log(3)), { atol: 1e-6, rtol: 0 }, 'logSoftmax axis 1');
  });

  it('names the op in its errors', () => {
    expect(() => wc.softmax(wc.tensor([1], []))).toThrow(/^softmax: expected logits of rank >= 1/);
    expect(() => wc.logSoftmax([[1, 2]], 2)).toThrow(/^logSoftmax: axis 2 is out of range/);
  });

  for (const axis of [-1, 0, 1]) {
    it(`gradients along axis ${axis}`, () => {
      const x = input([2, 3, 4], 3, -2, 2);
      checkGrads('softmax', (t) => wc.softmax(t, axis), [x]);
      checkGrads('logSoftmax', (t) => wc.logSoftmax(t, axis), [x]);
    });
  }
});
