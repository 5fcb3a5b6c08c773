// The tape and the gradient functions on ops whose gradients are known by
// hand (customGrad over the same-shape kernels), variables, optimizer.minimize,
// memory over many gradient calls, and the creation ops' values.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';

const t = (v: number[], s: number[]) => wc.tensor(Float32Array.from(v), s);
const vals = (x: wc.Tensor) => Array.from(x.dataSync());

/** square(x) with its gradient 2x·dy, through customGrad: the only differentiable op this file needs. */
const square = wc.customGrad((x, save) => {
  const xt = x as wc.Tensor;
  (save as (ts: wc.Tensor[]) => void)([xt]);
  return { value: wc.ops.mul(xt, xt), gradFunc: (dy, [saved]) => wc.ops.scale(wc.ops.mul(dy, saved), 2) };
});
/** The sum of all values, a scalar; its gradient spreads dy over x's shape (read on the CPU: a test helper). */
const sumAll = wc.customGrad((x) => {
  const xt = x as wc.Tensor;
  return {
    value: wc.ops.sum(xt).reshape([]),
    gradFunc: (dy) => wc.fill(xt.shape as number[], dy.dataSync()[0]),
  };
});
/** a·b with gradients [dy·b, dy·a]. */
const times = wc.customGrad((a, b) => ({
  value: wc.ops.mul(a as wc.Tensor, b as wc.Tensor),
  gradFunc: (dy) => wc.ops.mulBackward(dy, a as wc.Tensor, b as wc.Tensor),
}));

describe('gradient functions', () => {
  it('grad and valueAndGrad of square: 2x, with dy weighting', () => {
    const x = t([1, -2, 3], [3]);
    expect(vals(wc.grad(square)(x))).toEqual([2, -4, 6]);
    expect(vals(wc.grad(square)(x, t([1, 0.5, 2], [3])))).toEqual([2, -2, 12]);
    const { value, grad } = wc.valueAndGrad(square)(x);
    expect(vals(value)).toEqual([1, 4, 9]);
    expect(vals(grad)).toEqual([2, -4, 6]);
  });

  it('grads and valueAndGrads of a product; a reused input sums its gradients', () => {
    const a = t([2, 3], [2]);
    const b = t([5, -1], [2]);
    const [da, db] = wc.grads((p, q) => times(p, q))([a, b]);
    expect(vals(da)).toEqual([5, -1]);
    expect(vals(db)).toEqual([2, 3]);
    // f(a) = a·a through two uses of a: d/da = 2a
    const { value, grads } = wc.valueAndGrads((p) => times(p, p))([a]);
    expect(vals(value)).toEqual([4, 9]);
    expect(vals(grads[0])).toEqual([4, 6]);
  });

  it('flows through reshape views and chains', () => {
    const x = t([1, 2, 3, 4], [2, 2]);
    // f(x) = square(square(x)) = x^4 through two reshapes: d/dx = 4x^3
    const g = wc.grad((v) => square(square(v).reshape([4])).reshape([2, 2]))(x);
    expect(g.shape).toEqual([2, 2]);
    expect(vals(g)).toEqual([4, 32, 108, 256]);
  });

  it('refuses what TF.js refuses: an input f does not use, a bad dy, gradients of gradients', () => {
    const x = t([1, 2], [2]);
    const y = t([3, 4], [2]);
    expect(() => wc.grads((p) => square(p))([x, y])).toThrow(/does not depend on it/);
    expect(() => wc.grad(square)(x, t([1, 2, 3], [3]))).toThrow(/dy has shape \[3\] but f returned shape \[2\]/);
    expect(() => wc.grad((v) => wc.grad(square)(v))(x)).toThrow(/gradients of gradients .* are not supported/);
    expect(() => wc.grad((() => 3) as unknown as (v: wc.Tensor) => wc.Tensor)(x)).toThrow(/must be a Tensor/);
  });

  it('frees everything but the gradient: memory stays flat over 1,000 calls', () => {
    const x = t([0.5, -1.5, 2], [3]);
    const g = wc.grad((v) => square(times(v, v)));
    wc.grad(square)(x).dispose();
    const before = wc.memory();
    for (let i = 0; i < 1000; i++) g(x).dispose();
    expect(wc.memory()).toEqual(before);
    for (let i = 0; i < 1000; i++) wc.tidy(() => { wc.valueAndGrads((p, q) => times(p, q))([x, x]); });
    expect(wc.memory()).toEqual(before);
  });
});

describe('variables, variableGrads and optimizer.minimize', () => {
  it('variableGrads differentiates with respect to the trainable variables f uses', () => {
    const w = wc.variable(t([1, 2], [2]), true, 'core_w');
    const frozen = wc.variable(t([3, 4], [2]), false, 'core_frozen');
    const unused = wc.variable(t([5], [1]), true, 'core_unused');
    const sumOf = sumAll;
    const { value, grads } = wc.variableGrads(() => sumOf(times(square(w), frozen)));
    expect(vals(value)).toEqual([1 * 3 + 4 * 4]);
    expect(Object.keys(grads)).toEqual(['core_w']);
    expect(vals(grads.core_w)).toEqual([2 * 1 * 3, 2 * 2 * 4]);
    // an explicit varList includes non-trainable ones
    const both = wc.variableGrads(() => sumOf(times(w, frozen)), [w, frozen]);
    expect(vals(both.grads.core_frozen)).toEqual([1, 2]);
    expect(() => wc.variableGrads(() => times(w, frozen))).toThrow(/must return a scalar, got shape \[2\]/);
    expect(() => wc.variable(t([1], [1]), true, 'core_w')).toThrow(/already exists/);
    for (const v of [w, frozen, unused]) v.dispose();
  });

  it('minimize takes one SGD step on each variable and returns the cost when asked', () => {
    const w = wc.variable(t([1, -2], [2]), true, 'core_m');
    const opt = wc.optimizers.sgd({ learningRate: 0.25 });
    const loss = () => sumAll(square(w));
    const cost = opt.minimize(loss, true);
    expect(vals(cost as wc.Tensor)).toEqual([5]);
    // w -= 0.25 · 2w
    expect(vals(w)).toEqual([0.5, -1]);
    expect(opt.minimize(loss)).toBeNull();
    expect(vals(w)).toEqual([0.25, -0.5]);
    // applyGradients by name, as TF.js
    opt.applyGradients({ core_m: t([1, 1], [2]) });
    expect(vals(w)).toEqual([0, -0.75]);
    opt.applyGradients([{ name: 'core_m', tensor: t([-4, 3], [2]) }]);
    expect(vals(w)).toEqual([1, -1.5]);
    expect(() => opt.applyGradients({ nope: t([1], [1]) })).toThrow(/no variable or layer weight named 'nope'/);
    expect(() => opt.applyGradients({ core_m: t([1], [1]) })).toThrow(/has shape \[2\], its gradient \[1\]/);
    w.dispose();
  });

  it('adam keeps its slots per variable across minimize calls', () => {
    const w = wc.variable(t([1], [1]), true, 'core_adam');
    const opt = wc.optimizers.adam({ learningRate: 0.1 });
    for (let i = 0; i < 3; i++) opt.minimize(() => sumAll(square(w)));
    // Adam's first steps move by about lr each (m/sqrt(v) ≈ ±1)
    expect(w.dataSync()[0]).toBeCloseTo(0.7, 2);
    w.dispose();
    opt.dispose();
  });

  it('assign copies values in, with checks', () => {
    const v = wc.variable([1, 2, 3]);
    v.assign(t([4, 5, 6], [3]));
    expect(vals(v)).toEqual([4, 5, 6]);
    expect(() => v.assign(t([1], [1]))).toThrow(/has shape \[3\], the new value \[1\]/);
    expect(v.name).toMatch(/^Variable_\d+$/);
    // not collected by tidy, as in TF.js
    const kept = wc.tidy(() => wc.variable([1]));
    expect(kept.isDisposed).toBe(false);
    kept.dispose();
    v.dispose();
  });
});

describe('creation ops', () => {
  it('constants, ranges and dtypes as TF.js makes them', async () => {
    expect(wc.scalar(3).shape).toEqual([]);
    expect(await wc.scalar(3).array()).toBe(3);
    expect(vals(wc.zeros([2, 2]))).toEqual([0, 0, 0, 0]);
    expect(await wc.ones([2, 1]).array()).toEqual([[1], [1]]);
    expect(vals(wc.fill([3], 7))).toEqual([7, 7, 7]);
    const i = wc.fill([2], 2.7, 'int32');
    expect(i.dtype).toBe('int32');
    expect(i.dataSync()).toEqual(Int32Array.from([2, 2]));
    expect(vals(wc.range(5))).toEqual([0, 1, 2, 3, 4]);
    expect(vals(wc.range(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(vals(wc.range(5, 1, -2))).toEqual([5, 3]);
    expect(wc.range(1, 5, -1).shape).toEqual([0]);
    expect(vals(wc.linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const x = t([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(wc.zerosLike(x).shape).toEqual([2, 3]);
    expect(vals(wc.onesLike(x))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(await x.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(x.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(wc.tensor2d([[1, 2]]).shape).toEqual([1, 2]);
    expect(() => wc.tensor2d([1, 2])).toThrow(/tensor2d: expected values of rank 2/);
    expect(() => wc.range(0, 1, 0)).toThrow(/step cannot be 0/);
    expect(() => wc.zeros([2, -1])).toThrow(/non-negative integers/);
    expect(() => wc.zeros([2 ** 20, 2 ** 20])).toThrow(/more than/);
  });

  it('seeded random draws repeat; their moments and bounds hold', () => {
    const a = vals(wc.randomNormal([4000], 2, 3, undefined, 7));
    expect(vals(wc.randomNormal([4000], 2, 3, undefined, 7))).toEqual(a);
    expect(vals(wc.randomNormal([4000], 2, 3, undefined, 8))).not.toEqual(a);
    const mean = a.reduce((p, v) => p + v, 0) / a.length;
    const sd = Math.sqrt(a.reduce((p, v) => p + (v - mean) ** 2, 0) / a.length);
    expect(mean).toBeCloseTo(2, 0);
    expect(sd).toBeGreaterThan(2.8);
    expect(sd).toBeLessThan(3.2);
    const tn = vals(wc.truncatedNormal([4000], 0, 1, undefined, 1));
    expect(Math.max(...tn.map(Math.abs))).toBeLessThanOrEqual(2);
    const u = vals(wc.randomUniform([4000], -1, 3, undefined, 2));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(u.reduce((p, v) => p + v, 0) / u.length).toBeCloseTo(1, 0);
    const ints = wc.randomUniform([100], 0, 10, 'int32', 3).dataSync();
    expect(ints.every((v) => Number.isInteger(v) && v >= 0 && v < 10)).toBe(true);
  });
});
