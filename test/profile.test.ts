// wc.profile on the CPU backend: each kernel call timed with performance.now(),
// named after the kernel, counted once even when kernels nest, and
// the backend left unwrapped afterwards.

import { expect, it } from 'vitest';
import * as wc from '../src/index.js';
import { backend } from '../src/engine.js';

it('times every CPU kernel call of a training step', async () => {
  await wc.setBackend('cpu');
  const model = wc.sequential({ layers: [
    wc.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
    wc.layers.flatten(),
    wc.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const x = wc.tensor(new Float32Array(2 * 36).fill(0.5), [2, 6, 6, 1]);
  const y = wc.tensor([1, 0, 0, 1], [2, 2]);
  const p = await wc.profile(async () => {
    wc.ops.matmul(y, y, false, false).dispose();
    return model.trainOnBatch(x, y);
  });
  expect(p.timing).toBe('performance-now');
  expect(p.backend).toBe('cpu');
  expect(typeof p.result).toBe('number');
  const calls = Object.fromEntries(p.kernels.map((k) => [k.name, k.calls]));
  // One matmul by hand; the dense layer's forward and its backward (dx, dW); in training the
  // conv runs as its column matrix (kept for the backward) times the kernel, and dW = columns^T . dz.
  expect(calls.matmul).toBe(6);
  expect(calls.conv2dColumns).toBe(1);
  expect(calls.conv2d).toBeUndefined();
  expect(calls.conv2dBackwardFilter).toBeUndefined();
  expect(calls.sgdUpdate).toBe(4);
  expect(p.kernels.reduce((s, k) => s + k.share, 0)).toBeCloseTo(1, 9);
  expect(p.kernels.every((k, i) => i === 0 || p.kernels[i - 1].totalMs >= k.totalMs)).toBe(true);
  expect(Object.keys(backend())).not.toContain('conv2d');
});
