// model.fitDataset / evaluateDataset on the CPU backend: the same weights and
// logs as fit on the same batches in the same order; TF.js's epoch rules
// (batchesPerEpoch across epochs, a new pass per epoch without it, what
// happens when the data runs out); validation from a dataset or [x, y]; the
// next batch asked for before the step is awaited; streaming within a memory
// budget; errors.

import { afterEach, describe, expect, it, vi } from 'vitest';
import * as wc from '../../src/index.js';
import { peakBytes, resetPeakBytes } from '../../src/tensor.js';
import { randomValues } from '../util/check.js';

const glorot = (seed: number) => wc.initializers.glorotUniform({ seed });
const { data } = wc;

afterEach(() => { vi.restoreAllMocks(); });

function net(seed: number): wc.Sequential {
  const m = wc.sequential({
    layers: [
      wc.layers.dense({ units: 6, inputShape: [4], activation: 'tanh', kernelInitializer: glorot(seed) }),
      wc.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: glorot(seed + 1) }),
    ],
  });
  m.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** n rows: x [n, 4] and one-hot y [n, 3]. */
function rows(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const x = randomValues(n * 4, seed);
  const y = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) y[i * 3 + (x[i * 4] + x[i * 4 + 1] > 0 ? 0 : x[i * 4 + 2] > 0 ? 1 : 2)] = 1;
  return { x, y };
}

/** The rows as a dataset of { xs, ys } batches, made from per-row tensors (as a pipeline would). */
function rowDataset(r: { x: Float32Array; y: Float32Array }, batch: number): wc.data.Dataset {
  const n = r.x.length / 4;
  const xs = Array.from({ length: n }, (_, i) => wc.tensor(r.x.slice(i * 4, i * 4 + 4), [4]));
  const ys = Array.from({ length: n }, (_, i) => wc.tensor(r.y.slice(i * 3, i * 3 + 3), [3]));
  return data.zip({ xs: data.array(xs), ys: data.array(ys) }).batch(batch);
}

const weights = async (m: wc.LayersModel) => Promise.all(m.getWeights().map(async (w) => Array.from(await w.data())));

describe('fitDataset', () => {
  it('gives the same weights and History as fit on the same batches in the same order', async () => {
    const r = rows(22, 1);
    const a = net(10);
    const b = net(10);
    const ha = await a.fit(wc.tensor(r.x, [22, 4]), wc.tensor(r.y, [22, 3]), { batchSize: 5, epochs: 3, shuffle: false });
    const hb = await b.fitDataset(rowDataset(r, 5), { epochs: 3 });
    expect(await weights(b)).toEqual(await weights(a));
    expect(hb.epoch).toEqual([0, 1, 2]);
    expect(Object.keys(hb.history).sort()).toEqual(['acc', 'loss']);
    expect(hb.history.loss).toEqual(ha.history.loss);
    expect(hb.history.acc).toEqual(ha.history.acc);
    expect(hb.history.loss[2]).toBeLessThan(hb.history.loss[0]);
  });

  it('takes [xs, ys] elements too, and batch callbacks get batch, size and the loss', async () => {
    const r = rows(10, 2);
    const a = net(20);
    const b = net(20);
    // [x, y] pairs of tensors (an array of numbers would be one leaf, batched as a unit, as in tf.data)
    const ds = data.array(Array.from({ length: 10 }, (_, i) => [wc.tensor(r.x.slice(i * 4, i * 4 + 4)), wc.tensor(r.y.slice(i * 3, i * 3 + 3))])).batch(4);
    const logs: Record<string, number>[] = [];
    await a.fit(wc.tensor(r.x, [10, 4]), wc.tensor(r.y, [10, 3]), { batchSize: 4, shuffle: false });
    const h = await b.fitDataset(ds, { epochs: 1, callbacks: { onBatchEnd: (_b, l) => void logs.push(l!) } });
    expect(await weights(b)).toEqual(await weights(a));
    expect(logs.map((l) => [l.batch, l.size])).toEqual([[0, 4], [1, 4], [2, 2]]);
    const weighted = logs.reduce((s, l) => s + l.loss * l.size, 0) / 10;
    expect(h.history.loss[0]).toBeCloseTo(weighted, 5);
  });

  it('validation from a dataset and from [x, y] equals evaluate after the epoch; validationBatches limits the dataset', async () => {
    const r = rows(12, 3);
    const v = rows(9, 4);
    const vx = wc.tensor(v.x, [9, 4]);
    const vy = wc.tensor(v.y, [9, 3]);
    const m1 = net(30);
    const h1 = await m1.fitDataset(rowDataset(r, 4), { epochs: 1, validationData: rowDataset(v, 4) });
    const m2 = net(30);
    const h2 = await m2.fitDataset(rowDataset(r, 4), { epochs: 1, validationData: [vx, vy], validationBatchSize: 2 });
    const [loss, acc] = await m1.evaluate(vx, vy);
    expect(Object.keys(h1.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(h1.history.val_loss[0]).toBeCloseTo(loss, 5);
    expect(h1.history.val_acc[0]).toBeCloseTo(acc, 5);
    expect(h2.history.val_loss[0]).toBeCloseTo(loss, 5);
    // validationBatches 1: only the first 4 rows
    const m3 = net(30);
    const h3 = await m3.fitDataset(rowDataset(r, 4), { epochs: 1, validationData: rowDataset(v, 4), validationBatches: 1 });
    const [first] = await m3.evaluate(wc.tensor(v.x.slice(0, 16), [4, 4]), wc.tensor(v.y.slice(0, 12), [4, 3]));
    expect(h3.history.val_loss[0]).toBeCloseTo(first, 5);
    expect(h3.history.val_loss[0]).not.toBeCloseTo(loss, 3);
  });

  it('batchesPerEpoch: one stream across epochs, pulling only the batches it trains on', async () => {
    const r = rows(20, 5);
    let pulled = 0;
    const base = rowDataset(r, 4); // 5 batches
    const counted = base.map((e) => { pulled++; return e; });
    const seen: [number, number][] = [];
    let epochNow = -1;
    const m = net(40);
    const h = await m.fitDataset(counted.repeat(), {
      epochs: 3, batchesPerEpoch: 3,
      callbacks: { onEpochBegin: (e) => { epochNow = e; }, onBatchEnd: (b) => void seen.push([epochNow, b]) },
    });
    expect(seen).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]]);
    expect(pulled).toBe(9);
    expect(h.history.loss.length).toBe(3);
    // the same as fit over the stream's batch order: batches 0..4, 0..3 of the rows
    const order = [0, 1, 2, 3, 4, 0, 1, 2, 3].flatMap((b) => [0, 1, 2, 3].map((k) => b * 4 + k));
    const x = wc.tensor(Float32Array.from(order.flatMap((i) => Array.from(r.x.slice(i * 4, i * 4 + 4)))), [36, 4]);
    const y = wc.tensor(Float32Array.from(order.flatMap((i) => Array.from(r.y.slice(i * 3, i * 3 + 3)))), [36, 3]);
    const f = net(40);
    await f.fit(x, y, { batchSize: 4, shuffle: false });
    expect(await weights(m)).toEqual(await weights(f));
  });

  it('without batchesPerEpoch every epoch is a new pass over the dataset', async () => {
    let passes = 0;
    const r = rows(8, 6);
    const ds = data.generator(function* () {
      passes++;
      for (let i = 0; i < 2; i++) yield { xs: wc.tensor(r.x.slice(i * 16, i * 16 + 16), [4, 4]), ys: wc.tensor(r.y.slice(i * 12, i * 12 + 12), [4, 3]) };
    });
    const h = await net(50).fitDataset(ds, { epochs: 4 });
    expect(passes).toBe(4);
    expect(h.history.loss.length).toBe(4);
  });

  it('when the dataset runs out before batchesPerEpoch * epochs batches, training stops with a warning (no validation for that epoch)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const r = rows(16, 7);
    let batches = 0;
    const h = await net(60).fitDataset(rowDataset(r, 4), {
      epochs: 5, batchesPerEpoch: 3, validationData: rowDataset(r, 8), callbacks: { onBatchEnd: () => { batches++; } },
    });
    expect(batches).toBe(4);
    expect(h.history.loss.length).toBe(2);
    expect(h.history.val_loss.length).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/ran out after 1 batches of epoch 1.*at least batchesPerEpoch \* epochs batches \(here 15\).*repeat\(\)/);
  });

  it('asks for the next batch before the current step is awaited', async () => {
    const events: string[] = [];
    const r = rows(12, 8);
    const ds = data.generator(function* () {
      for (let i = 0; i < 3; i++) {
        events.push(`make ${i}`);
        yield { xs: wc.tensor(r.x.slice(i * 16, i * 16 + 16), [4, 4]), ys: wc.tensor(r.y.slice(i * 12, i * 12 + 12), [4, 3]) };
      }
    });
    await net(70).fitDataset(ds, { epochs: 1, callbacks: { onBatchEnd: (b) => void events.push(`end ${b}`) } });
    expect(events).toEqual(['make 0', 'make 1', 'end 0', 'make 2', 'end 1', 'end 2']);
  });

  it('initialEpoch, stopTraining from a batch callback, and the model usable again after', async () => {
    const r = rows(16, 9);
    const m = net(80);
    const h = await m.fitDataset(rowDataset(r, 4), { epochs: 3, initialEpoch: 1 });
    expect(h.epoch).toEqual([1, 2]);
    let batches = 0;
    const stop = { onBatchEnd: () => { batches++; if (batches === 2) m.stopTraining = true; } };
    const h2 = await m.fitDataset(rowDataset(r, 4), { epochs: 3, callbacks: stop });
    expect(batches).toBe(2);
    expect(h2.epoch).toEqual([0]);
  });
});

describe('evaluateDataset', () => {
  it('equals evaluate; batches takes the first batches only', async () => {
    const r = rows(10, 11);
    const m = net(90);
    const x = wc.tensor(r.x, [10, 4]);
    const y = wc.tensor(r.y, [10, 3]);
    const all = await m.evaluateDataset(rowDataset(r, 3));
    const expected = await m.evaluate(x, y);
    expect(all.length).toBe(2);
    all.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    const firstTwo = await m.evaluateDataset(rowDataset(r, 3).repeat(), { batches: 2 });
    const head = await m.evaluate(wc.tensor(r.x.slice(0, 24), [6, 4]), wc.tensor(r.y.slice(0, 18), [6, 3]));
    firstTwo.forEach((v, i) => expect(v).toBeCloseTo(head[i], 5));
    await expect(m.evaluateDataset(rowDataset(r, 3), { batches: 0 })).rejects.toThrow(/batches must be a positive integer/);
    await expect(m.evaluateDataset(rowDataset(r, 3).take(0))).rejects.toThrow(/gave no batches/);
  });
});

describe('fitDataset errors', () => {
  it('refuses bad arguments and elements, naming them, and leaves no tensor behind', async () => {
    const r = rows(8, 12);
    const ds = rowDataset(r, 4);
    const uncompiled = wc.sequential({ layers: [wc.layers.dense({ units: 3, inputShape: [4] })] });
    await expect(uncompiled.fitDataset(ds, { epochs: 1 })).rejects.toThrow(/compile the model first/);
    const m = net(100);
    await expect(m.fitDataset(ds, { epochs: 0 })).rejects.toThrow(/epochs must be a positive integer, got 0/);
    await expect(m.fitDataset(ds, { epochs: 1, batchesPerEpoch: 1.5 })).rejects.toThrow(/batchesPerEpoch must be a positive integer if given, got 1.5/);
    await expect(m.fitDataset(ds, { epochs: 1, validationSplit: 0.2 } as never)).rejects.toThrow(/validationSplit is not supported by fitDataset/);
    await expect(m.fitDataset([1, 2] as never, { epochs: 1 })).rejects.toThrow(/expected a wc.data.Dataset/);
    // one fit at a time (this first fit also makes Adam's slots)
    const running = m.fitDataset(ds.repeat(), { epochs: 1, batchesPerEpoch: 5 });
    await expect(m.fitDataset(ds, { epochs: 1 })).rejects.toThrow(/another fit\(\) call is ongoing/);
    await running;
    const before = wc.memory().numTensors;
    // unbatched scalars: not { xs, ys }
    await expect(m.fitDataset(data.array([1, 2, 3]).batch(2), { epochs: 1 })).rejects.toThrow(/each dataset element must be \{ xs, ys \} or \[xs, ys\].*got a tensor of shape \[2\]/);
    // rows of the wrong width
    const bad = data.array([{ xs: [1, 2, 3], ys: [1, 0, 0] }, { xs: [1, 2, 3], ys: [0, 1, 0] }]).batch(2);
    await expect(m.fitDataset(bad, { epochs: 1 })).rejects.toThrow(/expects shape \[null,4\], got \[2, 3\]/);
    await expect(m.fitDataset(data.array([{ xs: [1, 2, 3, 4], ys: { wrong: [1, 0, 0] } }]).batch(1), { epochs: 1 })).rejects.toThrow(/no tensor under the output name 'dense_\d+'/);
    expect(wc.memory().numTensors).toBe(before);
  });

  it('a loss that overflows rejects with NonFiniteLossError, that batch not applied', async () => {
    const m = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [2], kernelInitializer: glorot(110) })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    // finite data whose squared error overflows float32 in the second batch
    const ds = data.array([
      { xs: [1, 2], ys: [0.5] }, { xs: [3, 4], ys: [0.1] }, { xs: [1, 1], ys: [1e30] }, { xs: [2, 1], ys: [0.3] },
    ]).batch(2);
    let after1: number[][] = [];
    const err = await m.fitDataset(ds, { epochs: 1, callbacks: { onBatchEnd: async (b) => { if (b === 0) after1 = await weights(m); } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(wc.NonFiniteLossError);
    expect((err as Error).message).toMatch(/Sequential\.fitDataset: the loss became Infinity at epoch 0, batch 1 \(0-based\); expected a finite loss/);
    expect(await weights(m)).toEqual(after1);
  });
});

describe('streaming memory', () => {
  it('an epoch over 3 MB of data holds far less: peak live tensor bytes under a 1 MB budget', async () => {
    const batches = 16;
    const batch = 64;
    const features = 784;
    const totalBytes = batches * batch * (features + 10) * 4;
    expect(totalBytes).toBeGreaterThan(3e6);
    const batchData = (i: number) => ({ x: randomValues(batch * features, 1000 + i, 0, 1), y: Float32Array.from({ length: batch * 10 }, (_, k) => (k % 10 === (i + Math.floor(k / 10)) % 10 ? 1 : 0)) });
    const ds = data.generator(function* () {
      for (let i = 0; i < batches; i++) {
        const d = batchData(i);
        yield { xs: wc.tensor(d.x, [batch, features]), ys: wc.tensor(d.y, [batch, 10]) };
      }
    });
    const m = wc.sequential({ layers: [wc.layers.dense({ units: 10, inputShape: [features], activation: 'softmax', kernelInitializer: glorot(120) })] });
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const base = wc.memory();
    resetPeakBytes();
    await m.fitDataset(ds, { epochs: 2 });
    const streamed = peakBytes() - base.numBytes;
    expect(wc.memory().numTensors).toBe(base.numTensors + 4); // Adam's two slots per weight, made by the first step
    const budget = 1_000_000;
    // the same data as two whole tensors, for contrast: fit holds all of it
    const all = Array.from({ length: batches }, (_, i) => batchData(i));
    const x = wc.tensor(Float32Array.from(all.flatMap((d) => Array.from(d.x))), [batches * batch, features]);
    const y = wc.tensor(Float32Array.from(all.flatMap((d) => Array.from(d.y))), [batches * batch, 10]);
    const base2 = wc.memory().numBytes;
    resetPeakBytes();
    await m.fit(x, y, { batchSize: batch, epochs: 1 });
    const whole = peakBytes() - base2 + totalBytes;
    console.log(`streaming memory (CPU backend): data ${totalBytes} bytes; fitDataset peak live tensor bytes ${streamed}; fit on whole tensors ${whole}`);
    expect(streamed).toBeLessThan(budget);
    expect(streamed).toBeGreaterThan(2 * batch * features * 4); // the batch in training and the next one, made ahead
    expect(whole).toBeGreaterThan(totalBytes);
  });
});
