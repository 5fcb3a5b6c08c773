import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { ActivationKind } from '../../src/index.js';
import { dot, expectClose, numericGradient, randomValues } from '../util/check.js';

const { activation, activationBackward, activationBiasBackward, softmax, softmaxBackward } = wc.ops;

// Forward values are float32 results of float64 math: 1e-6 relative covers the rounding.
const F32 = { atol: 1e-6, rtol: 1e-6 };
// Central differences with eps 1e-2 on float32 inputs: O(eps^2) truncation plus
// float32 rounding of f amplified by 1/(2 eps) leaves about 1e-3 of error.
const FD = { atol: 2e-3, rtol: 2e-3 };

describe('activation (cpu)', () => {
  it('relu of a 3x3 by hand', () => {
    const x = wc.tensor([-1, 3, 2, 1, -2, 1, -1, 1, 3], [3, 3]);
    expect([...activation(x, 'relu', 0).dataSync()]).toEqual([0, 3, 2, 1, 0, 1, 0, 1, 3]);
  });

  it('leakyRelu, elu, sigmoid, tanh, linear by hand', () => {
    const x = wc.tensor([-2, 0, 1.5], [3]);
    expectClose(activation(x, 'leakyRelu', 0.3).dataSync(), [-0.6, 0, 1.5], F32, 'leakyRelu');
    // elu(-2) = e^-2 - 1 = -0.8646647
    expectClose(activation(x, 'elu', 1).dataSync(), [-0.86466472, 0, 1.5], F32, 'elu');
    // sigmoid(-2) = 1/(1+e^2) = 0.1192029, sigmoid(1.5) = 0.8175745
    expectClose(activation(x, 'sigmoid', 0).dataSync(), [0.11920292, 0.5, 0.81757448], F32, 'sigmoid');
    // tanh(-2) = -0.9640276, tanh(1.5) = 0.9051483
    expectClose(activation(x, 'tanh', 0).dataSync(), [-0.96402758, 0, 0.90514825], F32, 'tanh');
    expectClose(activation(x, 'linear', 0).dataSync(), [-2, 0, 1.5], F32, 'linear');
  });

  it('gradients at the kink follow TF.js: relu(0) and leakyRelu(0) take the x <= 0 side, elu(0) gets dy', () => {
    const x = wc.tensor([0, 0], [2]);
    const dy = wc.tensor([1, 1], [2]);
    expect([...activationBackward(dy, x, activation(x, 'relu', 0), 'relu', 0).dataSync()]).toEqual([0, 0]);
    expectClose(activationBackward(dy, x, activation(x, 'leakyRelu', 0.3), 'leakyRelu', 0.3).dataSync(), [0.3, 0.3], F32);
    expect([...activationBackward(dy, x, activation(x, 'elu', 1), 'elu', 1).dataSync()]).toEqual([1, 1]);
  });

  it('softmax by hand, and stable for large logits', () => {
    // exp(2.33)=10.2779, exp(-1.46)=0.23224, exp(0.56)=1.75067; sum 12.2608
    expectClose(softmax(wc.tensor([2.33, -1.46, 0.56], [1, 3])).dataSync(), [0.83827314, 0.01894129, 0.14278557], F32, 'softmax');
    expect([...softmax(wc.tensor([1000, 1000], [1, 2])).dataSync()]).toEqual([0.5, 0.5]);
    expectClose(softmax(wc.tensor([1000, 0, -1000, -1000], [2, 2])).dataSync(), [1, 0, 0.5, 0.5], F32, 'rows');
  });

  const kinds: [ActivationKind, number][] = [['linear', 0], ['relu', 0], ['leakyRelu', 0.3], ['elu', 1], ['elu', 0.7], ['sigmoid', 0], ['tanh', 0]];
  for (const [kind, alpha] of kinds) {
    it(`${kind}(alpha ${alpha}) backward matches finite differences`, () => {
      // Inputs at least 0.1 away from the kink at 0 so that x +- eps stays on one side.
      const xv = randomValues(24, 7, -2, 2).map((v) => (Math.abs(v) < 0.1 ? v + 0.3 * Math.sign(v || 1) : v));
      const r = randomValues(24, 8);
      const x = wc.tensor(xv, [2, 3, 4]);
      const y = activation(x, kind, alpha);
      const dx = activationBackward(wc.tensor(r, [2, 3, 4]), x, y, kind, alpha).dataSync();
      const f = (p: Float32Array): number => dot(activation(wc.tensor(p, [2, 3, 4]), kind, alpha).dataSync(), r);
      expectClose(dx, numericGradient(f, xv), FD, kind);
    });
  }

  it('activationBiasBackward: dz as activationBackward gives it, db its column sums (by hand for relu)', () => {
    // x [3, 2] rows (1, -1), (-2, 3), (0.5, 0): relu passes dy where x > 0
    const x = wc.tensor([1, -1, -2, 3, 0.5, 0], [3, 2]);
    const dy = wc.tensor([0.5, 2, 4, -1, 0.25, 8], [3, 2]);
    const { dz, db } = activationBiasBackward(dy, x, activation(x, 'relu', 0), 'relu', 0);
    expect([...dz.dataSync()]).toEqual([0.5, 0, 0, -1, 0.25, 0]);
    expect(db.shape).toEqual([2]);
    expect([...db.dataSync()]).toEqual([0.75, -1]);
    for (const [kind, alpha] of kinds) {
      const xv = wc.tensor(randomValues(24, 9, -2, 2), [2, 3, 4]);
      const y = activation(xv, kind, alpha);
      const r = wc.tensor(randomValues(24, 10), [2, 3, 4]);
      const fused = activationBiasBackward(r, xv, y, kind, alpha);
      const apart = activationBackward(r, xv, y, kind, alpha);
      expect([...fused.dz.dataSync()], kind).toEqual([...apart.dataSync()]);
      expect([...fused.db.dataSync()], kind).toEqual([...wc.ops.biasAddBackward(apart).dataSync()]);
    }
    expect(() => activationBiasBackward(dy, x, wc.tensor([1, 2], [2]), 'relu', 0)).toThrow(/^activationBiasBackward: x and y must have the same shape/);
  });

  it('softmax backward matches finite differences of L = dot(softmax(x), r)', () => {
    const xv = randomValues(15, 11, -3, 3);
    const r = randomValues(15, 12);
    const y = softmax(wc.tensor(xv, [3, 5]));
    const dx = softmaxBackward(wc.tensor(r, [3, 5]), y).dataSync();
    const f = (p: Float32Array): number => dot(softmax(wc.tensor(p, [3, 5])).dataSync(), r);
    expectClose(dx, numericGradient(f, xv), FD, 'softmaxBackward');
  });

  it('rejects unknown kinds and mismatched shapes, naming the op', () => {
    const x = wc.tensor([1, 2], [2]);
    expect(() => activation(x, 'gelu' as ActivationKind, 0)).toThrow(
      /activation: expected kind to be one of 'linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'sigmoid', 'tanh', got 'gelu'/);
    expect(() => activationBackward(wc.tensor([1, 2, 3], [3]), x, x, 'relu', 0)).toThrow(
      /activationBackward: dy and x must have the same shape, got \[3\] and \[2\]/);
    expect(() => softmaxBackward(x, wc.tensor([1, 2], [1, 2]))).toThrow(/softmaxBackward: dy and y must have the same shape/);
    expect(() => softmax(wc.tensor([1], []))).toThrow(/softmax: expected x of rank >= 1/);
  });
});
