// Checkpoints on the CPU backend: what fit's checkpointEvery keeps, and that
// restoring one (weights, batch norm statistics, Adam's slots and step count)
// makes training continue exactly as if nothing had happened.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';

function build(): wc.Sequential {
  const glorot = (seed: number) => wc.initializers.glorotUniform({ seed });
  const model = wc.sequential({ layers: [
    wc.layers.conv2d({ inputShape: [5, 5, 1], filters: 3, kernelSize: 3, kernelInitializer: glorot(1) }),
    wc.layers.batchNormalization({ center: false }),
    wc.layers.flatten(),
    wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: glorot(2) }),
  ] });
  model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
  return model;
}

const data = (): [wc.Tensor, wc.Tensor] => [
  wc.tensor(randomValues(12 * 25, 3), [12, 5, 5, 1]),
  wc.tensor(Array.from({ length: 24 }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0)), [12, 2]),
];

const values = async (ts: readonly wc.Tensor[]) => Promise.all(ts.map(async (t) => Array.from(await t.data())));

describe('checkpoints', () => {
  it('fit keeps one every N batches, holding that step\'s weights', async () => {
    const model = build();
    const [x, y] = data();
    const seen: number[][][] = [];
    await model.fit(x, y, {
      batchSize: 2, epochs: 1, shuffle: false, checkpointEvery: 2,
      callbacks: { onBatchEnd: async () => { seen.push(await values(model.getWeights())); } },
    });
    const cp = model.checkpoint!;
    // 6 batches: checkpoints after steps 2, 4 and 6; the last is batch 5 of epoch 0
    expect([cp.iterations, cp.epoch, cp.batch]).toEqual([6, 0, 5]);
    expect(cp.weights.map((w) => w.name)).toEqual(model.weights.map((v) => v.name));
    expect(cp.weights.map((w) => Array.from(w.values))).toEqual(seen[5]);
    // Adam: m and v for each trainable weight (conv kernel and bias, BN gamma, dense kernel and bias), in the order they were made
    expect(cp.optimizer.map((s) => s.name).sort()).toEqual(model.trainableWeights.flatMap((v) => [`${v.name}/m`, `${v.name}/v`]).sort());
  });

  it('restoring a checkpoint resumes training exactly', async () => {
    const model = build();
    const [x, y] = data();
    const opts = { batchSize: 4, epochs: 1, shuffle: false } as const;
    await model.fit(x, y, opts);
    const cp = await model.takeCheckpoint();
    const handles = model.getWeights();
    await model.fit(x, y, opts);
    const straight = await values(model.getWeights());
    const straightSlots = await values((await model.compiled!.optimizer.getWeights()).map((n) => n.tensor));

    await model.restoreCheckpoint(cp);
    expect(model.compiled!.optimizer.iterations).toBe(3);
    expect(await values(model.getWeights())).toEqual(cp.weights.map((w) => Array.from(w.values)));
    // the same tensor objects, re-homed in place
    expect(model.getWeights().every((t, i) => t === handles[i])).toBe(true);
    await model.fit(x, y, opts);
    expect(await values(model.getWeights())).toEqual(straight);
    expect(await values((await model.compiled!.optimizer.getWeights()).map((n) => n.tensor))).toEqual(straightSlots);
  });

  it('a checkpoint of one model does not restore into another', async () => {
    const a = build();
    const b = build();
    const [x, y] = data();
    await a.fit(x, y, { batchSize: 4, epochs: 1, shuffle: false });
    const cp = await a.takeCheckpoint();
    await expect(b.restoreCheckpoint(cp)).rejects.toThrow(/no weight 'conv2d_\d+\/kernel'; it was taken from another model/);
  });

  it('says what is wrong with bad arguments', async () => {
    const model = build();
    const [x, y] = data();
    await expect(model.fit(x, y, { checkpointEvery: 0 })).rejects.toThrow(/checkpointEvery must be a positive integer \(batches\), got 0/);
    await expect(model.restoreCheckpoint()).rejects.toThrow(/no checkpoint; pass checkpointEvery to fit, or call takeCheckpoint\(\)/);
  });

  it('model.dispose() frees the optimizer slots too', async () => {
    const before = wc.memory().numTensors;
    const model = build();
    const [x, y] = data();
    await model.fit(x, y, { batchSize: 4, epochs: 1 });
    model.dispose();
    x.dispose();
    y.dispose();
    expect(wc.memory().numTensors).toBe(before);
  });
});
