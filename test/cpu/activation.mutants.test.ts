// CPU activations at their edges, by hand: sigmoid at |x| large enough that
// the wrong one of its two formulas overflows to NaN, each backward at the
// kink x = 0 with an alpha that shows which side was taken, alpha ignored
// where it does not apply; and the CPU storage's own errors.
// Written to kill StrykerJS mutants (docs/MUTATION.md).

import { describe, expect, it, vi } from 'vitest';
import * as wc from '../../src/index.js';
import { CpuBackend } from '../../src/backend/cpu/index.js';
import { kernelsOf } from '../../src/kernels/registry.js';

const { activation, activationBackward } = wc.ops;

const values = (t: wc.Tensor) => [...t.dataSync()];

describe('sigmoid: each branch where the other overflows', () => {
  it('sigmoid(800) = 1 and sigmoid(-800) = 0 (exp(800) is Infinity: Infinity / Infinity would be NaN)', () => {
    expect(values(activation(wc.tensor([800, -800, 0, 100, -100], [5]), 'sigmoid', 0))).toEqual([1, 0, 0.5, 1, Math.fround(1 / (1 + Math.exp(100)))]);
  });
});

describe('backward at the kink x = 0, alpha chosen to show the side', () => {
  const x = wc.tensor([0, -1, 2], [3]);
  const dy = wc.tensor([4, 4, 4], [3]);

  it('relu: x == 0 gets no gradient, and alpha plays no part', () => {
    const y = activation(x, 'relu', 0);
    expect(values(activationBackward(dy, x, y, 'relu', 0.5))).toEqual([0, 0, 4]);
  });

  it('leakyRelu: x == 0 gets alpha * dy', () => {
    const y = activation(x, 'leakyRelu', 0.5);
    expect(values(activationBackward(dy, x, y, 'leakyRelu', 0.5))).toEqual([2, 2, 4]);
  });

  it('elu with alpha 0.5: x == 0 gets dy * (y + alpha) = 2, not dy', () => {
    const y = activation(x, 'elu', 0.5);
    // y(-1) = 0.5 * (e^-1 - 1) = -0.31606028; dx = 4 * (y + 0.5) = 0.73575888
    expect(values(activationBackward(dy, x, y, 'elu', 0.5))).toEqual([2, Math.fround(4 * (Math.fround(0.5 * Math.expm1(-1)) + 0.5)), 4]);
  });

  it('linear, sigmoid and tanh ignore alpha', () => {
    for (const kind of ['linear', 'sigmoid', 'tanh'] as const) {
      const y = activation(x, kind, 0);
      expect(values(activationBackward(dy, x, y, kind, 7)), kind).toEqual(values(activationBackward(dy, x, y, kind, 0)));
      expect(values(activation(x, kind, 7)), kind).toEqual(values(y));
    }
  });
});

describe('CPU storage', () => {
  it("refuses a tensor whose storage is not the CPU's, naming its backend", () => {
    const cpu = kernelsOf(new CpuBackend());
    const t = wc.tensor([1, 2], [2]);
    const foreign = Object.create(t, { storage: { value: {} }, backend: { value: { name: 'webgpu' } } }) as wc.Tensor;
    expect(() => cpu.scale(foreign, 2)).toThrow("cpu backend: got a tensor of the 'webgpu' backend");
  });

  it('makes no tensor before a CPU backend exists', async () => {
    vi.resetModules();
    const fresh = await import('../../src/backend/cpu/storage.js');
    expect(() => fresh.cpuTensor(new Float32Array(1), [1])).toThrow('cpu backend: not created yet');
    vi.resetModules();
  });
});
