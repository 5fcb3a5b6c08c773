// A loss that turns NaN or infinite during fit: by default fit rejects with a
// NonFiniteLossError naming the epoch, the batch and the value; with
// wc.callbacks.terminateOnNaN() it stops quietly. Either way the update of
// that batch is not applied: the weights, batch norm's moving statistics and
// the optimizer's slots equal those of a twin trained on the batches before it.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { NonFiniteLossError } from '../../src/train/guard.js';
import { randomValues } from '../util/check.js';
import { captureState, expectCleanError, expectStateUnchanged } from './state.js';

const glorot = (seed: number) => wc.initializers.glorotUniform({ seed });

/** input [2] -> dense -> batch norm -> dense softmax [2]; the same initial weights every time. */
function classifier(): wc.Sequential {
  const model = wc.sequential({
    layers: [
      wc.layers.dense({ inputShape: [2], units: 3, kernelInitializer: 'ones' }),
      wc.layers.batchNormalization(),
      wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: glorot(11) }),
    ],
  });
  model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * 8 rows in batches of 2. Rows 4 and 5 (batch 2) hold 3e38, finite but so
 * large that the first dense layer's sums overflow float32 to Infinity; batch
 * norm then computes Inf - Inf: its moving statistics, the logits and the loss
 * turn NaN inside the step.
 */
function data(poisonBatch = 2): { x: wc.Tensor; y: wc.Tensor; clean: (rows: number) => [wc.Tensor, wc.Tensor] } {
  const xv = randomValues(16, 21);
  xv.fill(3e38, poisonBatch * 4, poisonBatch * 4 + 4);
  const yv = new Float32Array(16);
  for (let i = 0; i < 8; i++) yv[i * 2 + (i % 2)] = 1;
  return {
    x: wc.tensor(xv, [8, 2]),
    y: wc.tensor(yv, [8, 2]),
    clean: (rows) => [wc.tensor(xv.slice(0, rows * 2), [rows, 2]), wc.tensor(yv.slice(0, rows * 2), [rows, 2])],
  };
}

describe('a loss that becomes NaN or Infinity during fit', () => {
  beforeAll(async () => {
    await wc.setBackend('cpu');
  });

  it('rejects with a NonFiniteLossError at that batch; the weights are the last finite ones', async () => {
    const d = data();
    const model = classifier();
    const err = await expectCleanError(() => model.fit(d.x, d.y, { batchSize: 2, epochs: 3, shuffle: false }),
      /Sequential\.fit: the loss became NaN at epoch 0, batch 2 \(0-based; rows 4\.\.5 of the shuffled order\); expected a finite loss/,
      /update was not applied/, /wc\.callbacks\.terminateOnNaN\(\)/);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(err).toBeInstanceOf(wc.NonFiniteLossError);
    expect(err.name).toBe('NonFiniteLossError');
    const e = err as NonFiniteLossError;
    expect([e.epoch, e.batch, Number.isNaN(e.loss)]).toEqual([0, 2, true]);
    // the twin: the same model trained on batches 0 and 1 only
    const twin = classifier();
    const [cx, cy] = d.clean(4);
    await twin.fit(cx, cy, { batchSize: 2, epochs: 1, shuffle: false });
    expect(twin.compiled!.optimizer.iterations).toBe(2);
    await expectStateUnchanged(model, await captureState(twin));
    // and the model trains on from there once the data is fixed
    const h = await model.fit(cx, cy, { batchSize: 2, epochs: 1, shuffle: false });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
  });

  it('with checkpointEvery and no batch callbacks, the kept checkpoint is the last step before the NaN batch', async () => {
    const d = data();
    const model = classifier();
    // the guard is read at epoch end; the checkpoints of batches 2 and 3 read it with their copies and are dropped
    await expect(model.fit(d.x, d.y, { batchSize: 2, shuffle: false, checkpointEvery: 1 })).rejects.toThrow(/the loss became NaN at epoch 0, batch 2/);
    expect([model.checkpoint?.epoch, model.checkpoint?.batch, model.checkpoint?.iterations]).toEqual([0, 1, 2]);
    expect(model.compiled!.optimizer.iterations).toBe(2);
    const twin = classifier();
    const [cx, cy] = d.clean(4);
    await twin.fit(cx, cy, { batchSize: 2, epochs: 1, shuffle: false });
    const want = await captureState(twin);
    await expectStateUnchanged(model, want);
    expect(model.checkpoint!.weights.map((w) => [...w.values])).toEqual(twin.getWeights().map((t) => [...t.dataSync()]));
  });

  it('an infinite loss (labels far out of range for mean squared error) stops the same way', async () => {
    const model = wc.sequential({ layers: [wc.layers.dense({ inputShape: [3], units: 1, kernelInitializer: glorot(12) })] });
    model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.01, momentum: 0.9 }), loss: 'meanSquaredError' });
    const y = new Float32Array([0.5, -0.2, 0.1, 1e30, 0.3, 0.7]);
    const x = wc.tensor(randomValues(18, 13), [6, 3]);
    await model.fit(wc.tensor(randomValues(6, 14), [2, 3]), wc.tensor([1, 2], [2, 1]), { batchSize: 2 }); // momentum slots exist
    const twin = wc.sequential({ layers: [wc.layers.dense({ inputShape: [3], units: 1, kernelInitializer: glorot(12) })] });
    twin.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.01, momentum: 0.9 }), loss: 'meanSquaredError' });
    await twin.fit(wc.tensor(randomValues(6, 14), [2, 3]), wc.tensor([1, 2], [2, 1]), { batchSize: 2 });
    await expectCleanError(() => model.fit(x, wc.tensor(y, [6, 1]), { batchSize: 3, shuffle: false, epochs: 2 }),
      /Sequential\.fit: the loss became Infinity at epoch 0, batch 1 \(0-based; rows 3\.\.5 of the shuffled order\)/);
    await twin.fit(wc.tensor((await x.data()).slice(0, 9), [3, 3]), wc.tensor(y.slice(0, 3), [3, 1]), { batchSize: 3, shuffle: false });
    await expectStateUnchanged(model, await captureState(twin));
  });

  it('wc.callbacks.terminateOnNaN() stops at that batch without an error, as Keras does', async () => {
    const d = data();
    const model = classifier();
    const stop = wc.callbacks.terminateOnNaN();
    const seen: number[] = [];
    const h = await model.fit(d.x, d.y, {
      batchSize: 2, epochs: 3, shuffle: false, callbacks: [stop, { onBatchEnd: (_b, logs) => void seen.push(logs!.loss) }],
    });
    expect(stop.stopped).toEqual({ epoch: 0, batch: 2, loss: NaN });
    // every callback saw the NaN batch's logs (as Keras's on_batch_end does), then training ended
    expect(seen.length).toBe(3);
    expect(Number.isNaN(seen[2])).toBe(true);
    // the partial epoch is logged over the two batches that were applied
    expect(h.history.loss.length).toBe(1);
    expect(h.history.loss[0]).toBeCloseTo((seen[0] + seen[1]) / 2, 6);
    const twin = classifier();
    const [cx, cy] = d.clean(4);
    await twin.fit(cx, cy, { batchSize: 2, epochs: 1, shuffle: false });
    await expectStateUnchanged(model, await captureState(twin));
  });

  it('a NaN loss in the very first batch leaves the initial weights and an empty history', async () => {
    const d = data(0);
    const model = classifier();
    const before = await captureState(model);
    const h = await model.fit(d.x, d.y, { batchSize: 2, epochs: 2, shuffle: false, callbacks: wc.callbacks.terminateOnNaN() });
    expect(h.history).toEqual({});
    await expectStateUnchanged(model, before);
    await expectCleanError(() => model.fit(d.x, d.y, { batchSize: 2, shuffle: false }), /the loss became NaN at epoch 0, batch 0/);
    await expectStateUnchanged(model, before);
  });

  it('trainOnBatch refuses the update of a NaN batch', async () => {
    const d = data();
    const model = classifier();
    await model.trainOnBatch(...d.clean(2));
    const before = await captureState(model);
    const x = wc.tensor([3e38, 3e38, 3e38, 3e38], [2, 2]);
    const err = await expectCleanError(() => model.trainOnBatch(x, d.clean(2)[1]), /Sequential\.trainOnBatch: the loss became NaN; expected a finite loss/);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    await expectStateUnchanged(model, before);
  });

  it('an error thrown inside a step puts the moving statistics back', async () => {
    /** Passes its input through, but throws in a training forward pass. */
    class Faulty extends wc.Layer<null> {
      override readonly className = 'Faulty';
      constructor() { super({}, 'faulty'); }
      override computeOutputShape(s: wc.SymbolicTensor['shape']) { return s; }
      override forward(xs: wc.Tensor[], training: boolean): [wc.Tensor, null] {
        if (training) throw new Error('faulty: broken on purpose');
        return [xs[0], null];
      }
      override backward(dy: wc.Tensor) { return { dxs: [dy], dWeights: [] }; }
      protected override layerConfig() { return {}; }
    }
    const model = wc.sequential({ layers: [wc.layers.batchNormalization({ inputShape: [2] }), new Faulty(), wc.layers.dense({ units: 2, activation: 'softmax' })] });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const before = await captureState(model);
    await expectCleanError(() => model.fit(wc.tensor(randomValues(8, 3), [4, 2]), wc.tensor([1, 0, 0, 1, 1, 0, 0, 1], [4, 2])), /faulty: broken on purpose/);
    await expectStateUnchanged(model, before);
  });

  it('leaks no tensors on any of these paths', async () => {
    const d = data();
    const model = classifier();
    await model.fit(...d.clean(2), { batchSize: 2 });
    const base = wc.memory().numTensors;
    await expect(model.fit(d.x, d.y, { batchSize: 2, shuffle: false })).rejects.toThrow(NonFiniteLossError);
    await model.fit(d.x, d.y, { batchSize: 2, shuffle: false, callbacks: wc.callbacks.terminateOnNaN() });
    expect(wc.memory().numTensors).toBe(base);
  });
});
