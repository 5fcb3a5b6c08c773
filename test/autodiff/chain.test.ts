// Chained Tensor methods (x.add(y).relu()) are the ops themselves: each gives
// what its function form gives, gradients included.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';

const x = () => wc.tensor([[1, -2, 3], [-0.5, 4, 2]]);
const y = () => wc.tensor([0.5, 2, -1]);
const same = (a: wc.Tensor | wc.Tensor[], b: wc.Tensor | wc.Tensor[]) => {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  expect(as.map((t) => [t.shape, t.dtype, t.arraySync()])).toEqual(bs.map((t) => [t.shape, t.dtype, t.arraySync()]));
};

describe('chained Tensor methods', () => {
  it('binary, unary and comparison methods', () => {
    for (const name of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'squaredDifference', 'greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual', 'logicalAnd', 'prelu'] as const) {
      same(x()[name](y()), wc[name](x(), y()));
    }
    for (const name of ['neg', 'abs', 'exp', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sign', 'relu', 'relu6', 'sigmoid', 'tanh', 'softplus', 'elu', 'selu'] as const) {
      same(x()[name](), wc[name](x()));
    }
    same(x().leakyRelu(0.1), wc.leakyRelu(x(), 0.1));
    same(x().clipByValue(-1, 2), wc.clipByValue(x(), -1, 2));
    same(x().add(1).relu(), wc.relu(wc.add(x(), 1)));
  });

  it('reductions, products and layout methods', () => {
    for (const name of ['sum', 'mean', 'max', 'min', 'prod', 'logSumExp'] as const) same(x()[name](1, true), wc[name](x(), 1, true));
    same(x().argMax(1), wc.argMax(x(), 1));
    same(x().argMin(), wc.argMin(x()));
    same(x().softmax(), wc.softmax(x()));
    same(x().logSoftmax(0), wc.logSoftmax(x(), 0));
    same(x().matMul(x(), false, true), wc.matMul(x(), x(), false, true));
    same(y().dot(y()), wc.dot(y(), y()));
    same(x().transpose(), wc.transpose(x()));
    same(x().slice([0, 1], [2, 2]), wc.slice(x(), [0, 1], [2, 2]));
    same(x().concat(x(), 1), wc.concat([x(), x()], 1));
    same(x().concat([x(), x()]), wc.concat([x(), x(), x()]));
    same(y().stack(y()), wc.stack([y(), y()]));
    same(x().unstack(1), wc.unstack(x(), 1));
    same(x().split(3, 1), wc.split(x(), 3, 1));
    same(x().pad([[1, 0], [0, 2]], 7), wc.pad(x(), [[1, 0], [0, 2]], 7));
    same(x().gather([1, 0], 1), wc.gather(x(), [1, 0], 1));
    same(x().tile([2, 1]), wc.tile(x(), [2, 1]));
    same(x().expandDims(1), wc.expandDims(x(), 1));
    same(x().expandDims(0).squeeze(), wc.squeeze(wc.expandDims(x(), 0)));
    same(wc.tensor([0, 2]).oneHot(3), wc.oneHot(wc.tensor([0, 2]), 3));
    same(y().broadcastTo([2, 3]), wc.broadcastTo(y(), [2, 3]));
    same(x().reverse(1), wc.reverse(x(), 1));
    expect(x().flatten().shape).toEqual([6]);
    expect(wc.tensor([5]).asScalar().shape).toEqual([]);
    expect(x().as2D(3, 2).shape).toEqual([3, 2]);
    expect(x().reshapeAs(wc.zeros([6, 1])).shape).toEqual([6, 1]);
  });

  it('network ops and gradients through chains', () => {
    const img = wc.tensor(Float32Array.from({ length: 2 * 4 * 4 * 1 }, (_, i) => Math.sin(i)), [2, 4, 4, 1]);
    const k = wc.tensor(Float32Array.from({ length: 3 * 3 * 1 * 2 }, (_, i) => Math.cos(i)), [3, 3, 1, 2]);
    same(img.conv2d(k, 1, 'same'), wc.conv2d(img, k, 1, 'same'));
    same(img.maxPool(2, 2, 'valid'), wc.maxPool(img, 2, 2, 'valid'));
    same(img.avgPool(2, 1, 'same'), wc.avgPool(img, 2, 1, 'same'));
    same(img.batchNorm([0.5], [2], [0.1], [3]), wc.batchNorm(img, [0.5], [2], [0.1], [3]));
    const chained = wc.grad((t) => t.square().sum())(x());
    same(chained, wc.mul(x(), 2));
  });
});
