import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { backend } from '../../src/engine.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';
import { randomValues } from '../util/check.js';
import { TEST_THREADS } from './harness.js';

/**
 * A functional net through this branch's kernel families: zero padding,
 * batch norm, leakyReLU and elu, 'same' average pooling with overlapping
 * windows, a residual add, concat, max pooling, dropout, softmax and
 * cross-entropy.
 */
function net(): wc.LayersModel {
  const inp = wc.input({ shape: [9, 7, 3] });
  const padded = wc.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }).apply(inp) as wc.SymbolicTensor;
  const a = wc.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', useBias: false }).apply(padded) as wc.SymbolicTensor;
  const b = wc.layers.leakyReLU({ alpha: 0.2 }).apply(wc.layers.batchNormalization().apply(a)) as wc.SymbolicTensor;
  const c = wc.layers.conv2d({ filters: 6, kernelSize: 1, activation: 'elu' }).apply(b) as wc.SymbolicTensor;
  const sum = wc.layers.add().apply([b, c]) as wc.SymbolicTensor;
  const avg = wc.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(sum) as wc.SymbolicTensor;
  const max = wc.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(sum) as wc.SymbolicTensor;
  const both = wc.layers.concatenate().apply([avg, max]) as wc.SymbolicTensor;
  const flat = wc.layers.dropout({ rate: 0.3, seed: 5 }).apply(wc.layers.flatten().apply(both)) as wc.SymbolicTensor;
  const out = wc.layers.dense({ units: 4, activation: 'softmax' }).apply(flat) as wc.SymbolicTensor;
  return wc.model({ inputs: inp, outputs: out });
}

describe('training on the wasm kernels', () => {
  for (const optimizer of ['adam', 'rmsprop', 'sgd'] as const) {
    it(`every step's kernels agree with the CPU reference (verification mode), ${optimizer}`, async () => {
      await wc.setBackend('wasm', { verify: true, threads: TEST_THREADS });
      const be = backend();
      if (!(be instanceof WasmBackend) || !be.verifier) throw new Error('expected the wasm backend in verification mode');
      const m = net();
      m.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const xs = wc.tensor(randomValues(6 * 9 * 7 * 3, 31), [6, 9, 7, 3]);
      const ys = wc.oneHot(wc.tensor([0, 1, 2, 3, 0, 1], [6]), 4);
      const checked = be.verifier.checked;
      const p = await wc.profile(() => m.fit(xs, ys, { batchSize: 3, epochs: 2 }));
      expect(p.result.history.loss.every(Number.isFinite)).toBe(true);
      // Each of these ran its wasm program, and verification replayed it on the CPU.
      const ran = new Set(p.kernels.map((k) => k.name));
      const fallback = new Set(wc.backendInfo().wasm?.fallbackKernels);
      for (const name of ['zeroPad2d', 'batchNormTrain', 'batchNormBackward', 'activation', 'activationBackward', 'add',
        'avgPool2d', 'avgPool2dBackward', 'maxPool2d', 'maxPool2dBackward', 'concat', 'concatBackward', 'dropout',
        'dropoutBackward', 'softmax', 'softmaxCrossEntropyBackward', 'loss', 'metric', 'movingAverageUpdate', `${optimizer}Update`]) {
        expect(ran.has(name), `${name} ran`).toBe(true);
        expect(fallback.has(name), `${name} has a wasm program`).toBe(false);
      }
      expect(be.verifier.checked).toBeGreaterThan(checked + 50);
    });
  }
});
