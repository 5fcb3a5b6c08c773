// Shape and layout ops on the CPU backend: answers worked out by hand, the
// error of each misuse, and a finite-difference check of every gradient.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { grad, grads } from '../../src/autodiff/gradients.js';
import { randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

const arr = (x: wc.Tensor) => x.arraySync();
const iota = (n: number, shape: number[]) => t(Array.from({ length: n }, (_, i) => i), shape);

describe('layout ops (cpu): values', () => {
  const m = () => t([1, 2, 3, 4, 5, 6], [2, 3]);

  it('reshape and transpose', () => {
    expect(arr(wc.reshape(m(), [3, -1]))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(arr(wc.reshape([1, 2, 3, 4], [2, 2]))).toEqual([[1, 2], [3, 4]]);
    expect(arr(wc.transpose(m()))).toEqual([[1, 4], [2, 5], [3, 6]]);
    // x[i, j, k] = 6i + 2j + k, shape [2, 3, 2]; perm [2, 0, 1]: y[k, i, j] = x[i, j, k].
    const y = wc.transpose(iota(12, [2, 3, 2]), [2, 0, 1]);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(arr(y)).toEqual([[[0, 2, 4], [6, 8, 10]], [[1, 3, 5], [7, 9, 11]]]);
    expect(arr(wc.transpose([1, 2, 3]))).toEqual([1, 2, 3]);
  });

  it('slice with numbers, arrays, -1 and missing axes', () => {
    expect(arr(wc.slice(m(), [0, 1], [2, 2]))).toEqual([[2, 3], [5, 6]]);
    expect(arr(wc.slice(m(), 1))).toEqual([[4, 5, 6]]);
    expect(arr(wc.slice(m(), [0, 2], [-1, 1]))).toEqual([[3], [6]]);
    expect(arr(wc.slice(m(), [1], [1]))).toEqual([[4, 5, 6]]);
    expect(wc.slice(m(), [0, 3], [2, 0]).shape).toEqual([2, 0]);
    expect(arr(wc.slice([1, 2, 3, 4], 1, 2))).toEqual([2, 3]);
  });

  it('concat, stack and unstack along positive and negative axes', () => {
    const a = t([1, 2, 3, 4], [2, 2]);
    const b = t([5, 6], [2, 1]);
    expect(arr(wc.concat([a, b], 1))).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect(arr(wc.concat([a, b], -1))).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect(arr(wc.concat([a, [[7, 8]]]))).toEqual([[1, 2], [3, 4], [7, 8]]);
    expect(arr(wc.concat([[1], [2, 3], []]))).toEqual([1, 2, 3]);
    expect(arr(wc.concat([a]))).toEqual([[1, 2], [3, 4]]);
    expect(arr(wc.stack([[1, 2], [3, 4], [5, 6]]))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(arr(wc.stack([[1, 2], [3, 4], [5, 6]], 1))).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(arr(wc.stack([[1, 2], [3, 4]], -1))).toEqual([[1, 3], [2, 4]]);
    expect(arr(wc.stack([1, 2]))).toEqual([1, 2]);
    expect(wc.unstack(m()).map(arr)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(wc.unstack(m(), -1).map(arr)).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('split into equal parts and given sizes', () => {
    expect(wc.split(m(), 3, 1).map(arr)).toEqual([[[1], [4]], [[2], [5]], [[3], [6]]]);
    expect(wc.split(m(), [1, -1], 1).map(arr)).toEqual([[[1], [4]], [[2, 3], [5, 6]]]);
    expect(wc.split(m(), 2).map(arr)).toEqual([[[1, 2, 3]], [[4, 5, 6]]]);
    const sizes = [2, -1];
    wc.split(m(), sizes, -1);
    expect(sizes).toEqual([2, -1]);
  });

  it('pad, tile, broadcastTo, reverse', () => {
    expect(arr(wc.pad(t([1, 2, 3, 4], [2, 2]), [[1, 0], [0, 2]], 9))).toEqual([[9, 9, 9, 9], [1, 2, 9, 9], [3, 4, 9, 9]]);
    expect(arr(wc.pad([1, 2], [[1, 1]], -Infinity))).toEqual([-Infinity, 1, 2, -Infinity]);
    expect(arr(wc.tile(t([1, 2], [1, 2]), [2, 3]))).toEqual([[1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2]]);
    expect(wc.tile([1, 2], [0]).shape).toEqual([0]);
    expect(arr(wc.broadcastTo([1, 2, 3], [2, 3]))).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(arr(wc.broadcastTo(t([1, 2], [2, 1]), [2, 2, 3]))).toEqual([[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]]);
    expect(wc.broadcastTo(t([1, 2], [2]), [2]).shape).toEqual([2]);
    expect(arr(wc.reverse(m()))).toEqual([[6, 5, 4], [3, 2, 1]]);
    expect(arr(wc.reverse(m(), 1))).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(arr(wc.reverse(m(), [-2]))).toEqual([[4, 5, 6], [1, 2, 3]]);
  });

  it('expandDims and squeeze', () => {
    expect(wc.expandDims(m()).shape).toEqual([1, 2, 3]);
    expect(wc.expandDims(m(), 2).shape).toEqual([2, 3, 1]);
    expect(wc.expandDims(m(), -1).shape).toEqual([2, 3, 1]);
    expect(wc.expandDims(m(), -3).shape).toEqual([1, 2, 3]);
    const s = t([1, 2, 3], [1, 3, 1]);
    expect(wc.squeeze(s).shape).toEqual([3]);
    expect(wc.squeeze(s, [0]).shape).toEqual([3, 1]);
    expect(wc.squeeze(s, -1).shape).toEqual([1, 3]);
    expect(arr(wc.squeeze(s))).toEqual([1, 2, 3]);
  });

  it('gather along axes, with int32, float32 and array indices, and batchDims', () => {
    expect(arr(wc.gather(m(), [1, 0, 1]))).toEqual([[4, 5, 6], [1, 2, 3], [4, 5, 6]]);
    expect(arr(wc.gather(m(), t([2, 0], [2]), 1))).toEqual([[3, 1], [6, 4]]);
    expect(arr(wc.gather(m(), [[2], [1]], -1))).toEqual([[[3], [2]], [[6], [5]]]);
    const int = wc.oneHot([0, 1], 3).reshape([6]);
    expect(int.dtype).toBe('int32');
    expect(arr(wc.gather(m(), wc.gather(t([5, 2, 0], [3]), [1]), 1))).toEqual([[3], [6]]);
    expect(wc.gather(int, [1, 2]).dtype).toBe('int32');
    // batchDims 1: row b picks its own indices.
    expect(arr(wc.gather(m(), [[2, 0], [1, 1]], 1, 1))).toEqual([[3, 1], [5, 5]]);
    expect(arr(wc.gather(m(), [1.9, 0.2], 1))).toEqual([[2, 1], [5, 4]]);
  });

  it('oneHot: int32 by default, float32 on request, rows of off outside [0, depth)', () => {
    const y = wc.oneHot([0, 2, 3, -1], 3);
    expect(y.dtype).toBe('int32');
    expect(y.dataSync()).toBeInstanceOf(Int32Array);
    expect(arr(y)).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]]);
    const f = wc.oneHot(t([1, 0], [2, 1]), 2, 0.5, -0.25, 'float32');
    expect(f.dtype).toBe('float32');
    expect(f.shape).toEqual([2, 1, 2]);
    expect(arr(f)).toEqual([[[-0.25, 0.5]], [[0.5, -0.25]]]);
    expect(arr(wc.oneHot([1], 2, 2.7, 0.9))).toEqual([[0, 2]]);
  });

  it('keeps int32 through the copies', () => {
    const i = wc.oneHot([1, 0], 2);
    for (const y of [wc.transpose(i), wc.slice(i, 1), wc.pad(i, [[0, 1], [0, 0]]), wc.tile(i, [1, 2]), wc.reverse(i),
      wc.concat([i, i]), wc.stack([i, i]), wc.broadcastTo(i, [2, 2, 2]), ...wc.split(i, 2), ...wc.unstack(i), wc.expandDims(i), wc.squeeze(i)]) {
      expect(y.dtype).toBe('int32');
    }
    expect(wc.concat([i, t([1, 2], [1, 2])]).dtype).toBe('float32');
  });

  it('frees its intermediates outside tidy (stack, unstack, broadcastTo)', () => {
    const x = t([1, 2, 3, 4], [2, 2]);
    const before = wc.memory().numTensors;
    const outs = [wc.stack([x, x]), ...wc.unstack(x), wc.broadcastTo(t([1, 2], [2]), [3, 2])];
    expect(wc.memory().numTensors - before).toBe(outs.length + 1);
    for (const o of outs) o.dispose();
  });
});

describe('layout ops (cpu): errors name the op', () => {
  const m = () => t([1, 2, 3, 4, 5, 6], [2, 3]);

  it('transpose, slice, concat, stack, unstack, split', () => {
    expect(() => wc.transpose(m(), [0])).toThrow(/^transpose: perm \[0\] must have one entry per axis of x \[2, 3\] \(rank 2\)/);
    expect(() => wc.transpose(m(), [0, 0])).toThrow(/^transpose: perm \[0,0\] must be a permutation of the axes 0..1/);
    expect(() => wc.transpose(m(), [-1, 0])).toThrow(/^transpose: perm/);
    expect(() => wc.slice(t([1], []), 0)).toThrow(/^slice: cannot slice a scalar/);
    expect(() => wc.slice(m(), [-1, 0])).toThrow(/^slice: begin\[0\] = -1 must be an integer in \[0, 2\]/);
    expect(() => wc.slice(m(), [0, 1], [1, 3])).toThrow(/^slice: begin\[1\] \+ size\[1\] \(4\) would overflow x.shape\[1\] \(3\)/);
    expect(() => wc.slice(m(), [0, 0], [-2, 1])).toThrow(/^slice: size\[0\] = -2 must be a non-negative integer or -1/);
    expect(() => wc.slice(m(), [0, 0, 0])).toThrow(/^slice: begin \[0,0,0\] and size undefined must have at most one entry per axis/);
    expect(() => wc.concat([])).toThrow(/^concat: expected at least one tensor, got none/);
    expect(() => wc.concat([m(), t([1, 2], [1, 2])], 0)).toThrow(/^concat: tensors\[1\] has shape \[1, 2\], which does not match \[2, 3\] of tensors\[0\] on every axis but 0/);
    expect(() => wc.concat([m(), m()], 2)).toThrow(/^concat: axis 2 is out of range for a tensor of rank 2 \(expected an integer in \[-2, 2\)\)/);
    expect(() => wc.concat([1, 2])).toThrow(/^concat: cannot concatenate scalars/);
    expect(() => wc.stack([m(), t([1, 2], [2])])).toThrow(/^stack: every tensor must have the shape of tensors\[0\], \[2, 3\]; tensors\[1\] has \[2\]/);
    expect(() => wc.stack([m()], 3)).toThrow(/^stack: axis 3 is out of range for a new axis of a tensor of rank 2 \(expected an integer in \[-3, 2\]\)/);
    expect(() => wc.stack([])).toThrow(/^stack: expected at least one tensor/);
    expect(() => wc.unstack(m(), 2)).toThrow(/^unstack: axis 2 is out of range/);
    expect(() => wc.unstack(t([1], []))).toThrow(/^unstack: cannot unstack a scalar/);
    expect(() => wc.split(m(), 2, 1)).toThrow(/^split: 2 splits do not evenly divide axis 1 of size 3/);
    expect(() => wc.split(m(), [-1, -1], 1)).toThrow(/^split: at most one size may be -1/);
    expect(() => wc.split(m(), [1, 1], 1)).toThrow(/^split: the sizes \[1,1\] must add up to axis 1's size 3/);
    expect(() => wc.split(m(), [4, -1], 1)).toThrow(/^split: the sizes \[4,-1\] must add up/);
  });

  it('pad, gather, tile, expandDims, squeeze, oneHot, broadcastTo, reverse', () => {
    expect(() => wc.pad(m(), [[1, 1]])).toThrow(/^pad: expected paddings of 2 \[before, after\] pairs of non-negative integers for x \[2, 3\], got \[\[1,1\]\]/);
    expect(() => wc.pad(m(), [[1, 1], [0, -1]])).toThrow(/^pad: expected paddings/);
    expect(() => wc.pad(t([1], []), [])).toThrow(/^pad: cannot pad a scalar/);
    expect(() => wc.gather(m(), [2])).toThrow(/^gather: the index value 2 is not in \[0, 1\]/);
    expect(() => wc.gather(m(), [-1], 1)).toThrow(/^gather: the index value -1 is not in \[0, 2\]/);
    expect(() => wc.gather(m(), [0], 2)).toThrow(/^gather: axis 2 is out of range/);
    expect(() => wc.gather(t([1], []), [0])).toThrow(/^gather: x must have rank >= 1/);
    expect(() => wc.gather(m(), [[0], [1]], 0, 1)).toThrow(/^gather: batchDims \(1\) must be less than or equal to axis \(0\)/);
    expect(() => wc.gather(m(), [[0], [1], [0]], 1, 1)).toThrow(/^gather: x.shape\[0\] \(2\) must equal indices.shape\[0\] \(3\)/);
    expect(() => wc.gather(m(), [0], 1, 2)).toThrow(/^gather: batchDims 2 must be an integer in \[-1, 1\]/);
    expect(() => wc.tile(m(), [2])).toThrow(/^tile: reps \[2\] must have one entry per axis of x \[2, 3\] \(rank 2\)/);
    expect(() => wc.tile(m(), [1, -1])).toThrow(/^tile: expected reps of non-negative integers, got \[1,-1\]/);
    expect(() => wc.expandDims(m(), 3)).toThrow(/^expandDims: axis 3 is out of range for a new axis of a tensor of rank 2/);
    expect(() => wc.expandDims(m(), -4)).toThrow(/^expandDims: axis -4 is out of range/);
    expect(() => wc.squeeze(m(), 0)).toThrow(/^squeeze: cannot squeeze axis 0 of x \[2, 3\]: its size is 2, not 1/);
    expect(() => wc.squeeze(m(), 5)).toThrow(/^squeeze: axis 5 is out of range/);
    expect(() => wc.oneHot([0], 1)).toThrow(/^oneHot: depth must be an integer >= 2, got 1/);
    expect(() => wc.oneHot([0], 2, 1, 0, 'bool' as 'int32')).toThrow(/^oneHot: dtype must be 'int32' or 'float32'/);
    expect(() => wc.oneHot([0], 2, Number.NaN, 0, 'float32')).toThrow(/^oneHotRows: expected finite on and off values/);
    expect(() => wc.broadcastTo(m(), [3])).toThrow(/^broadcastTo: cannot broadcast \[2, 3\] to \[3\], which has fewer axes/);
    expect(() => wc.broadcastTo(m(), [4, 3])).toThrow(/^broadcastTo: cannot broadcast \[2, 3\] to \[4, 3\]: axis 0 has size 2, not 1 or 4/);
    expect(() => wc.reverse(m(), 2)).toThrow(/^reverse: axis 2 is out of range/);
    expect(() => wc.reshape(m(), [4, 2])).toThrow(/^reshape: cannot reshape \[2, 3\]/);
    expect(() => wc.transpose('x' as unknown as number[])).toThrow(/^transpose: argument 'x' must be a Tensor or TensorLike/);
  });

  it('the kernels check what the ops do not', () => {
    const x = m();
    expect(() => wc.ops.stridedCopy(x, { shape: [2], axes: [], fill: 0 })).toThrow(/^stridedCopy: a plan for x of rank 2 needs 2 output axes/);
    expect(() => wc.ops.stridedCopy(x, { shape: [2, 3], axes: [{ from: 0, wrap: 2, step: 1, shift: 0 }, { from: 0, wrap: 3, step: 1, shift: 0 }], fill: 0 }))
      .toThrow(/^stridedCopy: output axis 1 has an invalid read/);
    expect(() => wc.ops.concatAxis([x, t([1], [1, 1])], 0)).toThrow(/^concatAxis: every tensor must match \[2, 3\] on all axes but 0/);
    expect(() => wc.ops.tileSum(x, [2, 2])).toThrow(/^tileSum: dy \[2, 3\] is not a tiling of \[2, 2\]/);
    expect(() => wc.ops.gatherAxisBackward(x, t([0], [1]), [2, 3], 0, 0)).toThrow(/^gatherAxisBackward: expected dy of shape \[1, 3\], got \[2, 3\]/);
    expect(() => wc.ops.oneHotRows(t([0], [1]), -1, 1, 0)).toThrow(/^oneHotRows: expected a non-negative integer depth/);
  });
});

describe('layout ops (cpu): finite-difference gradients', () => {
  /** d dot(f(x), r) / dx by central differences against grad(f)(x, r). */
  function check(label: string, shape: number[], f: (x: wc.Tensor) => wc.Tensor, seed: number): void {
    const xv = randomValues(shape.reduce((a, b) => a * b, 1), seed);
    const yShape = wc.tidy(() => [...f(t(xv, shape)).shape]);
    const size = yShape.reduce((a, b) => a * b, 1);
    const read = (make: () => wc.Tensor): Float32Array => {
      const y = wc.tidy(make);
      const v = y.dataSync().slice();
      y.dispose();
      return v;
    };
    checkGradient(label, xv, size, (p) => read(() => f(t(p, shape))), (r) => read(() => grad(f)(t(xv, shape), t(r, yShape))), seed + 1);
  }

  it('of each op', () => {
    check('reshape', [2, 3], (x) => wc.reshape(x, [3, 2]), 1);
    check('transpose', [2, 3, 4], (x) => wc.transpose(x, [1, 2, 0]), 2);
    check('transpose default', [2, 3], (x) => wc.transpose(x), 3);
    check('slice', [3, 4, 2], (x) => wc.slice(x, [1, 0, 1], [2, -1, 1]), 4);
    check('pad', [2, 3], (x) => wc.pad(x, [[1, 2], [0, 1]], 3), 5);
    check('tile', [2, 3], (x) => wc.tile(x, [3, 2]), 6);
    check('broadcastTo', [3, 1], (x) => wc.broadcastTo(x, [2, 3, 4]), 7);
    check('broadcastTo leading', [4], (x) => wc.broadcastTo(x, [3, 4]), 8);
    check('reverse', [2, 3, 2], (x) => wc.reverse(x, [0, 2]), 9);
    check('expandDims', [2, 3], (x) => wc.expandDims(x, 1), 10);
    check('squeeze', [2, 1, 3], (x) => wc.squeeze(x), 11);
    check('gather', [4, 3], (x) => wc.gather(x, [3, 0, 3, 1]), 12);
    check('gather axis 1, 2-D indices', [2, 4, 3], (x) => wc.gather(x, [[0, 3], [3, 3]], 1), 13);
    check('gather batchDims', [2, 4, 3], (x) => wc.gather(x, [[0, 3, 3], [1, 1, 2]], 1, 1), 14);
    check('concat with itself', [2, 3], (x) => wc.concat([x, wc.reverse(x), x], 1), 15);
    check('stack', [2, 3], (x) => wc.stack([x, wc.transpose(wc.transpose(x))], -1), 16);
    check('unstack', [3, 2], (x) => wc.stack(wc.unstack(x, 1).reverse()), 17);
    check('split', [4, 3], (x) => wc.concat(wc.split(x, [1, -1, 2]).reverse()), 18);
    check('split one part', [4, 3], (x) => wc.split(x, 3, 1)[1], 19);
    check('composition', [2, 3], (x) => wc.gather(wc.tile(wc.pad(wc.transpose(x), [[1, 0], [0, 1]]), [1, 2]), [0, 3, 3], 1), 20);
  });

  it('of concat and stack for each input, and none for the indices', () => {
    const a = t(randomValues(6, 30), [2, 3]);
    const b = t(randomValues(4, 31), [2, 2]);
    const dy = t(randomValues(10, 32), [2, 5]);
    const [da, db] = grads((p, q) => wc.concat([p, q], 1))([a, b], dy);
    expect(arr(da)).toEqual(arr(wc.slice(dy, [0, 0], [2, 3])));
    expect(arr(db)).toEqual(arr(wc.slice(dy, [0, 3], [2, 2])));
    const [ds0, ds1] = grads((p, q) => wc.stack([p, q], 1))([a, a], t(randomValues(12, 33), [2, 2, 3]));
    expect(ds0.shape).toEqual([2, 3]);
    expect(ds1.shape).toEqual([2, 3]);
    const idx = t([1, 0], [2]);
    expect(arr(grad((x) => wc.gather(x, idx))(a))).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(() => grads((x, i) => wc.gather(x, i))([a, idx])).toThrow(/with respect to argument 1: y does not depend on it/);
  });

  it('leaves memory flat over repeated gradient calls', () => {
    const x = t(randomValues(12, 40), [3, 4]);
    const f = (v: wc.Tensor) => wc.gather(wc.concat([...wc.split(wc.tile(v, [1, 2]), 2, 1), wc.broadcastTo(wc.slice(v, 1, 1), [3, 4])], 0), [0, 2], 1);
    const step = () => grad(f)(x).dispose();
    step();
    const before = wc.memory();
    for (let i = 0; i < 200; i++) step();
    expect(wc.memory()).toEqual(before);
  });
});
