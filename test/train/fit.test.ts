// Training end to end on the CPU backend: XOR, a tiny CNN, History keys,
// validation, evaluate/predict/trainOnBatch, early stopping and callbacks.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';

const glorot = (seed: number) => wc.initializers.glorotUniform({ seed });

describe('fit', () => {
  it('a dense net learns XOR (loss < 0.05, all four right)', async () => {
    const model = wc.sequential({
      layers: [
        wc.layers.dense({ units: 8, inputShape: [2], activation: 'tanh', kernelInitializer: glorot(1) }),
        wc.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: glorot(2) }),
      ],
    });
    model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = wc.tensor([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]);
    const y = wc.tensor([0, 1, 1, 0], [4, 1]);
    const h = await model.fit(x, y, { epochs: 300, batchSize: 4, seed: 1 });
    expect(h.history.loss.at(-1)).toBeLessThan(0.05);
    expect(h.history.acc.at(-1)).toBe(1);
    const p = await (model.predict(x) as wc.Tensor).data();
    expect(Array.from(p, (v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    const [loss, acc] = await model.evaluate(x, y);
    expect(loss).toBeLessThan(0.05);
    expect(acc).toBe(1);
  });

  it("a tiny CNN's loss falls; History has loss, acc, val_loss, val_acc per epoch", async () => {
    // two classes: bright top half vs bright bottom half, plus noise
    const n = 24;
    const xs = randomValues(n * 6 * 6, 3, 0, 0.3);
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      ys[i] = i % 2;
      for (let r = 0; r < 3; r++) for (let c = 0; c < 6; c++) xs[i * 36 + (ys[i] ? r + 3 : r) * 6 + c] += 1;
    }
    const model = wc.sequential({
      layers: [
        wc.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: glorot(4) }),
        wc.layers.maxPooling2d({ poolSize: 2 }),
        wc.layers.flatten(),
        wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: glorot(5) }),
      ],
    });
    model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const seen: number[] = [];
    const h = await model.fit(wc.tensor(xs, [n, 6, 6, 1]), wc.tensor(ys, [n, 1]), {
      epochs: 8, batchSize: 8, validationSplit: 0.25, seed: 2, callbacks: { onEpochEnd: (e) => void seen.push(e) },
    });
    expect(Object.keys(h.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(h.history.loss.length).toBe(8);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(h.history.loss[7]).toBeLessThan(h.history.loss[0] * 0.8);
  });

  it('batch callbacks get per-batch logs; the epoch loss is the size-weighted mean of the batch losses', async () => {
    const model = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [3], kernelInitializer: glorot(6) })] });
    // lr 0: the weights stay put, so every batch loss is the loss at the same weights
    model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0 }), loss: 'meanSquaredError', metrics: ['mse'] });
    const x = wc.tensor(randomValues(10 * 3, 7), [10, 3]);
    const y = wc.tensor(randomValues(10, 8), [10, 1]);
    const batches: { batch: number; size: number; loss: number }[] = [];
    const h = await model.fit(x, y, { batchSize: 4, shuffle: false, callbacks: { onBatchEnd: (_b, logs) => void batches.push(logs as never) } });
    expect(batches.map((b) => [b.batch, b.size])).toEqual([[0, 4], [1, 4], [2, 2]]);
    const weighted = batches.reduce((s, b) => s + b.loss * b.size, 0) / 10;
    expect(h.history.loss[0]).toBeCloseTo(weighted, 5);
    expect(h.history.mse[0]).toBeCloseTo(h.history.loss[0], 5);
    const [evalLoss] = await model.evaluate(x, y, { batchSize: 3 });
    expect(evalLoss).toBeCloseTo(weighted, 5);
    // trainOnBatch: [loss, mse] as numbers
    const r = await model.trainOnBatch(x, y);
    expect(Array.isArray(r) && r.length).toBe(2);
    // predict in batches equals predict in one batch
    const a = await (model.predict(x, { batchSize: 3 }) as wc.Tensor).data();
    const b = await (model.predict(x) as wc.Tensor).data();
    expect(a).toEqual(b);
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [2], kernelInitializer: glorot(9) })] });
    // a learning rate far too large: the loss explodes after the first epoch
    model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 10 }), loss: 'meanSquaredError' });
    const x = wc.tensor(randomValues(8 * 2, 10), [8, 2]);
    const y = wc.tensor(randomValues(8, 11), [8, 1]);
    let best: Float32Array[] = [];
    let bestLoss = Infinity;
    const record = {
      onEpochEnd: async (_e: number, logs?: Record<string, number>) => {
        if (logs!.loss < bestLoss) {
          bestLoss = logs!.loss;
          best = await Promise.all(model.getWeights().map((w) => w.data()));
        }
      },
    };
    const stop = wc.callbacks.earlyStopping({ monitor: 'loss', patience: 2, restoreBestWeights: true });
    const h = await model.fit(x, y, { epochs: 20, batchSize: 8, callbacks: [record, stop] });
    const losses = h.history.loss;
    const bestEpoch = losses.indexOf(Math.min(...losses));
    expect(losses.length).toBe(bestEpoch + 3);
    expect(stop.stoppedEpoch).toBe(bestEpoch + 2);
    expect(await Promise.all(model.getWeights().map((w) => w.data()))).toEqual(best);
  });

  it('a step submits once (flush), with its update recorded: nothing inside it waits for the loss', async () => {
    const model = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = wc.tensor([1, 2, 3, 4], [2, 2]);
    const y = wc.tensor([0, 1], [2, 1]);
    const backend = x.backend as typeof x.backend & { flush?: () => void };
    const kernel = model.weights[0].value;
    const seen: number[][] = [];
    backend.flush = () => { seen.push(Array.from(kernel.dataSync())); };
    try {
      await model.trainOnBatch(x, y);
      await model.fit(x, y, { batchSize: 1, epochs: 1, shuffle: false });
    } finally {
      delete backend.flush;
    }
    // One flush a step (1 + 2 batches), after its update: each sees new weights.
    expect(seen.length).toBe(3);
    expect(seen[0]).not.toEqual([1, 1]);
    for (let s = 1; s < 3; s++) expect(seen[s], `step ${s} is updated at its flush`).not.toEqual(seen[s - 1]);
    expect(Array.from(kernel.dataSync())).toEqual(seen[2]);
  });

  it('errors: fit before compile, wrong number of inputs, mismatched rows', async () => {
    const model = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [2] })] });
    const x = wc.tensor([1, 2, 3, 4], [2, 2]);
    await expect(model.fit(x, wc.tensor([1, 2], [2, 1]))).rejects.toThrow(/compile the model first/);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(model.fit(x, wc.tensor([1, 2, 3], [3, 1]))).rejects.toThrow(/same number of rows/);
    await expect(model.fit(wc.tensor([1, 2, 3], [1, 3]), wc.tensor([1], [1, 1]))).rejects.toThrow(/expects shape \[null,2\], got \[1, 3\]/);
  });
});

describe('batch norm moving statistics under fit', () => {
  it('follow v -= (v - batch stat) * (1 - momentum) per step, with the biased batch variance, and drive inference', async () => {
    // BN first: its batch statistics are those of the raw input, whatever the optimizer does
    const n = 12, c = 3, batch = 4, momentum = 0.6;
    const xs = randomValues(n * 2 * 2 * c, 11, -1, 3);
    const inp = wc.input({ shape: [2, 2, c] });
    const normed = wc.layers.batchNormalization({ momentum }).apply(inp) as wc.SymbolicTensor;
    const probs = wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: glorot(12) }).apply(wc.layers.flatten().apply(normed));
    const model = wc.model({ inputs: inp, outputs: probs as wc.SymbolicTensor });
    model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    const ys = new Float32Array(n).map((_, i) => i % 2);
    await model.fit(wc.tensor(xs, [n, 2, 2, c]), wc.tensor(ys, [n, 1]), { epochs: 2, batchSize: batch, shuffle: false });

    const mean = new Float64Array(c);
    const variance = new Float64Array(c).fill(1);
    const perBatch = batch * 4;
    for (let step = 0; step < 2 * (n / batch); step++) {
      const first = (step % (n / batch)) * perBatch;
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let i = 0; i < perBatch; i++) s += xs[(first + i) * c + ch];
        const m = s / perBatch;
        let q = 0;
        for (let i = 0; i < perBatch; i++) q += (xs[(first + i) * c + ch] - m) ** 2;
        mean[ch] -= (mean[ch] - m) * (1 - momentum);
        variance[ch] -= (variance[ch] - q / perBatch) * (1 - momentum);
      }
    }
    // weights: gamma, beta, dense kernel, dense bias, moving mean, moving variance
    const w = model.getWeights();
    expect(w.map((t) => t.shape)).toEqual([[c], [c], [12, 2], [2], [c], [c]]);
    const [gamma, beta, , , gotMean, gotVar] = await Promise.all(w.map((t) => t.data()));
    for (let ch = 0; ch < c; ch++) {
      expect(gotMean[ch]).toBeCloseTo(mean[ch], 5);
      expect(gotVar[ch]).toBeCloseTo(variance[ch], 5);
    }
    // inference normalizes with them: compare BN's own output through a sub-model
    const probe = wc.model({ inputs: inp, outputs: normed });
    const y = await (probe.predict(wc.tensor(xs.slice(0, 2 * 2 * c), [1, 2, 2, c])) as wc.Tensor).data();
    for (let i = 0; i < 4 * c; i++) {
      const ch = i % c;
      expect(y[i]).toBeCloseTo(gamma[ch] * (xs[i] - mean[ch]) / Math.sqrt(variance[ch] + 1e-3) + beta[ch], 4);
    }
  });
});

describe('learning-rate schedules', () => {
  it('learningRateScheduler sets the rate before each epoch; the SGD steps follow it (hand-computed)', async () => {
    const model = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [2], useBias: false })] });
    model.setWeights([wc.tensor([0.5, -0.5], [2, 1])]);
    const optimizer = wc.optimizers.sgd({ learningRate: 0.05 });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const schedule = wc.callbacks.learningRateScheduler((epoch, lr) => (epoch === 0 ? lr : lr / 5));
    await model.fit(wc.tensor([1, 2], [1, 2]), wc.tensor([3], [1, 1]), { epochs: 2, batchSize: 1, callbacks: [schedule] });
    // epoch 0, lr 0.05: w.x = -0.5, grad 2(-0.5 - 3)[1, 2] = [-7, -14] -> w = [0.85, 0.2]
    // epoch 1, lr 0.01: w.x = 1.25, grad 2(1.25 - 3)[1, 2] = [-3.5, -7] -> w = [0.885, 0.27]
    const w = await model.getWeights()[0].data();
    expect(w[0]).toBeCloseTo(0.885, 6);
    expect(w[1]).toBeCloseTo(0.27, 6);
    expect(schedule.rates).toEqual([0.05, 0.01]);
    expect(optimizer.learningRate).toBe(0.01);
  });

  it('rejects a bad rate, from a schedule or set directly', async () => {
    const optimizer = wc.optimizers.adam();
    expect(() => { optimizer.learningRate = -1; }).toThrow(/Adam: learningRate must be a finite number >= 0, got -1/);
    expect(() => { optimizer.learningRate = NaN; }).toThrow(/got NaN/);
    expect(optimizer.learningRate).toBe(0.001);
    const model = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const fit = model.fit(wc.tensor([1], [1, 1]), wc.tensor([1], [1, 1]), { callbacks: [wc.callbacks.learningRateScheduler(() => Infinity)] });
    await expect(fit).rejects.toThrow(/learningRateScheduler: schedule\(0, 0.001\) returned Infinity; expected a finite number >= 0/);
  });
});
