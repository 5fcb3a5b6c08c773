// fit / evaluate / predict / trainOnBatch: batching (ops.gatherRows) around
// the steps of step.ts. Loss and metrics are summed on the device over an
// epoch and read back once at its end, unless a batch callback asks for
// per-batch logs.

import type { Tensor } from '../tensor.js';
import { keep, shapeToString, tidy } from '../tensor.js';
import * as ops from '../ops/index.js';
import type { LayersModel } from '../graph/model.js';
import { nextSeed, seededRandom } from '../layers/initializers.js';
import { CallbackList, History, type CallbackArg, type Logs } from './callbacks.js';
import { evalStep, trainStep } from './step.js';

export interface FitArgs {
  batchSize?: number;
  epochs?: number;
  /** The epoch to start from (its index in the logs). */
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
}
export interface EvaluateArgs { batchSize?: number; verbose?: 0 | 1 }
export interface PredictArgs { batchSize?: number; verbose?: boolean }

const asList = (t: Tensor | readonly Tensor[]): Tensor[] => (Array.isArray(t) ? [...t] : [t as Tensor]);

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

function checkData(model: LayersModel, where: string, xs: readonly Tensor[], ys: readonly Tensor[] | null): number {
  model.ensureBuilt(xs);
  if (xs.length !== model.inputs.length) throw new Error(`${where}: the model has ${model.inputs.length} input(s), got ${xs.length} x tensor(s)`);
  if (ys && ys.length !== model.outputs.length) throw new Error(`${where}: the model has ${model.outputs.length} output(s), got ${ys.length} y tensor(s)`);
  const all = [...xs, ...(ys ?? [])];
  const n = all[0].shape[0];
  for (const t of all) {
    if (t.rank < 1 || t.shape[0] !== n) {
      throw new Error(`${where}: every x and y must have the same number of rows (first axis); got shapes ${all.map((u) => shapeToString(u.shape)).join(', ')}`);
    }
  }
  if (n === 0) throw new Error(`${where}: got no rows of data`);
  return n;
}

/** Rows `idx` of each tensor; the tensor itself when idx is every row in order. */
function rows(ts: readonly Tensor[], idx: Int32Array): Tensor[] {
  return ts.map((t) => (idx.length === t.shape[0] && idx.every((v, i) => v === i) ? t : ops.gatherRows(t, idx)));
}

/** Running sums of per-batch scalars, weighted by the batch size, kept on the device. */
class DeviceSums {
  private sums: Tensor[] | null = null;
  add(values: readonly Tensor[], weight: number): void {
    const prev = this.sums;
    const next = tidy(() => values.map((v, i) => {
      const w = ops.scale(v, weight);
      return prev ? ops.add(prev[i], w) : w;
    }));
    this.sums = next.map((t) => keep(t));
    for (const t of prev ?? []) t.dispose();
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

function named(keys: readonly string[], values: readonly number[], prefix = ''): Logs {
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

async function evaluateLoop(model: LayersModel, xs: readonly Tensor[], ys: readonly Tensor[], batchSize: number): Promise<number[]> {
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

export async function fitModel(model: LayersModel, x: Tensor | Tensor[], y: Tensor | Tensor[], args: FitArgs): Promise<History> {
  const where = `${model.className}.fit`;
  let xs = asList(x);
  let ys = asList(y);
  let n = checkData(model, where, xs, ys);
  if (!model.compiled) throw new Error(`${where}: compile the model first (model.compile({ optimizer, loss }))`);
  const batchSize = positiveBatch(where, args.batchSize);
  const epochs = args.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`${where}: epochs must be a non-negative integer, got ${args.epochs}`);
  const split = args.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new Error(`${where}: validationSplit must be in [0, 1), got ${args.validationSplit}`);

  // validation data: given, or the last fraction of the rows (Keras holds out the tail, before shuffling)
  const owned: Tensor[] = [];
  let val: [Tensor[], Tensor[]] | null = null;
  if (args.validationData) {
    val = [asList(args.validationData[0]), asList(args.validationData[1])];
    checkData(model, `${where} (validationData)`, val[0], val[1]);
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

  const c = model.compiled;
  const keys = ['loss', ...c.lossKeys, ...c.metricKeys];
  const history = new History();
  const cbs = new CallbackList(args.callbacks, model, history);
  const batchLogs = cbs.wantsBatchLogs;
  const rand = seededRandom(args.seed ?? nextSeed());
  model.stopTraining = false;
  let lastLogs: Logs = {};
  try {
    await cbs.trainBegin();
    for (let epoch = args.initialEpoch ?? 0; epoch < epochs; epoch++) {
      await cbs.epochBegin(epoch);
      const order = args.shuffle === false ? range(0, n) : shuffled(range(0, n), rand);
      const sums = new DeviceSums();
      for (const [b, [start, end]] of batches(n, batchSize).entries()) {
        const size = end - start;
        if (batchLogs) await cbs.batchBegin(b, { batch: b, size });
        const out = tidy(() => {
          const idx = order.subarray(start, end);
          const step = trainStep(model, rows(xs, idx), rows(ys, idx));
          sums.add(step, size);
          return batchLogs ? step : [];
        });
        if (batchLogs) {
          const values = await readScalars(out);
          for (const t of out) t.dispose();
          await cbs.batchEnd(b, { batch: b, size, ...named(keys, values) });
        }
      }
      const logs = named(keys, await sums.read(n));
      if (val) Object.assign(logs, named(keys, await evaluateLoop(model, val[0], val[1], batchSize), 'val_'));
      if (args.verbose === 1) console.log(`Epoch ${epoch + 1}/${epochs} ${Object.entries(logs).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(' ')}`);
      await cbs.epochEnd(epoch, logs);
      lastLogs = logs;
      if (model.stopTraining) break;
    }
    await cbs.trainEnd(lastLogs);
  } finally {
    for (const t of owned) t.dispose();
  }
  return history;
}

/** [loss, ...metrics] in inference mode, as numbers (the batch-size-weighted means over all rows). */
export async function evaluateModel(model: LayersModel, x: Tensor | Tensor[], y: Tensor | Tensor[], args: EvaluateArgs): Promise<number[]> {
  const where = `${model.className}.evaluate`;
  const xs = asList(x);
  const ys = asList(y);
  checkData(model, where, xs, ys);
  return evaluateLoop(model, xs, ys, positiveBatch(where, args.batchSize));
}

/** One step on exactly this batch: the loss, or [loss, ...metrics] when there are metrics. */
export async function trainOnBatchModel(model: LayersModel, x: Tensor | Tensor[], y: Tensor | Tensor[]): Promise<number | number[]> {
  const xs = asList(x);
  const ys = asList(y);
  checkData(model, `${model.className}.trainOnBatch`, xs, ys);
  const out = tidy(() => trainStep(model, xs, ys));
  const values = await readScalars(out);
  for (const t of out) t.dispose();
  return values.length === 1 ? values[0] : values;
}

/** Stacks batches along the first axis: row-major, so flattened batches concatenate in order. */
function stackRows(parts: readonly Tensor[]): Tensor {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((s, p) => s + p.shape[0], 0);
  return ops.concat(parts.map((p) => p.reshape([1, p.size]))).reshape([n, ...parts[0].shape.slice(1)]);
}

/** Inference in batches: one tensor per output (a Tensor when the model has one output). */
export function predictModel(model: LayersModel, x: Tensor | Tensor[], args: PredictArgs): Tensor | Tensor[] {
  const where = `${model.className}.predict`;
  const xs = asList(x);
  const n = checkData(model, where, xs, null);
  const batchSize = positiveBatch(where, args.batchSize);
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
