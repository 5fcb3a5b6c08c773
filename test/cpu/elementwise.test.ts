// Element-wise math on the CPU: answers worked out by hand, TF.js's edge
// values, broadcasting, dtypes, errors naming the op, and a finite-difference
// check of every gradient on broadcasting shapes.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { dot, expectClose, numericGradient, randomValues } from '../util/check.js';
import { FD } from './gradcheck.js';
import { BINARY_CASES, BROADCAST_PAIRS, UNARY_CASES, binaryInputs, sizeOf, valuesAway } from './elementwiseCases.js';

type Op = (...args: (wc.Tensor | number)[]) => wc.Tensor;
const op = (name: string): Op => (wc as unknown as Record<string, Op>)[name];
const vals = (t: wc.Tensor): number[] => Array.from(t.dataSync());
const zeros = (shape: number[]): wc.Tensor => wc.tensor(new Float32Array(sizeOf(shape)), shape);

/** expectClose where equal values (the same infinity) and NaN against NaN also match. */
function expectValues(actual: ArrayLike<number>, expected: readonly number[], label: string): void {
  const same = (a: number, e: number) => a === e || (Number.isNaN(a) && Number.isNaN(e));
  expectClose(Array.from(actual, (a, i) => (same(a, expected[i]) ? 0 : a)), expected.map((e, i) => (same(actual[i], e) ? 0 : e)), { atol: 1e-7, rtol: 1e-6 }, label);
}

/** Checks wc.grads(f) against central differences of sum(f(...) * r) for every input. */
function gradCheck(label: string, f: (...xs: wc.Tensor[]) => wc.Tensor, inputs: { v: number[]; shape: number[] }[], seed = 5): void {
  wc.tidy(() => {
    const ts = inputs.map((i) => wc.tensor(i.v, i.shape));
    const y = f(...ts);
    const r = randomValues(y.size, seed);
    const gs = wc.grads(f)(ts, wc.tensor(r, [...y.shape]));
    inputs.forEach((inp, k) => {
      expect(gs[k].shape, `${label}: gradient ${k} shape`).toEqual(inp.shape);
      const numeric = numericGradient((p) => dot(f(...ts.map((t, j) => (j === k ? wc.tensor(p, inp.shape) : t))).dataSync(), r), Float32Array.from(inp.v));
      expectClose(gs[k].dataSync(), numeric, FD, `${label}: d/d input ${k}`);
    });
  });
}

describe('element-wise binary ops (cpu)', () => {
  it('broadcast as numpy does, by hand', () => {
    const a = wc.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(wc.add(a, [10, 20, 30]).arraySync()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(wc.sub(a, [[1], [2]]).arraySync()).toEqual([[0, 1, 2], [2, 3, 4]]);
    expect(wc.mul(a, 2).arraySync()).toEqual([[2, 4, 6], [8, 10, 12]]);
    expect(wc.div(3, a).shape).toEqual([2, 3]);
    expect(vals(wc.div(a, [2, 4, 8]))).toEqual([0.5, 0.5, 0.375, 2, 1.25, 0.75]);
    expect(wc.add(wc.tensor([1, 2], [2, 1, 1]), wc.tensor([10, 20, 30], [1, 3])).arraySync()).toEqual([[[11, 21, 31]], [[12, 22, 32]]]);
    expect(vals(wc.maximum(a, [3, 3, 3]))).toEqual([3, 3, 3, 4, 5, 6]);
    expect(vals(wc.minimum(a, 3))).toEqual([1, 2, 3, 3, 3, 3]);
    expect(vals(wc.squaredDifference(a, [1, 1, 1]))).toEqual([0, 1, 4, 9, 16, 25]);
    expect(vals(wc.prelu([-2, -1, 0, 3], [0.5, 0.25, 0.5, 0.5]))).toEqual([-1, -0.25, 0, 3]);
    // Rank 6 against a vector: the last axis lines up.
    const big = wc.add(wc.tensor(Array.from({ length: 64 }, (_, i) => i), [2, 2, 2, 2, 2, 2]), [100, 200]);
    expect(vals(big).slice(0, 4)).toEqual([100, 201, 102, 203]);
  });

  it('pow follows Math.pow at the edges', () => {
    const y = wc.pow([-2, -8, 0, 0, 2, -3, 4], [3, 1 / 3, -1, 0, 0.5, 2, -0.5]);
    expectValues(y.dataSync(), [-8, NaN, Infinity, 1, Math.SQRT2, 9, 0.5].map(Math.fround), 'pow');
  });

  it('comparisons give float32 masks; where broadcasts condition, a and b', () => {
    const a = [1, 2, 3];
    expect(vals(wc.greater(a, 2))).toEqual([0, 0, 1]);
    expect(vals(wc.greaterEqual(a, 2))).toEqual([0, 1, 1]);
    expect(vals(wc.less(a, 2))).toEqual([1, 0, 0]);
    expect(vals(wc.lessEqual(a, 2))).toEqual([1, 1, 0]);
    expect(vals(wc.equal(a, [[2], [3]]))).toEqual([0, 1, 0, 0, 0, 1]);
    expect(vals(wc.notEqual(a, 2))).toEqual([1, 0, 1]);
    expect(vals(wc.logicalAnd([1, 0, 1], [1, 1, 0]))).toEqual([1, 0, 0]);
    expect(wc.greater(a, 2).dtype).toBe('float32');
    expect(wc.where([1, 0, 1], wc.tensor([[1, 2, 3], [4, 5, 6]]), 0).arraySync()).toEqual([[1, 0, 3], [4, 0, 6]]);
    expect(wc.where([[1], [0]], [1, 2], [7, 8, 9].slice(0, 2)).arraySync()).toEqual([[1, 2], [7, 8]]);
  });

  it('keeps int32 where TF.js does; int32 division floors', () => {
    const i = wc.tensor([7, -7], [2]);
    i.dtype = 'int32';
    const two = wc.tensor([2, 2], [2]);
    two.dtype = 'int32';
    expect(wc.add(i, two).dtype).toBe('int32');
    expect(wc.add(i, 1).dtype).toBe('float32');
    const q = wc.div(i, two);
    expect(q.dtype).toBe('int32');
    expect(vals(q)).toEqual([3, -4]);
    expect(vals(wc.div(i, wc.tensor([2, 2], [2])))).toEqual([3.5, -3.5]);
    expect(wc.neg(i).dtype).toBe('int32');
    expect(wc.exp(i).dtype).toBe('float32');
  });

  it('errors name the op', () => {
    expect(() => wc.add(zeros([2, 3]), zeros([4]))).toThrow(/^add: operands could not be broadcast together with shapes \[2, 3\] and \[4\]/);
    expect(() => wc.pow([1, 2], [1, 2, 3])).toThrow(/^pow: operands could not be broadcast/);
    expect(() => wc.where([1, 0, 1, 0], [1, 2, 3], 0)).toThrow(/^where: condition of shape \[4\] does not broadcast with a and b/);
    expect(() => wc.mul('x' as never, 1)).toThrow(/^mul: argument 'a' must be a Tensor or TensorLike/);
    expect(() => wc.prelu([1], [[1, 2], [3, 4], [5, 6]].slice(0, 2) as never).shape).not.toThrow();
    expect(() => wc.add(zeros(new Array(9).fill(1)), 1)).toThrow(/^add: a has rank 9 .*rank up to 8/);
    expect(() => wc.clipByValue([1], 2, 1)).toThrow(/^clipByValue: clipValueMin \(2\) must be less than or equal to clipValueMax \(1\)/);
    expect(() => wc.leakyRelu([1], Number.NaN)).toThrow(/^leakyRelu: alpha must be a number/);
    expect(() => wc.sumToShape(zeros([2, 3]), [2])).toThrow(/^sumToShape: shape \[2\] does not broadcast to x's shape \[2, 3\]/);
    const d = wc.tensor([1], [1]);
    d.dispose();
    expect(() => wc.relu(d)).toThrow(/relu/);
  });

  it('sumToShape sums over the broadcast axes', () => {
    const x = wc.tensor(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
    expect(vals(wc.sumToShape(x, [3, 1]))).toEqual([0, 1, 2].map((j) => [0, 1].reduce((s, b) => s + [0, 1, 2, 3].reduce((t, k) => t + b * 12 + j * 4 + k, 0), 0)));
    expect(vals(wc.sumToShape(x, []))).toEqual([276]);
    expect(wc.sumToShape(x, [2, 3, 4]).shape).toEqual([2, 3, 4]);
    expect(vals(wc.sumToShape(x, [4]))).toEqual([60, 66, 72, 78]);
    gradCheck('sumToShape', (t) => wc.sumToShape(t, [1, 3, 1]), [{ v: Array.from(randomValues(24, 3)), shape: [2, 3, 4] }]);
  });

  it('finite-difference gradients of every binary op on broadcasting shapes', () => {
    BINARY_CASES.forEach((c, ci) => {
      for (const [sa, sb] of BROADCAST_PAIRS) {
        const [av, bv] = binaryInputs(c, sizeOf(sa), sizeOf(sb), 10 + ci);
        gradCheck(`${c.name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`, (a, b) => op(c.name)(a, b), [{ v: av, shape: sa }, { v: bv, shape: sb }]);
      }
    });
  });

  it('finite-difference gradient of where on broadcasting shapes, none for the condition', () => {
    const cond = wc.tensor([1, 0, 1], [3]);
    gradCheck('where', (a, b) => wc.where(cond, a, b), [{ v: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, { v: [7, 8], shape: [2, 1] }]);
    const c = wc.tensor([1, 0]);
    expect(vals(wc.grad((a: wc.Tensor) => wc.where(c, a, 0))(wc.tensor([5, 6])))).toEqual([1, 0]);
    expect(() => wc.grads((cond: wc.Tensor, a: wc.Tensor) => wc.where(cond, a, 0))([c, wc.tensor([5, 6])]))
      .toThrow(/with respect to argument 0: y does not depend on it/);
  });
});

describe('element-wise unary ops (cpu)', () => {
  it('values by hand, TF.js edge values included', () => {
    const x = [-2, -0.5, 0, 0.5, 7];
    const close = (name: string, got: wc.Tensor, want: number[]) => expectValues(got.dataSync(), want.map(Math.fround), name);
    close('neg', wc.neg(x), [2, 0.5, -0, -0.5, -7]);
    close('abs', wc.abs(x), [2, 0.5, 0, 0.5, 7]);
    close('square', wc.square(x), [4, 0.25, 0, 0.25, 49]);
    close('sign', wc.sign(x), [-1, -1, 0, 1, 1]);
    close('relu', wc.relu(x), [0, 0, 0, 0.5, 7]);
    close('relu6', wc.relu6(x), [0, 0, 0, 0.5, 6]);
    close('leakyRelu', wc.leakyRelu(x), [-0.4, -0.1, 0, 0.5, 7]);
    close('leakyRelu 0.5', wc.leakyRelu(x, 0.5), [-1, -0.25, 0, 0.5, 7]);
    close('clipByValue', wc.clipByValue(x, -1, 1), [-1, -0.5, 0, 0.5, 1]);
    close('elu', wc.elu(x), [Math.exp(-2) - 1, Math.exp(-0.5) - 1, 0, 0.5, 7]);
    close('selu', wc.selu([-1, 2]), [1.7580993408473768 * (Math.exp(-1) - 1), 2 * 1.0507009873554805]);
    close('sigmoid', wc.sigmoid([0, 2]), [0.5, 1 / (1 + Math.exp(-2))]);
    close('softplus', wc.softplus([-20, 0, 20]), [Math.exp(-20), Math.log(2), 20]);
    close('tanh', wc.tanh([0, 1]), [0, Math.tanh(1)]);
    close('exp', wc.exp([0, 1]), [1, Math.E]);
    close('log', wc.log([1, Math.E]), [0, 1]);
    close('log1p', wc.log1p([1e-6, 1]), [Math.log1p(1e-6), Math.LN2]);
    close('sqrt', wc.sqrt([0, 4]), [0, 2]);
    close('rsqrt', wc.rsqrt([4, 0]), [0.5, Infinity]);
    close('reciprocal', wc.reciprocal([4, 0, -2]), [0.25, Infinity, -0.5]);
    close('log at 0', wc.log([0]), [-Infinity]);
    expect(Number.isNaN(wc.log([-1]).dataSync()[0])).toBe(true);
    expect(Number.isNaN(wc.sqrt([-1]).dataSync()[0])).toBe(true);
  });

  it('gradients at the kinks and edges as TF.js gives them', () => {
    const at = (f: (x: wc.Tensor) => wc.Tensor, x: number[]) => vals(wc.grad(f)(wc.tensor(x)));
    expect(at(wc.abs, [0, 2, -2])).toEqual([-1, 1, -1]);         // TF.js: dy * step(x, -1)
    expect(at(wc.relu, [0, 1, -1])).toEqual([0, 1, 0]);
    expect(at(wc.relu6, [0, 6, 7, 3])).toEqual([0, 1, 0, 1]);
    expect(at(wc.sign, [0, 3])).toEqual([0, 0]);
    expect(at(wc.sqrt, [0])).toEqual([Infinity]);
    expect(at(wc.log, [0])).toEqual([Infinity]);
    expect(at((x) => wc.clipByValue(x, -1, 1), [-1, 0, 1, 2])).toEqual([1, 1, 1, 0]);
    expect(at((x) => wc.leakyRelu(x, 0.1), [0, 1, -1]).map(Math.fround)).toEqual([0.1, 1, 0.1].map(Math.fround));
    const [ga, gb] = wc.grads((a: wc.Tensor, b: wc.Tensor) => wc.maximum(a, b))([wc.tensor([1, 2]), wc.tensor([1, 1])]);
    expect([vals(ga), vals(gb)]).toEqual([[1, 1], [0, 0]]);    // a tie goes to a
    const [gm] = wc.grads((a: wc.Tensor, b: wc.Tensor) => wc.minimum(a, b))([wc.tensor([1, 2]), wc.tensor([1, 1])]);
    expect(vals(gm)).toEqual([1, 0]);
    const [, ge] = wc.grads((a: wc.Tensor, b: wc.Tensor) => wc.pow(a, b))([wc.tensor([-2, 0, 2]), wc.tensor([2, 2, 2])]);
    expectClose(ge.dataSync(), [0, 0, 4 * Math.log(2)], { atol: 1e-6, rtol: 1e-6 }, 'pow exponent gradient: log(a) only where a > 0');
  });

  it('finite-difference gradient of every unary op', () => {
    UNARY_CASES.forEach((c, ci) => {
      const x = valuesAway(12, 30 + ci, c.lo, c.hi, c.kinks);
      gradCheck(c.name, (t) => op(c.name)(t, ...c.extra), [{ v: x, shape: [3, 4] }]);
    });
  });

  it('compositions differentiate through the tape', () => {
    // A normalisation and a custom loss: (x - mean) / std, then softplus of a margin.
    const mean = wc.tensor([0.5, -0.25, 1], [3]);
    gradCheck('composition', (x, s) => wc.softplus(wc.sub(wc.mul(wc.div(wc.sub(x, mean), s), 2), wc.square(x))),
      [{ v: Array.from(randomValues(6, 41)), shape: [2, 3] }, { v: [0.8, 1.2, 1.5], shape: [3] }]);
    gradCheck('reuse', (x) => wc.mul(wc.tanh(x), wc.sigmoid(x)), [{ v: Array.from(randomValues(5, 42, -2, 2)), shape: [5] }]);
  });
});
