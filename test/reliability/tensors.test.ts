// Tensors used after dispose() and tensors of two backends in one op or one
// model call: an Error naming the op or method, the tensor and what to do,
// before any kernel runs, and the model untouched. (test/tensor.test.ts and
// test/cpu/structure.test.ts check Tensor.data/reshape and ops.add.)

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { captureState, expectCleanError, expectStateUnchanged } from './state.js';

/**
 * A tensor that claims another backend: the CPU suite has one real backend,
 * and the checks look only at which backend a tensor names, never at its values.
 */
function foreign(like: wc.Tensor, name: 'webgpu' | 'cpu' = 'webgpu'): wc.Tensor {
  const other = { ...like.backend, name } as typeof like.backend;
  return new wc.Tensor(other, new Float32Array(like.size), like.shape);
}

function model(): wc.Sequential {
  const m = wc.sequential({
    layers: [
      wc.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, kernelInitializer: wc.initializers.glorotUniform({ seed: 1 }) }),
      wc.layers.batchNormalization(),
      wc.layers.flatten(),
      wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  m.compile({ optimizer: wc.optimizers.rmsprop({ momentum: 0.5 }), loss: 'categoricalCrossentropy' });
  return m;
}

const x4 = (n: number, seed = 1) => wc.tensor(randomValues(n * 16, seed), [n, 4, 4, 1]);
const y2 = (n: number) => wc.tensor(Array.from({ length: 2 * n }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0)), [n, 2]);

describe('tensors used after dispose()', () => {
  beforeAll(async () => {
    await wc.setBackend('cpu');
  });

  it('every op names itself, the tensor and its shape', async () => {
    const a = wc.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const w = wc.tensor([1], [1, 1, 1, 1]);
    a.dispose();
    const dead = /tensor #\d+ of shape \[1, 2, 2, 1\] was used after dispose\(\)/;
    await expectCleanError(() => wc.ops.add(a, a), /^add: /, dead);
    await expectCleanError(() => wc.ops.conv2d(a, w, null, { strides: [1, 1], padding: 'valid', dilations: [1, 1] }), /^conv2d: /, dead);
    await expectCleanError(() => wc.ops.maxPool2d(a, { poolSize: [1, 1], strides: [1, 1], padding: 'valid' }), /^maxPool2d: /, dead);
    await expectCleanError(() => wc.ops.activation(a, 'relu', 0), /^activation: /, dead);
    await expectCleanError(() => wc.ops.matmul(a.reshape([2, 2]), w.reshape([1, 1]), false, false), /^Tensor\.reshape: /, dead);
    await expectCleanError(() => a.dataSync(), /^Tensor\.dataSync: /, dead);
    await expectCleanError(() => a.data(), /^Tensor\.data: /, dead);
    // disposing twice is harmless, as in TF.js
    a.dispose();
    expect(a.isDisposed).toBe(true);
  });

  it('setWeights with a disposed tensor, and a disposed model, are refused by name', async () => {
    const m = model();
    await m.fit(x4(4), y2(4), { batchSize: 2 });
    const before = await captureState(m);
    // new values for every weight, the last one disposed: none may be written
    const ws = m.getWeights().map((w) => wc.tensor(new Float32Array(w.size).fill(0.5), w.shape));
    ws[ws.length - 1].dispose();
    await expectCleanError(() => m.setWeights(ws), /^setWeights \('batch_normalization_\d+\/moving_variance'\): tensor #\d+ of shape \[2\] was used after dispose\(\)/);
    await expectCleanError(() => m.setWeights([...ws.slice(0, -1), wc.tensor([1, 2, 3], [3])]), /^setWeights: weight 'batch_normalization_\d+\/moving_variance' has shape \[2\], got a tensor of shape \[3\]/);
    await expectStateUnchanged(m, before);
    m.dispose();
    await expectCleanError(() => m.predict(x4(1)), /^Sequential\.predict \(weight conv2d_\d+\/kernel; was the model disposed\?\): tensor #\d+ of shape \[3, 3, 1, 2\] was used after dispose\(\)/);
    await expectCleanError(() => m.fit(x4(2), y2(2)), /^Sequential\.fit \(weight .*; was the model disposed\?\)/);
  });

  it('x disposed by a callback in the middle of fit stops fit cleanly with the weights of the last whole step', async () => {
    const m = model();
    const x = x4(6);
    const y = y2(6);
    let afterFirst: Awaited<ReturnType<typeof captureState>> | null = null;
    await expectCleanError(() => m.fit(x, y, {
      batchSize: 2, shuffle: false,
      callbacks: { onBatchEnd: async (b) => { if (b === 0) { afterFirst = await captureState(m); x.dispose(); } } },
    }), /^gatherRows: tensor #\d+ of shape \[6, 4, 4, 1\] was used after dispose\(\)/);
    await expectStateUnchanged(m, afterFirst!);
  });
});

describe('tensors of two different backends', () => {
  it('one op refuses them, naming both backends', async () => {
    const a = wc.tensor([1, 2, 3, 4], [2, 2]);
    const b = foreign(a);
    await expectCleanError(() => wc.ops.add(a, b), /^add: tensors from two different backends \('cpu' and 'webgpu'\) in one op; create them on one backend \(wc\.setBackend\) before mixing them/);
    await expectCleanError(() => wc.ops.matmul(b, a, false, false), /^matmul: tensors from two different backends \('webgpu' and 'cpu'\)/);
    await expectCleanError(() => wc.ops.loss('meanSquaredError', a, b), /^loss: tensors from two different backends/);
    await expectCleanError(() => wc.ops.concat([a, b]), /^concat: tensors from two different backends/);
  });

  it('fit, evaluate, predict and setWeights refuse data of another backend than the model, before any step', async () => {
    const m = model();
    await m.fit(x4(4), y2(4), { batchSize: 2 });
    const before = await captureState(m);
    const x = x4(2);
    const fx = foreign(x);
    const fy = foreign(y2(2));
    const msg = (method: string, what: string) => new RegExp(`^Sequential\\.${method}: ${what} is a tensor of the 'webgpu' backend, but the model's weights are on the 'cpu' backend; make the data and the model with the same backend selected`);
    await expectCleanError(() => m.fit(fx, y2(2)), msg('fit', 'x'));
    await expectCleanError(() => m.fit(x, fy), msg('fit', 'y'));
    await expectCleanError(() => m.evaluate(fx, y2(2)), msg('evaluate', 'x'));
    await expectCleanError(() => m.trainOnBatch(x, fy), msg('trainOnBatch', 'y'));
    await expectCleanError(() => m.predict(fx), msg('predict', 'x'));
    // two CPU-named backends that are not the same object are still two backends
    await expectCleanError(() => m.predict(foreign(x, 'cpu')), /^Sequential\.predict: x is a tensor of the 'cpu' backend, but the model's weights are on another backend/);
    await expectCleanError(() => m.setWeights(m.getWeights().map((w) => foreign(w))), /^setWeights \('conv2d_\d+\/kernel'\): got a tensor of the 'webgpu' backend for a weight on the 'cpu' backend/);
    await expectStateUnchanged(m, before);
  });

  it("setBackend('cpu') with options gives the same CPU backend, so its tensors mix with the first ones", async () => {
    const a = wc.tensor([1, 2], [2]);
    await wc.setBackend('cpu', { verify: true });
    const b = wc.tensor([3, 4], [2]);
    expect(b.backend).toBe(a.backend);
    expect([...wc.ops.add(a, b).dataSync()]).toEqual([4, 6]);
    await wc.setBackend('cpu');
  });
});
