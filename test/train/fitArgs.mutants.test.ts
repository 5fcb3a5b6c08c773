// fit / evaluate / predict / trainOnBatch arguments, worked by hand on the
// identity model p = x (one dense unit, w = 1, b = 0, learning rate 0 so
// nothing moves): batch sizes and their defaults, the size-weighted means,
// epochs and initialEpoch, validationSplit's edges, verbose's line, predict's
// batching over one and several outputs, and each argument error's message.
// Written to kill StrykerJS mutants (docs/MUTATION.md).

import { afterEach, describe, expect, it, vi } from 'vitest';
import * as wc from '../../src/index.js';

/** p = x, with SGD at rate 0 under MSE: the loss of a batch is the mean of x^2 when y = 0. */
function identity(metrics?: string[]): wc.LayersModel {
  const model = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' })] });
  model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0 }), loss: 'meanSquaredError', metrics: metrics as never });
  return model;
}

const column = (values: number[]) => wc.tensor(values, [values.length, 1]);
const zeros = (n: number) => column(new Array(n).fill(0));

/** The batch sizes fit uses, seen by a batch callback. */
async function batchSizes(model: wc.LayersModel, n: number, args: wc.FitArgs = {}): Promise<number[]> {
  const sizes: number[] = [];
  await model.fit(column(Array.from({ length: n }, (_, i) => i)), zeros(n), {
    ...args, callbacks: { onBatchEnd: (_b, logs) => { sizes.push(logs!.size); } },
  });
  return sizes;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('fit: batches and epochs', () => {
  it('batchSize defaults to 32; the last batch holds the rest', async () => {
    expect(await batchSizes(identity(), 70)).toEqual([32, 32, 6]);
    expect(await batchSizes(identity(), 4, { batchSize: 3 })).toEqual([3, 1]);
    expect(await batchSizes(identity(), 4, { batchSize: 4 })).toEqual([4]);
    expect(await batchSizes(identity(), 4, { batchSize: 9 })).toEqual([4]);
    expect(await batchSizes(identity(), 1, { batchSize: 1 })).toEqual([1]);
  });

  it('the epoch loss is the size-weighted mean of the batch losses', async () => {
    // x = 1..4, y = 0: batches [1, 2, 3] (loss 14/3) and [4] (loss 16): (14 + 16) / 4 = 7.5
    const h = await identity().fit(column([1, 2, 3, 4]), zeros(4), { batchSize: 3, shuffle: false });
    expect(h.history.loss).toEqual([7.5]);
  });

  it('epochs defaults to 1; epochs 0 trains nothing; initialEpoch starts the count there', async () => {
    const model = identity();
    expect((await model.fit(column([1]), zeros(1))).epoch).toEqual([0]);
    expect((await model.fit(column([1]), zeros(1), { epochs: 0 })).epoch).toEqual([]);
    const h = await model.fit(column([1]), zeros(1), { epochs: 4, initialEpoch: 2 });
    expect(h.epoch).toEqual([2, 3]);
    expect(h.history.loss).toEqual([1, 1]);
  });

  it('refuses a bad batchSize, epochs or validationSplit, naming the value', async () => {
    const model = identity();
    const fit = (args: wc.FitArgs) => model.fit(column([1, 2]), zeros(2), args);
    for (const b of [0, -1, 1.5]) await expect(fit({ batchSize: b })).rejects.toThrow(`Sequential.fit: batchSize must be a positive integer, got ${b}`);
    for (const e of [-1, 1.5]) await expect(fit({ epochs: e })).rejects.toThrow(`Sequential.fit: epochs must be a non-negative integer, got ${e}`);
    for (const s of [1, -0.1, NaN]) await expect(fit({ validationSplit: s })).rejects.toThrow(`Sequential.fit: validationSplit must be in [0, 1), got ${s}`);
    await expect(fit({ checkpointEvery: 0 })).rejects.toThrow('Sequential.fit: checkpointEvery must be a positive integer (batches), got 0');
  });

  it('validationSplit holds out floor(n * (1 - split)).. as validation, and says when a side is empty', async () => {
    const model = identity();
    // 4 rows, split 0.25: train on x = 1, 2, 3 (loss 14/3), validate on x = 4 (loss 16)
    const h = await model.fit(column([1, 2, 3, 4]), zeros(4), { validationSplit: 0.25, shuffle: false });
    expect(h.history.loss[0]).toBeCloseTo(14 / 3, 5);
    expect(h.history.val_loss).toEqual([16]);
    await expect(model.fit(column([1, 2, 3, 4]), zeros(4), { validationSplit: 0.8 })).rejects.toThrow(
      'Sequential.fit: validationSplit 0.8 of 4 rows leaves no training rows');
    await expect(model.fit(column([1, 2, 3, 4]), zeros(4), { validationSplit: 1e-17 })).rejects.toThrow(
      'Sequential.fit: validationSplit 1e-17 of 4 rows leaves no validation rows');
  });

  it('validationData is evaluated in batches, weighted by size', async () => {
    const h = await identity().fit(column([1]), zeros(1), { batchSize: 3, validationData: [column([1, 2, 3, 4]), zeros(4)] });
    expect(h.history.val_loss).toEqual([7.5]);
  });

  it("verbose 1 prints one line per epoch with each log to 4 significant digits", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await identity(['mae']).fit(column([1, 2]), zeros(2), { epochs: 2, verbose: 1 });
    expect(log.mock.calls).toEqual([['Epoch 1/2 loss=2.500 mae=1.500'], ['Epoch 2/2 loss=2.500 mae=1.500']]);
    log.mockClear();
    await identity().fit(column([1, 2]), zeros(2), { verbose: 0 });
    await identity().fit(column([1, 2]), zeros(2));
    expect(log).not.toHaveBeenCalled();
  });
});

describe('evaluate, trainOnBatch, predict', () => {
  it('evaluate: size-weighted means over batches, default batch 32', async () => {
    const model = identity(['mae']);
    expect(await model.evaluate(column([1, 2, 3, 4]), zeros(4), { batchSize: 3 })).toEqual([7.5, 2.5]);
    expect(await model.evaluate(column([1, 2, 3, 4]), zeros(4))).toEqual([7.5, 2.5]);
    await expect(model.evaluate(column([1]), zeros(1), { batchSize: 0 })).rejects.toThrow('Sequential.evaluate: batchSize must be a positive integer, got 0');
    await expect(identity().evaluate(column([1, 2]), zeros(2))).resolves.toEqual([2.5]);
  });

  it('trainOnBatch: the loss as a number, or [loss, ...metrics]', async () => {
    expect(await identity().trainOnBatch(column([1, 2]), zeros(2))).toBe(2.5);
    expect(await identity(['mae']).trainOnBatch(column([1, 2]), zeros(2))).toEqual([2.5, 1.5]);
  });

  it('predict: batches stacked back in order, any batch size', async () => {
    const model = identity();
    const x = column([1, 2, 3, 4, 5]);
    for (const batchSize of [1, 2, 3, 5, 32, undefined]) {
      const p = model.predict(x, batchSize === undefined ? undefined : { batchSize }) as wc.Tensor;
      expect(p.shape).toEqual([5, 1]);
      expect([...(await p.data())]).toEqual([1, 2, 3, 4, 5]);
    }
    expect(() => model.predict(x, { batchSize: 0 })).toThrow('Sequential.predict: batchSize must be a positive integer, got 0');
  });

  it('predict: one tensor per output for a model with several, batched', async () => {
    const inp = wc.input({ shape: [1] });
    const a = wc.layers.dense({ units: 1, kernelInitializer: 'ones' }).apply(inp) as wc.SymbolicTensor;
    const b = wc.layers.dense({ units: 2, kernelInitializer: 'ones', biasInitializer: 'ones' }).apply(inp) as wc.SymbolicTensor;
    const model = wc.model({ inputs: inp, outputs: [a, b] });
    const out = model.predict(column([1, 2, 3]), { batchSize: 2 }) as wc.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([[3, 1], [3, 2]]);
    expect([...(await out[0].data())]).toEqual([1, 2, 3]);
    expect([...(await out[1].data())]).toEqual([2, 2, 3, 3, 4, 4]);
  });

  it('multi-output fit logs the total and each output\'s loss by layer name', async () => {
    const inp = wc.input({ shape: [1] });
    const a = wc.layers.dense({ units: 1, kernelInitializer: 'ones', name: 'a' }).apply(inp) as wc.SymbolicTensor;
    const b = wc.layers.dense({ units: 1, kernelInitializer: 'zeros', name: 'b' }).apply(inp) as wc.SymbolicTensor;
    const model = wc.model({ inputs: inp, outputs: [a, b] });
    model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0 }), loss: 'mse', metrics: ['mae'] });
    // a: p = x = [1, 2], b: p = 0; y = [0, 0] and [1, 3]: a loss 2.5, b loss 5, mae 1.5 and 2
    const h = await model.fit(column([1, 2]), [zeros(2), column([1, 3])]);
    expect(h.history).toEqual({ loss: [7.5], a_loss: [2.5], b_loss: [5], a_mae: [1.5], b_mae: [2] });
    expect(await model.trainOnBatch(column([1, 2]), [zeros(2), column([1, 3])])).toEqual([7.5, 2.5, 5, 1.5, 2]);
  });
});
