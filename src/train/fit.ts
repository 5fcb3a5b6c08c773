// fit / evaluate / predict / trainOnBatch: batching (ops.gatherRows) around
// the steps of step.ts. Loss and metrics are summed on the device over an
// epoch and read back once at its end, unless a batch callback asks for
// per-batch logs.

import type { Tensor } from '../tensor.js';
import { keep, tidy } from '../tensor.js';
import * as ops from '../ops/index.js';
import type { Compiled, TrainableModel } from './types.js';
import { nextSeed, seededRandom } from '../layers/initializers.js';
import { CallbackList, History, type CallbackArg, type Logs } from './callbacks.js';
import { CheckpointKeeper } from './checkpoint.js';
import { evalStep } from './step.js';
import { NonFiniteLossError, readStep, StepGuard, type BadStep } from './guard.js';
import { checkFinite, checkFiniteSync, checkInputShapes, checkModelAndBackends, checkTargetShapes, rowCount, tensorList } from './validate.js';
import { checkLabelsOnDevice, checkLabelsSync, sparseLabelUses, type LabelUse } from './labels.js';
import { beginFit, refuseDuringFit } from './fitLock.js';

export interface FitArgs {
  batchSize?: number;
  epochs?: number;
  /** The epoch to start from (its index in the logs): a non-negative integer; at or past `epochs` nothing is trained, as in TF.js. */
  initialEpoch?: number;
  /** Reshuffle the training rows every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling, for reproducible runs (webcnn's addition). */
  seed?: number;
  /** The last fraction of the rows (before shuffling) is held out for validation, as Keras does. */
  validationSplit?: number;
  validationData?: readonly [Tensor | Tensor[], Tensor | Tensor[]];
  callbacks?: CallbackArg;
  /** 1 prints one line per epoch. */
  verbose?: 0 | 1;
  /**
   * Every N batches, copy the weights and optimizer state to CPU memory
   * (model.checkpoint), so that training survives device loss (checkpoint.ts).
   */
  checkpointEvery?: number;
}
export interface EvaluateArgs { batchSize?: number; verbose?: 0 | 1 }
export interface PredictArgs { batchSize?: number; verbose?: boolean }

function positiveBatch(where: string, b: number | undefined): number {
  const v = b ?? 32;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${where}: batchSize must be a positive integer, got ${b}`);
  return v;
}

/** [start, end) row ranges of size batchSize; the last may be shorter. */
function batches(n: number, batchSize: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += batchSize) out.push([s, Math.min(n, s + batchSize)]);
  return out;
}

function range(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, i) => start + i);
}

/** predict's y: none (a user's null or undefined y is an error, not this). */
const NO_LABELS = Symbol('no labels');

/**
 * Every check on x and y that needs no device read (src/train/validate.ts),
 * before anything runs: tensors, shapes against the model's inputs and (when
 * compiled) its outputs and losses, rows, sparse labels and NaN/Inf where
 * known. Returns the lists and the rows, and what only the device can tell.
 */
export function checkData(model: TrainableModel, where: string, x: unknown, y: unknown): { xs: Tensor[]; ys: Tensor[]; n: number; unread: { xs: Tensor[]; ys: Tensor[]; labels: LabelUse[] } } {
  const xs = tensorList(where, 'x', x);
  const ys = y === NO_LABELS ? [] : tensorList(where, 'y', y);
  model.ensureBuilt(xs);
  checkModelAndBackends(model, where, xs, ys);
  checkInputShapes(model, where, xs);
  const n = rowCount(where, xs, y === NO_LABELS ? null : ys);
  if (y !== NO_LABELS && model.compiled) checkTargetShapes(model, where, ys, model.compiled.losses);
  const unreadX = checkFiniteSync(where, 'x', xs);
  // class indices before finiteness: a NaN label is named as a label, with its row
  const uses = sparseLabelUses(model, ys);
  const labels = checkLabelsSync(where, uses);
  const unreadY = checkFiniteSync(where, 'y', ys, new Set(uses.map((u) => u.y)));
  return { xs, ys, n, unread: { xs: unreadX, ys: unreadY, labels } };
}

/**
 * checkData, then what only the device can tell (GPU-made x or y), for the
 * async methods: the reads go out together, and a failure is reported in a
 * fixed order (x, y, labels).
 */
export async function checkDataAsync(model: TrainableModel, where: string, x: unknown, y: unknown): Promise<{ xs: Tensor[]; ys: Tensor[]; n: number }> {
  const d = checkData(model, where, x, y);
  const outcomes = await Promise.allSettled([
    checkFinite(where, 'x', d.unread.xs), checkFinite(where, 'y', d.unread.ys), checkLabelsOnDevice(where, d.unread.labels),
  ]);
  for (const o of outcomes) if (o.status === 'rejected') throw o.reason;
  return d;
}

export function requireCompiled(model: TrainableModel, where: string): Compiled {
  if (!model.compiled) throw new Error(`${where}: compile the model first (model.compile({ optimizer, loss }))`);
  return model.compiled;
}

/** Rows `idx` of each tensor; the tensor itself when idx is every row in order. */
function rows(ts: readonly Tensor[], idx: Int32Array): Tensor[] {
  return ts.map((t) => (idx.length === t.shape[0] && idx.every((v, i) => v === i) ? t : ops.gatherRows(t, idx)));
}

/** Running sums of per-batch scalars, weighted by the batch size, kept on the device. */
export class DeviceSums {
  private sums: Tensor[] | null = null;
  /** sums += weight * values; with a guard (a training step's), nothing once it is set. */
  add(values: readonly Tensor[], weight: number, guard: Tensor | null = null): void {
    const sums = (this.sums ??= values.map((v) => keep(v.backend.zeros(v.shape))));
    values.forEach((v, i) => ops.guardedAccumulate(sums[i], v, weight, guard));
  }
  dispose(): void {
    for (const t of this.sums ?? []) t.dispose();
    this.sums = null;
  }
  /** The weighted means, read back in one go. */
  async read(count: number): Promise<number[]> {
    const out = await readScalars(this.sums ?? []);
    for (const t of this.sums ?? []) t.dispose();
    this.sums = null;
    return out.map((v) => v / count);
  }
}

async function readScalars(ts: readonly Tensor[]): Promise<number[]> {
  const out: number[] = [];
  for (const t of ts) out.push((await t.data())[0]);
  return out;
}

export function named(keys: readonly string[], values: readonly number[], prefix = ''): Logs {
  const logs: Logs = {};
  keys.forEach((k, i) => (logs[prefix + k] = values[i]));
  return logs;
}

/** Seeded Fisher-Yates. */
function shuffled(idx: Int32Array, rand: () => number): Int32Array {
  const out = Int32Array.from(idx);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export async function evaluateLoop(model: TrainableModel, xs: readonly Tensor[], ys: readonly Tensor[], batchSize: number): Promise<number[]> {
  const n = xs[0].shape[0];
  const sums = new DeviceSums();
  for (const [start, end] of batches(n, batchSize)) {
    tidy(() => {
      const idx = range(start, end);
      sums.add(evalStep(model, rows(xs, idx), rows(ys, idx)), end - start);
    });
  }
  return sums.read(n);
}

/** A user's argument in a message: strings quoted, so that '2' is not read as 2. */
function shown(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}...` : v) : String(v);
}

export function nonNegativeInteger(where: string, name: string, v: unknown, fallback: number): number {
  const value = v ?? fallback;
  if (!Number.isInteger(value) || (value as number) < 0) throw new Error(`${where}: ${name} must be a non-negative integer, got ${shown(v)}`);
  return value as number;
}

/** One fit at a time per model (src/train/fitLock.ts), released however fit ends. */
export async function fitModel(model: TrainableModel, x: Tensor | Tensor[], y: Tensor | Tensor[], args: FitArgs): Promise<History> {
  const where = `${model.className}.fit`;
  const release = beginFit(model, where);
  try {
    return await fitUnlocked(model, where, x, y, args);
  } finally {
    release();
  }
}

async function fitUnlocked(model: TrainableModel, where: string, x: Tensor | Tensor[], y: Tensor | Tensor[], args: FitArgs): Promise<History> {
  requireCompiled(model, where);
  let { xs, ys, n } = await checkDataAsync(model, where, x, y);
  const batchSize = positiveBatch(where, args.batchSize);
  const epochs = nonNegativeInteger(where, 'epochs', args.epochs, 1);
  // as in TF.js, an initialEpoch at or past epochs trains nothing
  const initialEpoch = nonNegativeInteger(where, 'initialEpoch', args.initialEpoch, 0);
  const split = args.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new Error(`${where}: validationSplit must be in [0, 1), got ${args.validationSplit}`);

  // validation data: given, or the last fraction of the rows (Keras holds out the tail, before shuffling)
  const owned: Tensor[] = [];
  let val: [Tensor[], Tensor[]] | null = null;
  if (args.validationData) {
    const v = await checkDataAsync(model, `${where} (validationData)`, args.validationData[0], args.validationData[1]);
    val = [v.xs, v.ys];
  } else if (split > 0) {
    const splitAt = Math.floor(n * (1 - split));
    if (splitAt === 0 || splitAt === n) throw new Error(`${where}: validationSplit ${split} of ${n} rows leaves ${splitAt === 0 ? 'no training' : 'no validation'} rows`);
    const take = (ts: Tensor[], s: number, e: number) => ts.map((t) => keep(ops.gatherRows(t, range(s, e))));
    val = [take(xs, splitAt, n), take(ys, splitAt, n)];
    xs = take(xs, 0, splitAt);
    ys = take(ys, 0, splitAt);
    owned.push(...val[0], ...val[1], ...xs, ...ys);
    n = splitAt;
  }

  const c = requireCompiled(model, where);
  const keys = ['loss', ...c.lossKeys, ...c.metricKeys];
  const history = new History();
  const cbs = new CallbackList(args.callbacks, model, history);
  const batchLogs = cbs.wantsBatchLogs;
  const rand = seededRandom(args.seed ?? nextSeed());
  model.stopTraining = false;
  let lastLogs: Logs = {};
  const sums = new DeviceSums();
  const keeper = new CheckpointKeeper(model, args.checkpointEvery, where);
  const guard = new StepGuard(model, xs[0].backend);
  try {
    await cbs.trainBegin();
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      await cbs.epochBegin(epoch);
      const order = args.shuffle === false ? range(0, n) : shuffled(range(0, n), rand);
      // rows whose update was applied: all of them unless a NaN loss stops the epoch early
      let trained = 0;
      let bad: BadStep | null = null;
      for (const [b, [start, end]] of batches(n, batchSize).entries()) {
        const size = end - start;
        if (batchLogs) await cbs.batchBegin(b, { batch: b, size });
        // recorded without a wait; a NaN loss sets the guard, and no update after it applies (src/train/guard.ts)
        const idx = order.subarray(start, end);
        const values = guard.step(() => [rows(xs, idx), rows(ys, idx)], { epoch, batch: b, start, end, trainedBefore: trained });
        sums.add(values, size, guard.tensor);
        trained += size;
        // batch callbacks read their logs now, and the guard with them
        const step = batchLogs ? await readStep(guard, values) : null;
        for (const t of values) t.dispose();
        bad = step?.bad ?? null;
        if (!bad) await keeper.afterStep(epoch, b, () => guard.clear());
        // After the first step every shape of the model has been recorded: measure its kernel variants once.
        if (b === 0) await xs[0].backend.autotune?.();
        if (step) await cbs.batchEnd(b, { batch: b, size, ...named(keys, step.read) });
        if (bad) break;
      }
      // without batch callbacks the guard is read here, with the epoch's sums
      const [late, totals] = await Promise.all([bad ? null : guard.read(), sums.read(1)]);
      bad ??= late;
      if (bad) {
        // a callback that asks to stop (wc.callbacks.terminateOnNaN) ends fit quietly; otherwise it is an error
        if (!model.stopTraining) throw nonFiniteLoss(where, bad.loss, bad.epoch, bad.batch, bad.start, bad.end);
        trained = bad.trainedBefore;
      }
      if (trained === 0) break;
      const logs = named(keys, totals.map((t) => t / trained));
      if (val) Object.assign(logs, named(keys, await evaluateLoop(model, val[0], val[1], batchSize), 'val_'));
      if (args.verbose === 1) console.log(`Epoch ${epoch + 1}/${epochs} ${Object.entries(logs).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(' ')}`);
      await cbs.epochEnd(epoch, logs);
      lastLogs = logs;
      if (model.stopTraining) break;
    }
    await keeper.settle();
    await cbs.trainEnd(lastLogs);
  } catch (err) {
    // device loss: say where the weights are (a checkpoint) and how to go on
    throw await keeper.failure(err);
  } finally {
    sums.dispose();
    guard.dispose();
    for (const t of owned) t.dispose();
  }
  return history;
}

export function nonFiniteLoss(where: string, loss: number, epoch: number | null, batch: number | null, start?: number, end?: number): NonFiniteLossError {
  const rows = start === undefined ? '' : `; rows ${start}..${end! - 1} of the shuffled order`;
  const at = epoch === null ? '' : ` at epoch ${epoch}, batch ${batch} (0-based${rows})`;
  return new NonFiniteLossError(
    `${where}: the loss became ${loss}${at}; expected a finite loss. That batch's update was not applied, so the weights and the optimizer state are those from before it. `
    + `Lower the learning rate or look for extreme values in x and y${epoch === null ? '.' : '; to stop without an error pass callbacks: wc.callbacks.terminateOnNaN().'}`,
    loss, epoch, batch);
}

/** [loss, ...metrics] in inference mode, as numbers (the batch-size-weighted means over all rows). */
export async function evaluateModel(model: TrainableModel, x: Tensor | Tensor[], y: Tensor | Tensor[], args: EvaluateArgs): Promise<number[]> {
  const where = `${model.className}.evaluate`;
  requireCompiled(model, where);
  const batchSize = positiveBatch(where, args.batchSize);
  const { xs, ys } = await checkDataAsync(model, where, x, y);
  return evaluateLoop(model, xs, ys, batchSize);
}

/** One step on exactly this batch: the loss, or [loss, ...metrics] when there are metrics. */
export async function trainOnBatchModel(model: TrainableModel, x: Tensor | Tensor[], y: Tensor | Tensor[]): Promise<number | number[]> {
  const where = `${model.className}.trainOnBatch`;
  refuseDuringFit(model, where);
  requireCompiled(model, where);
  const { xs, ys } = await checkDataAsync(model, where, x, y);
  const guard = new StepGuard(model, xs[0].backend);
  try {
    const values = guard.step(() => [xs, ys], { epoch: null, batch: null, trainedBefore: 0 });
    const step = await readStep(guard, values).finally(() => { for (const t of values) t.dispose(); });
    if (step.bad) throw nonFiniteLoss(where, step.bad.loss, null, null);
    return step.read.length === 1 ? step.read[0] : step.read;
  } finally {
    guard.dispose();
  }
}

/** Stacks batches along the first axis: row-major, so flattened batches concatenate in order. */
function stackRows(parts: readonly Tensor[]): Tensor {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((s, p) => s + p.shape[0], 0);
  return ops.concat(parts.map((p) => p.reshape([1, p.size]))).reshape([n, ...parts[0].shape.slice(1)]);
}

/** Inference in batches: one tensor per output (a Tensor when the model has one output). */
export function predictModel(model: TrainableModel, x: Tensor | Tensor[], args: PredictArgs): Tensor | Tensor[] {
  const where = `${model.className}.predict`;
  const batchSize = positiveBatch(where, args.batchSize);
  // predict cannot wait for a device read: a GPU-made x of unknown finiteness passes unchecked
  const { xs, n } = checkData(model, where, x, NO_LABELS);
  return tidy(() => {
    const perOutput: Tensor[][] = model.outputs.map(() => []);
    for (const [start, end] of batches(n, batchSize)) {
      const { outputs } = model.forwardPass(rows(xs, range(start, end)), false);
      outputs.forEach((o, i) => perOutput[i].push(o));
    }
    const results = perOutput.map(stackRows);
    return results.length === 1 ? results[0] : results;
  });
}
