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

describe('matMul and dot', () => {
  it('multiplies matrices, transposed or not', () => {
    const a = wc.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = wc.tensor([1, 0, 0, 1, 1, 1], [3, 2]);
    expect(arr(wc.matMul(a, b))).toEqual([[4, 5], [10, 11]]);
    expect(arr(wc.matMul(a, a, false, true))).toEqual([[14, 32], [32, 77]]);
    expect(arr(wc.matMul(a, a, true, false))).toEqual([[17, 22, 27], [22, 29, 36], [27, 36, 45]]);
    expect(arr(wc.matMul(b, a, true, true))).toEqual([[4, 10], [5, 11]]);
  });

  it('batches, broadcasting batch dimensions (numpy rules)', () => {
    const a = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const eye = wc.tensor([1, 0, 0, 1], [2, 2]);
    expect(arr(wc.matMul(a, eye))).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    const b = wc.tensor([1, 1, 2, 2, 0, 1, 1, 0], [2, 1, 2, 2]);
    // out[i, j] = a[j] . b[i]: batch [2, 1] with [2] broadcasts to [2, 2].
    const c = wc.matMul(a, b);
    expect(c.shape).toEqual([2, 2, 2, 2]);
    expect(arr(c)).toEqual([
      [[[5, 5], [11, 11]], [[17, 17], [23, 23]]],
      [[[2, 1], [4, 3]], [[6, 5], [8, 7]]],
    ]);
  });

  it('dot of vectors and matrices', () => {
    expect(arr(wc.dot([1, 2, 3], [4, 5, 6]))).toBe(32);
    expect(arr(wc.dot([1, 2], [[1, 2, 3], [4, 5, 6]]))).toEqual([9, 12, 15]);
    expect(arr(wc.dot([[1, 2, 3], [4, 5, 6]], [1, 0, 1]))).toEqual([4, 10]);
    expect(arr(wc.dot([[1, 2], [3, 4]], [[1, 0], [0, 1]]))).toEqual([[1, 2], [3, 4]]);
  });

  it('names the op in its errors', () => {
    expect(() => wc.matMul([1, 2], [[1], [2]])).toThrow(/^matMul: inputs must have rank >= 2/);
    expect(() => wc.matMul([[1, 2]], [[1, 2]])).toThrow(/^matMul: inner shapes \(2\) and \(1\)/);
    expect(() => wc.matMul(wc.tensor(new Float32Array(12), [3, 2, 2]), wc.tensor(new Float32Array(8), [2, 2, 2]))).toThrow(/^matMul: the batch dimensions .* do not broadcast/);
    expect(() => wc.dot([[[1]]], [1])).toThrow(/^dot: inputs must all be rank 1 or 2, but got ranks 3 and 1/);
    expect(() => wc.dot([1, 2], [1, 2, 3])).toThrow(/^dot: inner dimensions of inputs must match, but got 2 and 3/);
  });

  it('gradients, every transpose combination and broadcast batches', () => {
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      const a = input(ta ? [3, 2] : [2, 3], 11);
      const b = input(tb ? [4, 3] : [3, 4], 12);
      checkGrads(`matMul ${ta} ${tb}`, (p, q) => wc.matMul(p, q, ta, tb), [a, b]);
      const ab = input(ta ? [2, 3, 2] : [2, 2, 3], 13);
      const bb = input(tb ? [3, 1, 4, 3] : [3, 1, 3, 4], 14);
      checkGrads(`batched matMul ${ta} ${tb}`, (p, q) => wc.matMul(p, q, ta, tb), [ab, bb]);
    }
    checkGrads('matMul, b without batch', (p, q) => wc.matMul(p, q), [input([2, 2, 3], 15), input([3, 2], 16)]);
    checkGrads('dot vv', (p, q) => wc.dot(p, q), [input([3], 17), input([3], 18)]);
    checkGrads('dot vm', (p, q) => wc.dot(p, q), [input([3], 17), input([3, 2], 18)]);
    checkGrads('dot mv', (p, q) => wc.dot(p, q), [input([2, 3], 17), input([3], 18)]);
  });
});

describe('conv2d, maxPool, avgPool, batchNorm', () => {
  it('conv2d: hand-computed, one image and a batch, numeric and explicit pads', () => {
    const x = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1]);
    const w = wc.tensor([1, 0, 0, 1], [2, 2, 1, 1]);
    expect(arr(wc.conv2d(x, w, 1, 'valid'))).toEqual([[[6], [8]], [[12], [14]]]);
    expect(wc.conv2d(x.reshape([1, 3, 3, 1]), w, 1, 'same').shape).toEqual([1, 3, 3, 1]);
    expect(arr(wc.conv2d(x, w, 2, 1))).toEqual([[[1], [3]], [[7], [14]]]);
    expect(arr(wc.conv2d(x, w, 1, [[0, 0], [0, 0], [1, 0], [0, 0]]))).toEqual([[[4], [6], [8]], [[7], [12], [14]]]);
  });

  it('pools: hand-computed', () => {
    const x = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [4, 4, 1]);
    expect(arr(wc.maxPool(x, 2, 2, 'valid'))).toEqual([[[6], [8]], [[14], [16]]]);
    expect(arr(wc.avgPool(x, 2, 2, 'valid'))).toEqual([[[3.5], [5.5]], [[11.5], [13.5]]]);
    // 'same' pads only bottom and right here (total 1): windows of 9, 6, 6 and 4 real pixels.
    expect(arr(wc.avgPool(x, 3, 2, 'same'))).toEqual([[[6], [7.5]], [[12], [13.5]]]);
  });

  it('batchNorm: per channel, defaults for offset and scale', () => {
    const x = wc.tensor([1, 10, 3, 20], [2, 2]);
    const y = wc.batchNorm(x, [2, 15], [1, 25], [0, 1], [2, 1], 0);
    expectClose(y.dataSync(), [-2, 0, 2, 2], { atol: 1e-6, rtol: 0 }, 'batchNorm');
    const plain = wc.batchNorm(x, [2, 15], [4, 4], undefined, undefined, 0);
    expectClose(plain.dataSync(), [-0.5, -2.5, 0.5, 2.5], { atol: 1e-6, rtol: 0 }, 'batchNorm defaults');
    const scalars = wc.batchNorm(x, 1, 4, 1, 2, 0);
    expectClose(scalars.dataSync(), [1, 10, 3, 20].map((v) => (v - 1) / 2 * 2 + 1), { atol: 1e-5, rtol: 0 }, 'batchNorm scalars');
  });

  it('names the op in its errors', () => {
    const x = wc.tensor(new Float32Array(16), [1, 4, 4, 1]);
    const w = wc.tensor(new Float32Array(4), [2, 2, 1, 1]);
    expect(() => wc.conv2d(x, w.reshape([2, 2, 1]), 1, 'valid')).toThrow(/^conv2d: filter must be rank 4/);
    expect(() => wc.conv2d(x.reshape([16]), w, 1, 'valid')).toThrow(/^conv2d: input must be rank 4/);
    expect(() => wc.conv2d(x, wc.tensor(new Float32Array(8), [2, 2, 2, 1]), 1, 'valid')).toThrow(/^conv2d: depth of input \(1\) must match/);
    expect(() => wc.conv2d(x, w, 2, 'valid', 'NHWC', 2)).toThrow(/^conv2d: either strides or dilations must be 1/);
    expect(() => wc.conv2d(x, w, 1, 'valid', 'NCHW')).toThrow(/^conv2d: dataFormat must be 'NHWC'/);
    expect(() => wc.conv2d(x, w, 1, [[1, 1], [1, 1]])).toThrow(/^conv2d: pad must be/);
    expect(() => wc.maxPool(x, 2, 2, 1)).toThrow(/^maxPool: pad must be 'valid' or 'same'/);
    expect(() => wc.avgPool(x, 0, 1, 'valid')).toThrow(/^avgPool: filterSize must be a positive integer/);
    expect(() => wc.batchNorm(x, [1, 2], [1, 2])).toThrow(/^batchNorm: the parameters' shape \[2\] must match x's last dimensions/);
    expect(() => wc.batchNorm(x, [1], [1, 2])).toThrow(/^batchNorm: mean, variance, offset and scale must have one shape/);
  });

  it('gradients against central differences', () => {
    const x = input([2, 5, 5, 2], 21);
    for (const [strides, pad, dilations] of [[1, 'valid', 1], [2, 'same', 1], [1, 1, 2], [2, [[0, 0], [1, 0], [0, 2], [0, 0]], 1]] as const) {
      checkGrads(`conv2d ${JSON.stringify([strides, pad, dilations])}`, (p, q) => wc.conv2d(p, q, strides, pad as never, 'NHWC', dilations), [x, input([3, 2, 2, 3], 22)]);
    }
    checkGrads('conv2d one image', (p, q) => wc.conv2d(p, q, 1, 'same'), [input([4, 4, 2], 23), input([3, 3, 2, 1], 24)]);
    // Distinct values, so no window has a tie.
    const distinct: Input = { values: Float32Array.from({ length: 50 }, (_, i) => ((i * 37) % 50) / 10), shape: [1, 5, 5, 2] };
    checkGrads('maxPool', (p) => wc.maxPool(p, 2, 2, 'same'), [distinct]);
    checkGrads('maxPool 3/1 valid', (p) => wc.maxPool(p, 3, 1, 'valid'), [distinct]);
    checkGrads('avgPool', (p) => wc.avgPool(p, 3, 2, 'same'), [x]);
    checkGrads('avgPool one image', (p) => wc.avgPool(p, [2, 1], [1, 2], 'valid'), [input([4, 4, 3], 25)]);
    const c = [3];
    checkGrads('batchNorm', (p, m, v, o, s) => wc.batchNorm(p, m, v, o, s, 0.01),
      [input([2, 2, 3], 26), input(c, 27), input(c, 28, 0.5, 2), input(c, 29), input(c, 30)]);
    checkGrads('batchNorm without offset and scale', (p, m, v) => wc.batchNorm(p, m, v),
      [input([4, 3], 31), input([1, 3], 32), input([1, 3], 33, 0.5, 2)]);
  });
});

describe('memory', () => {
  it('each op leaves only its output, and a gradient call only its gradients', () => {
    const x = wc.tensor(randomValues(2 * 4 * 4 * 3, 40), [2, 4, 4, 3]);
    const img = wc.tensor(randomValues(4 * 4 * 3, 41), [4, 4, 3]);
    const w = wc.tensor(randomValues(2 * 2 * 3 * 2, 42), [2, 2, 3, 2]);
    const c = wc.tensor([0.1, 0.2, 0.3], [3]);
    const v = wc.tensor([1, 2, 3], [3]);
    const m3 = wc.tensor(randomValues(2 * 3 * 4, 43), [2, 3, 4]);
    const m2 = wc.tensor(randomValues(4 * 2, 44), [4, 2]);
    const vec = wc.tensor([1, 2, 3, 4], [4]);
    type F = (...ts: wc.Tensor[]) => wc.Tensor;
    const ops: [string, wc.Tensor[], F][] = [
      ['sum', [x], (t) => wc.sum(t, [1, 2], true)], ['mean', [x], (t) => wc.mean(t)], ['max', [x], (t) => wc.max(t, -1, true)],
      ['argMax', [x], (t) => wc.argMax(t, 3)], ['logSumExp', [x], (t) => wc.logSumExp(t, 0, true)], ['softmax', [x], (t) => wc.softmax(t, 1)],
      ['matMul', [m3, m2], (p, q) => wc.matMul(p, q)], ['matMul 2-D', [m2], (p) => wc.matMul(p, p, true)],
      ['dot', [vec, m2], (p, q) => wc.dot(p, q)], ['dot vv', [vec], (p) => wc.dot(p, p)],
      ['conv2d', [img, w], (p, q) => wc.conv2d(p, q, 1, 'same')], ['maxPool', [img], (p) => wc.maxPool(p, 2, 2, 'valid')],
      ['avgPool', [x], (p) => wc.avgPool(p, 2, 1, 'same')],
      ['batchNorm', [x, c, v], (p, q, r) => wc.batchNorm(p, q, r)], ['batchNorm full', [img, c, v], (p, q, r) => wc.batchNorm(p, q, r, q, r)],
    ];
    for (const [label, inputs, f] of ops) {
      const before = wc.memory().numTensors;
      const y = f(...inputs);
      expect(wc.memory().numTensors, label).toBe(before + 1);
      y.dispose();
      const gs = grads((...ts) => wc.sum(f(...ts)))(inputs);
      expect(wc.memory().numTensors, `${label} gradient`).toBe(before + inputs.length);
      for (const g of gs) g.dispose();
    }
  });
});
