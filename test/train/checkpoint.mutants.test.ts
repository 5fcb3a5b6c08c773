// Checkpoints and device loss on the CPU backend: the CPU backend is made to
// report a lost device (isLost) or a failing read for one test, so the
// messages fit, restoreCheckpoint and the data checks give on a real GPU's
// loss can be checked word for word in Node; restoreCheckpoint's shape and
// slot checks; checkpoints taken outside fit.
// Written to kill StrykerJS mutants (docs/MUTATION.md).

import { afterEach, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { Backend } from '../../src/backend/types.js';

type Patchable = Backend & { isLost?: () => boolean };

let patched: Patchable | null = null;
let originalRead: Backend['read'] | null = null;

/** The CPU backend the model's weights live on, reporting a lost device while `lost()` says so. */
function loseDevice(model: wc.LayersModel, lost: () => boolean): void {
  patched = model.weights[0].value.backend as Patchable;
  patched.isLost = lost;
}

afterEach(() => {
  if (patched) {
    delete patched.isLost;
    if (originalRead) patched.read = originalRead;
  }
  patched = null;
  originalRead = null;
});

/** p = w x + b from w = 1, b = 0, SGD 0.1 under MSE. */
function model(): wc.LayersModel {
  const m = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', name: 'd' })] });
  m.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.1, momentum: 0.5 }), loss: 'mse' });
  return m;
}

const x = () => wc.tensor([1, 2, 3, 4], [4, 1]);
const y = () => wc.tensor([0, 0, 0, 0], [4, 1]);

describe('device loss during fit', () => {
  it('with a checkpoint: says where training stopped and which step the checkpoint holds', async () => {
    const m = model();
    let lost = false;
    loseDevice(m, () => lost);
    const fail = { onBatchEnd: (b: number) => { if (b === 2) { lost = true; throw new Error('GPU gone'); } } };
    const err = await m.fit(x(), y(), { batchSize: 1, shuffle: false, checkpointEvery: 2, callbacks: fail }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      'Sequential.fit: the GPU device was lost during training, after the step of epoch 0, batch 2. '
      + 'The model keeps a checkpoint in CPU memory: the weights and optimizer state after epoch 0, batch 1 (step 2). '
      + "Call await wc.setBackend('webgpu') for a new device, then await model.restoreCheckpoint(), then fit again. (GPU gone)");
    expect(((err as Error).cause as Error).message).toBe('GPU gone');
    expect([m.checkpoint!.iterations, m.checkpoint!.epoch, m.checkpoint!.batch]).toEqual([2, 0, 1]);
  });

  it('without one: the weights are gone; a checkpoint taken by hand is named by its step', async () => {
    const m = model();
    let lost = false;
    loseDevice(m, () => lost);
    const fail = { onBatchEnd: (b: number) => { if (b === 0) { lost = true; throw new Error('GPU gone'); } } };
    await expect(m.fit(x(), y(), { batchSize: 2, callbacks: fail })).rejects.toThrow(
      'Sequential.fit: the GPU device was lost during training, after the step of epoch 0, batch 0. '
      + "No checkpoint was kept (fit's checkpointEvery option keeps one), so the weights on the device are gone: "
      + "after await wc.setBackend('webgpu'), load or rebuild the model. (GPU gone)");

    lost = false;
    const m2 = model();
    await m2.trainOnBatch(x(), y());
    await m2.takeCheckpoint();
    patched = m2.weights[0].value.backend as Patchable;
    const fail2 = { onTrainBegin: () => { lost = true; throw 'not an Error'; } };
    await expect(m2.fit(x(), y(), { callbacks: fail2 })).rejects.toThrow(
      'Sequential.fit: the GPU device was lost during training. The model keeps a checkpoint in CPU memory: the weights and optimizer state of step 1 (takeCheckpoint()). '
      + "Call await wc.setBackend('webgpu') for a new device, then await model.restoreCheckpoint(), then fit again. (not an Error)");
  });

  it('an error while the device is fine is passed on as it is', async () => {
    const m = model();
    loseDevice(m, () => false);
    const boom = new Error('callback broke');
    const err = await m.fit(x(), y(), { callbacks: { onEpochEnd: () => { throw boom; } } }).catch((e: unknown) => e);
    expect(err).toBe(boom);
  });

  it('fit, evaluate and predict refuse weights on a lost device before running anything', async () => {
    const m = model();
    loseDevice(m, () => true);
    const none = "the model's weights were on a GPU device that was lost. No checkpoint was kept (fit's checkpointEvery option keeps one): load or rebuild the model.";
    await expect(m.fit(x(), y())).rejects.toThrow(`Sequential.fit: ${none}`);
    await expect(m.evaluate(x(), y())).rejects.toThrow(`Sequential.evaluate: ${none}`);
    expect(() => m.predict(x())).toThrow(`Sequential.predict: ${none}`);
    m.checkpoint = { iterations: 0, epoch: -1, batch: -1, weights: [], optimizer: [] };
    await expect(m.fit(x(), y())).rejects.toThrow(
      "Sequential.fit: the model's weights were on a GPU device that was lost. Call await wc.setBackend('webgpu') for a new device, then await model.restoreCheckpoint(), and make the data tensors again.");
  });

  it('restoreCheckpoint needs a selected backend whose device works', async () => {
    const m = model();
    const cp = await m.takeCheckpoint();
    loseDevice(m, () => true);
    await expect(m.restoreCheckpoint(cp)).rejects.toThrow(
      "Sequential.restoreCheckpoint: the selected backend's device is lost; call await wc.setBackend('webgpu') (or 'cpu') first");
  });
});

describe('checkpoint reads', () => {
  it('a failed checkpoint read (the device fine) fails fit with that error', async () => {
    const m = model();
    const backend = m.weights[0].value.backend as Patchable;
    patched = backend;
    originalRead = backend.read;
    // scalars (the loss) still read; the weight copies do not
    backend.read = (t) => (t.shape.length ? Promise.reject(new Error('read failed')) : originalRead!.call(backend, t));
    await expect(m.fit(x(), y(), { batchSize: 1, checkpointEvery: 3 })).rejects.toThrow('read failed');
    await expect(m.fit(x(), y(), { batchSize: 1, checkpointEvery: 1 })).rejects.toThrow('read failed');
  });

  it('takeCheckpoint outside fit: epoch and batch -1, every weight and slot by name, kept on the model', async () => {
    const m = model();
    const before = await m.takeCheckpoint();
    expect([before.iterations, before.epoch, before.batch, before.optimizer]).toEqual([0, -1, -1, []]);
    await m.trainOnBatch(x(), y());
    const cp = await m.takeCheckpoint();
    expect(m.checkpoint).toBe(cp);
    expect(cp.weights.map((w) => [w.name, w.shape, [...w.values]])).toEqual([
      // g_w = 2 * mean(x * x) = 15, g_b = 2 * mean(x) = 5; momentum's first step is lr * g
      ['d/kernel', [1, 1], [Math.fround(1 - 1.5)]],
      ['d/bias', [1], [Math.fround(-0.5)]],
    ]);
    expect(cp.optimizer.map((s) => [s.name, s.shape, [...s.values]])).toEqual([
      ['d/kernel/momentum', [1, 1], [15]],
      ['d/bias/momentum', [1], [5]],
    ]);
    expect(cp.iterations).toBe(1);
  });

  it("leaves no tensor behind (the optimizer's 'iter' copy is freed)", async () => {
    const m = model();
    await m.trainOnBatch(x(), y());
    const before = wc.memory().numTensors;
    await m.takeCheckpoint();
    await m.restoreCheckpoint();
    expect(wc.memory().numTensors).toBe(before);
  });

  it('an uncompiled model checkpoints its weights alone', async () => {
    const m = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', name: 'u' })] });
    const cp = await m.takeCheckpoint();
    expect([cp.iterations, cp.optimizer.length, cp.weights.map((w) => w.name)]).toEqual([0, 0, ['u/kernel', 'u/bias']]);
    m.setWeights([wc.tensor([7], [1, 1]), wc.tensor([7], [1])]);
    await m.restoreCheckpoint(cp);
    expect((await Promise.all(m.getWeights().map((t) => t.data()))).map((v) => v[0])).toEqual([1, 0]);
  });
});

describe('restoreCheckpoint checks everything before changing anything', () => {
  it('a weight of another shape is named with both shapes, and nothing is restored', async () => {
    const m = model();
    await m.trainOnBatch(x(), y());
    const cp = await m.takeCheckpoint();
    const bad = { ...cp, weights: [cp.weights[0], { ...cp.weights[1], shape: [1, 1] }] };
    await m.trainOnBatch(x(), y());
    const now = (await Promise.all(m.getWeights().map((t) => t.data()))).map((v) => v[0]);
    await expect(m.restoreCheckpoint(bad)).rejects.toThrow("Sequential.restoreCheckpoint: 'd/bias' has shape [1], the checkpoint [1, 1]");
    const bad2 = { ...cp, weights: [{ ...cp.weights[0], shape: [2, 1] }, cp.weights[1]] };
    await expect(m.restoreCheckpoint(bad2)).rejects.toThrow("Sequential.restoreCheckpoint: 'd/kernel' has shape [1, 1], the checkpoint [2, 1]");
    expect((await Promise.all(m.getWeights().map((t) => t.data()))).map((v) => v[0])).toEqual(now);
    expect(m.compiled!.optimizer.iterations).toBe(2);
  });

  it('a slot the optimizer does not have is refused; a missing weight lists the checkpoint\'s', async () => {
    const m = model();
    await m.trainOnBatch(x(), y());
    const cp = await m.takeCheckpoint();
    await expect(m.restoreCheckpoint({ ...cp, optimizer: [...cp.optimizer, { name: 'd/kernel/m', shape: [1, 1], values: new Float32Array(1) }] }))
      .rejects.toThrow("Sequential.restoreCheckpoint: the optimizer has no slot 'd/kernel/m'; restore into the model (and compiled optimizer) the checkpoint was taken from");
    const other = (name: string) => ({ name, shape: [1], values: new Float32Array(1) });
    await expect(m.restoreCheckpoint({ ...cp, weights: [other('p'), other('q')] }))
      .rejects.toThrow("Sequential.restoreCheckpoint: the checkpoint has no weight 'd/kernel'; it was taken from another model (it has p, q)");
  });

  it('restores weights, slots and the step count', async () => {
    const m = model();
    await m.trainOnBatch(x(), y());
    const cp = await m.takeCheckpoint();
    await m.trainOnBatch(x(), y());
    await m.restoreCheckpoint(cp);
    expect(m.compiled!.optimizer.iterations).toBe(1);
    const slots = await m.compiled!.optimizer.getWeights();
    expect(await Promise.all(slots.map(async (s) => [s.name, (await s.tensor.data())[0]]))).toEqual([
      ['iter', 1], ['d/kernel/momentum', 15], ['d/bias/momentum', 5],
    ]);
  });
});
