// Callbacks hook by hook, driven by hand (no training) so each rule shows:
// EarlyStopping's improvement test (strict, minDelta's sign, 'auto' mode,
// baseline, patience), TerminateOnNaN, LearningRateScheduler's checks,
// History, and the order and logs CallbackList hands to each hook in fit.
// Written to kill StrykerJS mutants (docs/MUTATION.md).

import { afterEach, describe, expect, it, vi } from 'vitest';
import * as wc from '../../src/index.js';

const { EarlyStopping, TerminateOnNaN, History, CallbackList, LearningRateScheduler } = wc.callbacks;

/** A one-weight model: p = w * x with w = 1, b = 0. */
function tinyModel(): wc.LayersModel {
  return wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' })] });
}

/** Feeds `values` of `monitor` epoch by epoch; returns [wait, best, stopTraining] after each. */
function drive(es: InstanceType<typeof EarlyStopping>, monitor: string, values: number[]): [number, number, boolean][] {
  const model = tinyModel();
  es.setModel(model);
  es.onTrainBegin();
  return values.map((v, epoch) => {
    es.onEpochEnd(epoch, { [monitor]: v });
    return [es.wait, es.best, model.stopTraining];
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('EarlyStopping: arguments', () => {
  it("defaults: monitor 'val_loss', patience 0, mode min, no baseline, no restore", () => {
    const es = wc.callbacks.earlyStopping();
    expect(es.monitor).toBe('val_loss');
    expect(es.patience).toBe(0);
    expect(es.mode).toBe('min');
    expect(es.minDelta === 0).toBe(true); // -0 as Keras keeps it
    expect(es.baseline).toBeNull();
    expect(es.restoreBestWeights).toBe(false);
    expect([es.wait, es.stoppedEpoch, es.best]).toEqual([0, 0, Infinity]);
  });

  it("'auto' maximizes a monitor whose name has 'acc', minimizes the rest; an explicit mode wins", () => {
    expect(new EarlyStopping({ monitor: 'val_acc' }).mode).toBe('max');
    expect(new EarlyStopping({ monitor: 'acc', mode: 'auto' }).mode).toBe('max');
    expect(new EarlyStopping({ monitor: 'loss' }).mode).toBe('min');
    expect(new EarlyStopping({ monitor: 'loss', mode: 'max' }).mode).toBe('max');
    expect(new EarlyStopping({ monitor: 'val_acc', mode: 'min' }).mode).toBe('min');
  });

  it('minDelta is taken as |minDelta|, negative when minimizing', () => {
    expect(new EarlyStopping({ monitor: 'loss', minDelta: 0.25 }).minDelta).toBe(-0.25);
    expect(new EarlyStopping({ monitor: 'loss', minDelta: -0.25 }).minDelta).toBe(-0.25);
    expect(new EarlyStopping({ monitor: 'acc', minDelta: -0.25 }).minDelta).toBe(0.25);
    expect(new EarlyStopping({ monitor: 'loss', mode: 'max', minDelta: 0.25 }).minDelta).toBe(0.25);
  });

  it('keeps patience, baseline and restoreBestWeights as given', () => {
    const es = new EarlyStopping({ patience: 3, baseline: 0.5, restoreBestWeights: true });
    expect([es.patience, es.baseline, es.restoreBestWeights]).toEqual([3, 0.5, true]);
  });

  it('rejects a bad patience or mode, naming the value', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow('callbacks.earlyStopping: patience must be a non-negative integer, got -1');
    expect(() => new EarlyStopping({ patience: 1.5 })).toThrow('callbacks.earlyStopping: patience must be a non-negative integer, got 1.5');
    expect(() => new EarlyStopping({ mode: 'up' as never })).toThrow("callbacks.earlyStopping: mode must be 'auto', 'min' or 'max', got 'up'");
    expect(new EarlyStopping({ patience: 0 }).patience).toBe(0);
  });
});

describe('EarlyStopping: the improvement rule', () => {
  it('min: improves only when current - minDelta < best, strictly', () => {
    // minDelta 0.1: 0.95 is not 0.1 better than 1; 0.85 is; an equal value is not
    const es = new EarlyStopping({ monitor: 'loss', minDelta: 0.1, patience: 2 });
    expect(drive(es, 'loss', [1, 0.95, 0.85, 0.85, 0.85])).toEqual([
      [0, 1, false], [1, 1, false], [0, 0.85, false], [1, 0.85, false], [2, 0.85, true],
    ]);
    expect(es.stoppedEpoch).toBe(4);
  });

  it('min with minDelta 0: an equal value does not improve, a smaller one does', () => {
    const es = new EarlyStopping({ monitor: 'loss', patience: 5 });
    expect(drive(es, 'loss', [2, 2, 1.5, 3])).toEqual([[0, 2, false], [1, 2, false], [0, 1.5, false], [1, 1.5, false]]);
  });

  it('max: improves only when current - minDelta > best, strictly', () => {
    const es = new EarlyStopping({ monitor: 'acc', minDelta: 0.1, patience: 2 });
    expect(es.best).toBe(Infinity); // before onTrainBegin
    expect(drive(es, 'acc', [0.5, 0.55, 0.7, 0.7, 0.2])).toEqual([
      [0, 0.5, false], [1, 0.5, false], [0, 0.7, false], [1, 0.7, false], [2, 0.7, true],
    ]);
    expect(es.stoppedEpoch).toBe(4);
  });

  it('max with minDelta 0: an equal value does not improve', () => {
    const es = new EarlyStopping({ monitor: 'acc', patience: 5 });
    expect(drive(es, 'acc', [0.5, 0.5, 0.75])).toEqual([[0, 0.5, false], [1, 0.5, false], [0, 0.75, false]]);
  });

  it('max starts from -Infinity (any first value improves), min from +Infinity', () => {
    const max = new EarlyStopping({ monitor: 'acc' });
    max.setModel(tinyModel());
    max.onTrainBegin();
    expect(max.best).toBe(-Infinity);
    const min = new EarlyStopping({ monitor: 'loss' });
    min.setModel(tinyModel());
    min.onTrainBegin();
    expect(min.best).toBe(Infinity);
    expect(drive(new EarlyStopping({ monitor: 'acc' }), 'acc', [-1e30])).toEqual([[0, -1e30, false]]);
    expect(drive(new EarlyStopping({ monitor: 'loss' }), 'loss', [1e30])).toEqual([[0, 1e30, false]]);
  });

  it('a baseline is the value to beat from the first epoch', () => {
    const es = new EarlyStopping({ monitor: 'loss', baseline: 0.3, patience: 1 });
    expect(drive(es, 'loss', [0.5])).toEqual([[1, 0.3, true]]);
    expect(es.stoppedEpoch).toBe(0);
    const ok = new EarlyStopping({ monitor: 'loss', baseline: 0.3, patience: 1 });
    expect(drive(ok, 'loss', [0.2])).toEqual([[0, 0.2, false]]);
  });

  it('patience 0 stops at the first epoch without improvement; patience counts epochs waited', () => {
    expect(drive(new EarlyStopping({ monitor: 'loss' }), 'loss', [1, 1])).toEqual([[0, 1, false], [1, 1, true]]);
    expect(drive(new EarlyStopping({ monitor: 'loss', patience: 3 }), 'loss', [1, 2, 2, 2])).toEqual([
      [0, 1, false], [1, 1, false], [2, 1, false], [3, 1, true],
    ]);
  });

  it('onTrainBegin starts over: wait, stoppedEpoch and best reset', () => {
    const es = new EarlyStopping({ monitor: 'loss' });
    drive(es, 'loss', [1, 2]);
    expect([es.wait, es.stoppedEpoch]).toEqual([1, 1]);
    es.onTrainBegin();
    expect([es.wait, es.stoppedEpoch, es.best]).toEqual([0, 0, Infinity]);
  });

  it('a monitor missing from the logs is skipped with a warning naming the keys there', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const es = new EarlyStopping({ patience: 0 });
    const model = tinyModel();
    es.setModel(model);
    es.onTrainBegin();
    es.onEpochEnd(0, { loss: 1, acc: 0.5 });
    expect(warn).toHaveBeenCalledWith("earlyStopping: metric 'val_loss' is not in the logs (available: loss, acc); skipping");
    expect([es.wait, es.best, model.stopTraining]).toEqual([0, Infinity, false]);
    es.onEpochEnd(1);
    expect(warn).toHaveBeenLastCalledWith("earlyStopping: metric 'val_loss' is not in the logs (available: ); skipping");
  });
});

describe('EarlyStopping: restoring the best weights', () => {
  async function weights(model: wc.LayersModel): Promise<number[]> {
    return (await Promise.all(model.getWeights().map((t) => t.data()))).flatMap((v) => [...v]);
  }

  it('copies the weights at each improvement and puts the best back when it stops', async () => {
    const model = tinyModel();
    const es = new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true });
    es.setModel(model);
    es.onTrainBegin();
    es.onEpochEnd(0, { loss: 1 }); // best: w = 1, b = 0
    model.setWeights([wc.tensor([5], [1, 1]), wc.tensor([6], [1])]);
    es.onEpochEnd(1, { loss: 2 }); // no improvement, patience 1: stop and restore
    expect(model.stopTraining).toBe(true);
    expect(await weights(model)).toEqual([1, 0]);
    es.onTrainEnd();
  });

  it('a later improvement replaces the saved copy', async () => {
    const model = tinyModel();
    const es = new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true });
    es.setModel(model);
    es.onTrainBegin();
    es.onEpochEnd(0, { loss: 1 });
    model.setWeights([wc.tensor([2], [1, 1]), wc.tensor([3], [1])]);
    es.onEpochEnd(1, { loss: 0.5 });
    model.setWeights([wc.tensor([7], [1, 1]), wc.tensor([8], [1])]);
    es.onEpochEnd(2, { loss: 0.9 });
    expect(await weights(model)).toEqual([2, 3]);
  });

  it('without restoreBestWeights, or with nothing saved, the weights stay as they are', async () => {
    const model = tinyModel();
    const es = new EarlyStopping({ monitor: 'loss', patience: 1 });
    es.setModel(model);
    es.onTrainBegin();
    es.onEpochEnd(0, { loss: 1 });
    model.setWeights([wc.tensor([5], [1, 1]), wc.tensor([6], [1])]);
    es.onEpochEnd(1, { loss: 2 });
    expect(model.stopTraining).toBe(true);
    expect(await weights(model)).toEqual([5, 6]);

    const never = new EarlyStopping({ monitor: 'loss', patience: 1, baseline: 0, restoreBestWeights: true });
    const m2 = tinyModel();
    never.setModel(m2);
    never.onTrainBegin();
    m2.setWeights([wc.tensor([4], [1, 1]), wc.tensor([4], [1])]);
    never.onEpochEnd(0, { loss: 1 });
    expect(m2.stopTraining).toBe(true);
    expect(await weights(m2)).toEqual([4, 4]);
  });

  it('keeps no copies unless asked to restore, and frees its copy at onTrainEnd', () => {
    const model = tinyModel();
    const plain = new EarlyStopping({ monitor: 'loss' });
    plain.setModel(model);
    plain.onTrainBegin();
    const before = wc.memory().numTensors;
    plain.onEpochEnd(0, { loss: 1 });
    expect(wc.memory().numTensors).toBe(before);
    const restoring = new EarlyStopping({ monitor: 'loss', restoreBestWeights: true });
    restoring.setModel(model);
    restoring.onTrainBegin();
    restoring.onEpochEnd(0, { loss: 1 });
    expect(wc.memory().numTensors).toBe(before + 2);
    restoring.onTrainEnd();
    expect(wc.memory().numTensors).toBe(before);
  });

  it('onTrainBegin and onTrainEnd drop the saved copy: a new run does not restore the old best', async () => {
    const model = tinyModel();
    const es = new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true, baseline: 0.5 });
    es.setModel(model);
    es.onTrainBegin();
    es.onEpochEnd(0, { loss: 0.1 }); // saves w = 1, b = 0
    es.onTrainEnd();
    es.onTrainBegin();
    model.setWeights([wc.tensor([9], [1, 1]), wc.tensor([9], [1])]);
    es.onEpochEnd(0, { loss: 1 }); // worse than the baseline: stops, nothing saved in this run
    expect(model.stopTraining).toBe(true);
    expect(await weights(model)).toEqual([9, 9]);
  });
});

describe('TerminateOnNaN', () => {
  it('records epoch, batch and loss of the first non-finite batch loss and stops', () => {
    const model = tinyModel();
    const t = wc.callbacks.terminateOnNaN();
    t.setModel(model);
    t.onTrainBegin();
    expect(t.stopped).toBeNull();
    t.onEpochBegin(3);
    t.onBatchEnd(5, { loss: 1.5 });
    t.onBatchEnd(6, {});
    t.onBatchEnd(7);
    expect([t.stopped, model.stopTraining]).toEqual([null, false]);
    t.onBatchEnd(8, { loss: -Infinity });
    expect(t.stopped).toEqual({ epoch: 3, batch: 8, loss: -Infinity });
    expect(model.stopTraining).toBe(true);
    t.onTrainBegin();
    expect(t.stopped).toBeNull();
  });

  it('NaN counts too', () => {
    const model = tinyModel();
    const t = new TerminateOnNaN();
    t.setModel(model);
    t.onBatchEnd(0, { loss: NaN });
    expect(t.stopped).toEqual({ epoch: 0, batch: 0, loss: NaN });
  });
});

describe('LearningRateScheduler', () => {
  it('refuses a schedule that is not a function', () => {
    expect(() => wc.callbacks.learningRateScheduler(0.1 as never)).toThrow(
      'callbacks.learningRateScheduler: schedule must be a function (epoch, learningRate) => number, got number');
  });

  it('needs a compiled model', () => {
    const s = new LearningRateScheduler(() => 0.1);
    expect(s.rates).toEqual([]);
    expect(() => s.onEpochBegin(0)).toThrow('learningRateScheduler: the model has no optimizer; compile it before fit');
    s.setModel(tinyModel());
    expect(() => s.onEpochBegin(0)).toThrow('learningRateScheduler: the model has no optimizer; compile it before fit');
  });

  it('sets the rate from (epoch, current rate) and records it; 0 is allowed, negative or non-finite is not', () => {
    const model = tinyModel();
    model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
    const seen: [number, number][] = [];
    const s = new LearningRateScheduler((epoch, lr) => {
      seen.push([epoch, lr]);
      return epoch === 2 ? 0 : lr / 2;
    });
    s.setModel(model);
    s.onEpochBegin(0);
    s.onEpochBegin(1);
    s.onEpochBegin(2);
    expect(seen).toEqual([[0, 0.5], [1, 0.25], [2, 0.125]]);
    expect(s.rates).toEqual([0.25, 0.125, 0]);
    expect(model.compiled!.optimizer.learningRate).toBe(0);
    for (const bad of [-0.1, NaN, Infinity, '0.1']) {
      const b = new LearningRateScheduler(() => bad as number);
      b.setModel(model);
      expect(() => b.onEpochBegin(4)).toThrow(`learningRateScheduler: schedule(4, 0) returned ${String(bad)}; expected a finite number >= 0`);
    }
    expect(model.compiled!.optimizer.learningRate).toBe(0);
  });
});

describe('History and CallbackList', () => {
  it('History appends the epoch and each log value', () => {
    const h = new History();
    h.onEpochEnd(0, { loss: 2, acc: 0.5 });
    h.onEpochEnd(1, { loss: 1, acc: 0.75 });
    h.onEpochEnd(2);
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(h.history).toEqual({ loss: [2, 1], acc: [0.5, 0.75] });
  });

  it('hands each hook a copy of the logs, in order, and sets the model on Callback objects', async () => {
    const model = tinyModel();
    const calls: string[] = [];
    const first = {
      onTrainBegin: (logs?: wc.Logs) => { calls.push(`trainBegin ${JSON.stringify(logs)}`); },
      onEpochBegin: (e: number, logs?: wc.Logs) => { calls.push(`epochBegin ${e} ${JSON.stringify(logs)}`); },
      onBatchBegin: (b: number, logs?: wc.Logs) => { calls.push(`batchBegin ${b} ${JSON.stringify(logs)}`); logs!.size = -1; },
      onBatchEnd: (b: number, logs?: wc.Logs) => { calls.push(`batchEnd ${b} ${JSON.stringify(logs)}`); logs!.loss = -1; },
      onEpochEnd: (e: number, logs?: wc.Logs) => { calls.push(`epochEnd ${e} ${JSON.stringify(logs)}`); logs!.loss = -1; },
      onTrainEnd: (logs?: wc.Logs) => { calls.push(`trainEnd ${JSON.stringify(logs)}`); },
    };
    const second = {
      onBatchBegin: (b: number, logs?: wc.Logs) => { calls.push(`second batchBegin ${b} ${logs!.size}`); },
      onBatchEnd: (b: number, logs?: wc.Logs) => { calls.push(`second batchEnd ${b} ${logs!.loss}`); },
      onEpochEnd: (e: number, logs?: wc.Logs) => { calls.push(`second epochEnd ${e} ${logs!.loss}`); },
    };
    const es = new EarlyStopping({ monitor: 'loss', patience: 10 });
    const history = new History();
    const list = new CallbackList([first, second, es], model, history);
    expect(es.model).toBe(model);
    expect(history.model).toBe(model);
    expect(list.wantsBatchLogs).toBe(true);
    await list.trainBegin();
    await list.epochBegin(0);
    await list.batchBegin(0, { batch: 0, size: 4 });
    await list.batchEnd(0, { batch: 0, size: 4, loss: 3 });
    await list.epochEnd(0, { loss: 3 });
    await list.trainEnd({ loss: 3 });
    expect(calls).toEqual([
      'trainBegin {}', 'epochBegin 0 {}',
      'batchBegin 0 {"batch":0,"size":4}', 'second batchBegin 0 4',
      'batchEnd 0 {"batch":0,"size":4,"loss":3}', 'second batchEnd 0 3',
      'epochEnd 0 {"loss":3}', 'second epochEnd 0 3',
      'trainEnd {"loss":3}',
    ]);
    expect(history.history).toEqual({ loss: [3] });
    expect(es.best).toBe(3);
  });

  it('wants batch logs only when some callback has a batch hook; takes one callback or none', () => {
    const model = tinyModel();
    expect(new CallbackList(undefined, model, new History()).wantsBatchLogs).toBe(false);
    expect(new CallbackList({ onEpochEnd: () => {} }, model, new History()).wantsBatchLogs).toBe(false);
    expect(new CallbackList({ onBatchBegin: () => {} }, model, new History()).wantsBatchLogs).toBe(true);
    expect(new CallbackList([{ onEpochEnd: () => {} }, { onBatchEnd: () => {} }], model, new History()).wantsBatchLogs).toBe(true);
    const es = new EarlyStopping();
    new CallbackList(es, model, new History());
    expect(es.model).toBe(model);
  });

  it('fit calls the hooks in order: train, then per epoch begin, batches, end', async () => {
    const model = tinyModel();
    model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0 }), loss: 'meanSquaredError' });
    const calls: string[] = [];
    await model.fit(wc.tensor([1, 2, 3], [3, 1]), wc.tensor([0, 0, 0], [3, 1]), {
      epochs: 2, batchSize: 2, shuffle: false,
      callbacks: {
        onTrainBegin: () => { calls.push('trainBegin'); },
        onEpochBegin: (e) => { calls.push(`epochBegin ${e}`); },
        onBatchBegin: (b, logs) => { calls.push(`batchBegin ${b} ${JSON.stringify(logs)}`); },
        onBatchEnd: (b, logs) => { calls.push(`batchEnd ${b} ${JSON.stringify(logs)}`); },
        onEpochEnd: (e, logs) => { calls.push(`epochEnd ${e} ${JSON.stringify(logs)}`); },
        onTrainEnd: (logs) => { calls.push(`trainEnd ${JSON.stringify(logs)}`); },
      },
    });
    // w = 1, lr 0: p = x; batch losses (1 + 4) / 2 = 2.5 and 9; epoch (2.5 * 2 + 9) / 3 = 14 / 3
    const epochLoss = JSON.stringify({ loss: Math.fround(Math.fround(5) + Math.fround(9)) / 3 });
    const epoch = (e: number) => [
      `epochBegin ${e}`,
      'batchBegin 0 {"batch":0,"size":2}', 'batchEnd 0 {"batch":0,"size":2,"loss":2.5}',
      'batchBegin 1 {"batch":1,"size":1}', 'batchEnd 1 {"batch":1,"size":1,"loss":9}',
      `epochEnd ${e} ${epochLoss}`,
    ];
    expect(calls).toEqual(['trainBegin', ...epoch(0), ...epoch(1), `trainEnd ${epochLoss}`]);
  });
});
