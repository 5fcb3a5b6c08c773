// model.fitDataset / evaluateDataset: training and evaluation on a stream of
// batches (wc.data.Dataset), with TF.js's arguments and epoch rules
// (tfjs-layers/src/engine/training_dataset.ts). Each step reuses fit's
// machinery: the NaN-guarded step, device-side sums of the logs, callbacks,
// checkpoints and the one-fit-per-model lock. The next batch is asked for
// before the current step is awaited, so the dataset makes and uploads it
// while the device runs the step; a batch's tensors are disposed once its step
// is recorded, so an epoch holds about two batches, never the whole dataset.

import type { Tensor } from '../tensor.js';
import { tidy } from '../tensor.js';
import type { Dataset } from '../data/dataset.js';
import type { DataIterator, DataResult } from '../data/iterators.js';
import { disposeElement, type DataElement } from '../data/element.js';
import type { TrainableModel } from './types.js';
import { CallbackList, History, type CallbackArg, type Logs } from './callbacks.js';
import { CheckpointKeeper } from './checkpoint.js';
import { evalStep } from './step.js';
import { readStep, StepGuard, type BadStep } from './guard.js';
import { beginFit } from './fitLock.js';
import { batchTensors } from './datasetBatch.js';
import { checkData, checkDataAsync, DeviceSums, evaluateLoop, named, nonFiniteLoss, nonNegativeInteger, requireCompiled } from './fit.js';

/** What fitDataset validates on: a dataset of batches, or [x, y] tensors (split into batches of validationBatchSize). */
export type ValidationData = Dataset<DataElement> | readonly [Tensor | Tensor[], Tensor | Tensor[]];

export interface FitDatasetArgs {
  /** Epochs to train (a positive integer): each a pass over the dataset, or batchesPerEpoch batches. */
  epochs: number;
  /**
   * Batches per epoch. Without it an epoch ends when the dataset does, and
   * every epoch starts a new pass; with it one stream runs across all epochs
   * (repeat() the dataset so that it lasts epochs * batchesPerEpoch batches).
   */
  batchesPerEpoch?: number;
  /** The epoch to start from (its index in the logs); at or past epochs nothing is trained. */
  initialEpoch?: number;
  /** Evaluated at the end of every epoch into the val_ logs. */
  validationData?: ValidationData;
  /** Batch size for [x, y] validation data (default 32). */
  validationBatchSize?: number;
  /** Batches drawn from a validation dataset each epoch (default: until it ends). */
  validationBatches?: number;
  callbacks?: CallbackArg;
  /** 1 prints one line per epoch. */
  verbose?: 0 | 1;
  /** Every N batches, copy the weights and optimizer state to CPU memory, as fit does. */
  checkpointEvery?: number;
}

export interface EvaluateDatasetArgs {
  /** Batches to evaluate (default: until the dataset ends). */
  batches?: number;
  verbose?: 0;
}

function isDataset(v: unknown): v is Dataset<DataElement> {
  return typeof (v as { iterator?: unknown } | null)?.iterator === 'function';
}

function optionalPositive(where: string, name: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${where}: ${name} must be a positive integer if given, got ${String(v)}`);
  return v;
}

/**
 * A stream read one element ahead: ask() starts making the next element
 * without waiting for it; take() returns it. close() frees an element asked
 * for but never taken, and cancels the stream.
 */
class Lookahead {
  private pending: Promise<DataResult<DataElement>> | null = null;
  constructor(private readonly it: DataIterator<DataElement>) {}
  ask(): void {
    if (this.pending) return;
    this.pending = this.it.next();
    this.pending.catch(() => undefined); // taken (and its failure thrown) by take(); this only keeps it from going unhandled
  }
  take(): Promise<DataResult<DataElement>> {
    this.ask();
    const p = this.pending!;
    this.pending = null;
    return p;
  }
  async close(): Promise<void> {
    const r = await this.pending?.catch(() => null);
    this.pending = null;
    if (r && !r.done) disposeElement(r.value);
    await this.it.cancel();
  }
}

const RAN_OUT = 'You may need to use the repeat() function when building your dataset.';

/** One fit at a time per model (fitLock.ts), released however fitDataset ends. */
export async function fitDatasetModel(model: TrainableModel, dataset: Dataset<DataElement>, args: FitDatasetArgs): Promise<History> {
  const where = `${model.className}.fitDataset`;
  const release = beginFit(model, where);
  try {
    return await fitDatasetUnlocked(model, where, dataset, args);
  } finally {
    release();
  }
}

async function fitDatasetUnlocked(model: TrainableModel, where: string, dataset: Dataset<DataElement>, args: FitDatasetArgs): Promise<History> {
  const c = requireCompiled(model, where);
  if (!isDataset(dataset)) throw new Error(`${where}: expected a wc.data.Dataset of batches, got ${dataset === null ? 'null' : typeof dataset}`);
  if (!args) throw new Error(`${where}: the second argument ({ epochs, ... }) is required`);
  if (typeof args.epochs !== 'number' || !Number.isInteger(args.epochs) || args.epochs < 1) throw new Error(`${where}: epochs must be a positive integer, got ${String(args.epochs)}`);
  if ('validationSplit' in args) throw new Error(`${where}: validationSplit is not supported by fitDataset; pass validationData`);
  const epochs = args.epochs;
  const perEpoch = optionalPositive(where, 'batchesPerEpoch', args.batchesPerEpoch);
  const initialEpoch = nonNegativeInteger(where, 'initialEpoch', args.initialEpoch, 0);
  const valBatches = optionalPositive(where, 'validationBatches', args.validationBatches);
  const valBatchSize = optionalPositive(where, 'validationBatchSize', args.validationBatchSize) ?? 32;
  let valTensors: { xs: Tensor[]; ys: Tensor[] } | null = null;
  const vd = args.validationData;
  if (vd !== undefined && !isDataset(vd)) {
    if (!Array.isArray(vd) || vd.length !== 2) throw new Error(`${where}: validationData must be a Dataset or [x, y]`);
    valTensors = await checkDataAsync(model, `${where} (validationData)`, vd[0], vd[1]);
  }
  const validate = async (): Promise<number[]> => (valTensors
    ? evaluateLoop(model, valTensors.xs, valTensors.ys, valBatchSize)
    : evaluateStream(model, `${where} (validationData)`, vd as Dataset<DataElement>, valBatches));

  const keys = ['loss', ...c.lossKeys, ...c.metricKeys];
  const history = new History();
  const cbs = new CallbackList(args.callbacks, model, history);
  const batchLogs = cbs.wantsBatchLogs;
  model.stopTraining = false;
  const sums = new DeviceSums();
  const keeper = new CheckpointKeeper(model, args.checkpointEvery, where);
  let stream: Lookahead | null = null;
  let lastLogs: Logs = {};
  let tuned = false;
  // made with the first batch, on its backend
  let guard: StepGuard | null = null;
  try {
    await cbs.trainBegin();
    // with batchesPerEpoch one stream runs through every epoch, as in TF.js
    if (perEpoch !== undefined && initialEpoch < epochs) stream = new Lookahead(await dataset.iterator());
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      await cbs.epochBegin(epoch);
      if (perEpoch === undefined) {
        await stream?.close();
        stream = new Lookahead(await dataset.iterator());
      }
      const s = stream!;
      let trained = 0;
      let completed = false;
      let ranOut = false;
      let bad: BadStep | null = null;
      for (let b = 0; ; b++) {
        if (perEpoch !== undefined && b >= perEpoch) { completed = true; break; }
        const r = await s.take();
        if (r.done) {
          if (perEpoch === undefined) completed = true;
          else {
            ranOut = true;
            console.warn(`${where}: batchesPerEpoch is ${perEpoch}, but the dataset ran out after ${b} batches of epoch ${epoch}; training stops here. `
              + `The dataset must give at least batchesPerEpoch * epochs batches (here ${perEpoch * epochs}). ${RAN_OUT}`);
          }
          break;
        }
        // ask for the next batch now: the dataset makes (and uploads) it while the device runs this step
        if (perEpoch === undefined || b + 1 < perEpoch || epoch + 1 < epochs) s.ask();
        let values: Tensor[];
        let size: number;
        let g: StepGuard;
        try {
          const { xs, ys } = batchTensors(model, where, r.value);
          // what is known without a device read (shapes, backends, wc.tensor's hints); the NaN guard stops the rest
          size = checkData(model, where, xs, ys).n;
          if (batchLogs) await cbs.batchBegin(b, { batch: b, size });
          g = guard ??= new StepGuard(model, xs[0].backend);
          // recorded without a wait; a NaN loss sets the guard, and no update after it applies (src/train/guard.ts)
          values = g.step(() => [xs, ys], { epoch, batch: b, trainedBefore: trained });
          sums.add(values, size, g.tensor);
          trained += size;
          // After the first step every shape of the model has been recorded: measure its kernel variants once.
          if (!tuned) {
            tuned = true;
            await xs[0].backend.autotune?.();
          }
        } finally {
          disposeElement(r.value);
        }
        // batch callbacks read their logs now, and the guard with them
        const step = batchLogs ? await readStep(g, values).finally(() => { for (const t of values) t.dispose(); }) : null;
        if (!step) for (const t of values) t.dispose();
        bad = step?.bad ?? null;
        if (!bad) await keeper.afterStep(epoch, b, () => g.clear());
        if (step) await cbs.batchEnd(b, { batch: b, size, ...named(keys, step.read) });
        if (bad || model.stopTraining) break;
      }
      // without batch callbacks the guard is read here, with the epoch's sums
      const [late, totals] = await Promise.all([bad || !guard ? null : guard.read(), sums.read(1)]);
      bad ??= late;
      if (bad) {
        if (!model.stopTraining) throw nonFiniteLoss(where, bad.loss, bad.epoch, bad.batch);
        // the epoch ended at the bad batch: no validation for it
        trained = bad.trainedBefore;
        completed = false;
      }
      if (trained === 0) break;
      const logs = named(keys, totals.map((t) => t / trained));
      if (completed && vd !== undefined) Object.assign(logs, named(keys, await validate(), 'val_'));
      if (args.verbose === 1) console.log(`Epoch ${epoch + 1}/${epochs} ${Object.entries(logs).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(' ')}`);
      await cbs.epochEnd(epoch, logs);
      lastLogs = logs;
      if (model.stopTraining || ranOut) break;
    }
    await keeper.settle();
    await cbs.trainEnd(lastLogs);
  } catch (err) {
    throw await keeper.failure(err);
  } finally {
    sums.dispose();
    guard?.dispose();
    await stream?.close();
  }
  return history;
}

/** [loss, ...metrics] over a stream's batches (at most `batches`), weighted by batch size. */
async function evaluateStream(model: TrainableModel, where: string, dataset: Dataset<DataElement>, batches: number | undefined): Promise<number[]> {
  const s = new Lookahead(await dataset.iterator());
  const sums = new DeviceSums();
  let rows = 0;
  try {
    for (let b = 0; batches === undefined || b < batches; b++) {
      const r = await s.take();
      if (r.done) {
        if (batches !== undefined) console.warn(`${where}: the dataset ran out after ${b} of ${batches} batches; evaluating those. ${RAN_OUT}`);
        break;
      }
      if (batches === undefined || b + 1 < batches) s.ask();
      try {
        const { xs, ys } = batchTensors(model, where, r.value);
        const n = checkData(model, where, xs, ys).n;
        tidy(() => { sums.add(evalStep(model, xs, ys), n); });
        rows += n;
      } finally {
        disposeElement(r.value);
      }
    }
    if (rows === 0) throw new Error(`${where}: the dataset gave no batches to evaluate`);
    return await sums.read(rows);
  } finally {
    sums.dispose();
    await s.close();
  }
}

/** [loss, ...metrics] in inference mode over a dataset of batches, as numbers (evaluate's form). */
export async function evaluateDatasetModel(model: TrainableModel, dataset: Dataset<DataElement>, args: EvaluateDatasetArgs = {}): Promise<number[]> {
  const where = `${model.className}.evaluateDataset`;
  requireCompiled(model, where);
  if (!isDataset(dataset)) throw new Error(`${where}: expected a wc.data.Dataset of batches, got ${dataset === null ? 'null' : typeof dataset}`);
  return evaluateStream(model, where, dataset, optionalPositive(where, 'batches', args.batches));
}
