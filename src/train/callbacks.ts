// Training callbacks: the hooks fit() calls, History (what fit returns) and
// early stopping, with TF.js/Keras's names and defaults.

import type { Tensor } from '../tensor.js';
import { keep } from '../tensor.js';
import type { TrainableModel } from './types.js';
import type { LayersModel } from '../model/layersModel.js';

/** Numbers keyed by 'loss', 'acc', 'val_loss', ... (batch logs add 'batch' and 'size'). */
export type Logs = Record<string, number>;

/** The hooks, all optional: TF.js's CustomCallbackArgs. */
export interface CustomCallbackArgs {
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs?: Logs) => void | Promise<void>;
}

/** Base of the callback classes; subclasses define any of CustomCallbackArgs's hooks. */
export abstract class Callback {
  /** The model fit trains. */
  model: LayersModel | null = null;
  setModel(model: LayersModel): void {
    this.model = model;
  }
}

/** fit()'s return value: history.loss, history.acc, history.val_loss, ... as plain number arrays. */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

export type CallbackArg = Callback | CustomCallbackArgs | readonly (Callback | CustomCallbackArgs)[];

/** Fans each hook out to every callback, in order, awaiting each. */
export class CallbackList {
  private readonly list: CustomCallbackArgs[];
  constructor(arg: CallbackArg | undefined, model: TrainableModel, history: History) {
    const given = arg === undefined ? [] : Array.isArray(arg) ? [...arg] : [arg as CustomCallbackArgs];
    // fit trains only LayersModels (model/layersModel.ts); callbacks see the whole class, as in TF.js.
    const user = model as LayersModel;
    for (const c of given) if (c instanceof Callback) c.setModel(user);
    history.setModel(user);
    this.list = [history, ...given].map((c) => c as CustomCallbackArgs);
  }
  /** Whether any callback wants per-batch logs (they cost one readback per batch). */
  get wantsBatchLogs(): boolean {
    return this.list.some((c) => c.onBatchEnd || c.onBatchBegin);
  }
  async trainBegin(): Promise<void> {
    for (const c of this.list) await c.onTrainBegin?.({});
  }
  async trainEnd(logs: Logs): Promise<void> {
    for (const c of this.list) await c.onTrainEnd?.(logs);
  }
  async epochBegin(epoch: number): Promise<void> {
    for (const c of this.list) await c.onEpochBegin?.(epoch, {});
  }
  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.list) await c.onEpochEnd?.(epoch, { ...logs });
  }
  async batchBegin(batch: number, logs: Logs): Promise<void> {
    for (const c of this.list) await c.onBatchBegin?.(batch, { ...logs });
  }
  async batchEnd(batch: number, logs: Logs): Promise<void> {
    for (const c of this.list) await c.onBatchEnd?.(batch, { ...logs });
  }
}

export interface EarlyStoppingArgs {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  verbose?: number;
  mode?: 'auto' | 'min' | 'max';
  baseline?: number;
  restoreBestWeights?: boolean;
}

/**
 * Stops fit() once `monitor` has not improved by more than minDelta for
 * `patience` epochs (Keras's rule). With restoreBestWeights the weights of
 * the best epoch are copied back (on the device) when it stops.
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  wait = 0;
  stoppedEpoch = 0;
  best = Infinity;
  private bestWeights: Tensor[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    this.patience = args.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new Error(`callbacks.earlyStopping: patience must be a non-negative integer, got ${args.patience}`);
    const mode = args.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new Error(`callbacks.earlyStopping: mode must be 'auto', 'min' or 'max', got '${String(mode)}'`);
    // 'auto': accuracies grow, everything else shrinks
    this.mode = mode === 'auto' ? (this.monitor.includes('acc') ? 'max' : 'min') : mode;
    this.minDelta = Math.abs(args.minDelta ?? 0) * (this.mode === 'min' ? -1 : 1);
    this.baseline = args.baseline ?? null;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
  }

  private improved(current: number, reference: number): boolean {
    return this.mode === 'min' ? current - this.minDelta < reference : current - this.minDelta > reference;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.baseline ?? (this.mode === 'min' ? Infinity : -Infinity);
    this.disposeBest();
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`earlyStopping: metric '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')}); skipping`);
      return;
    }
    if (this.improved(current, this.best)) {
      this.best = current;
      this.wait = 0;
      if (this.restoreBestWeights) this.saveBest();
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
      if (this.restoreBestWeights && this.bestWeights) this.model!.setWeights(this.bestWeights);
    }
  }

  onTrainEnd(): void {
    this.disposeBest();
  }

  /** Device-side copies of every weight, in getWeights() order. */
  private saveBest(): void {
    this.disposeBest();
    this.bestWeights = this.model!.getWeights().map((w) => keep(w.backend.clone(w)));
  }

  private disposeBest(): void {
    for (const t of this.bestWeights ?? []) t.dispose();
    this.bestWeights = null;
  }
}

export const earlyStopping = (args: EarlyStoppingArgs = {}): EarlyStopping => new EarlyStopping(args);

/**
 * Keras's TerminateOnNaN: stops fit() at the first batch whose loss is NaN or
 * infinite, without an error (fit resolves with the history so far). That
 * batch's update is not applied, so the weights are the last finite ones.
 * Without this callback fit rejects with a NonFiniteLossError instead.
 */
export class TerminateOnNaN extends Callback {
  /** Where training stopped (0-based epoch and batch) and the loss there; null while it has not. */
  stopped: { epoch: number; batch: number; loss: number } | null = null;
  private epoch = 0;

  onTrainBegin(): void {
    this.stopped = null;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.stopped = { epoch: this.epoch, batch, loss };
      this.model!.stopTraining = true;
    }
  }
}

export const terminateOnNaN = (): TerminateOnNaN => new TerminateOnNaN();

/** The schedule of learningRateScheduler: the rate for `epoch` (0-based), given the rate in use. */
export type LearningRateSchedule = (epoch: number, learningRate: number) => number;

/**
 * Keras's LearningRateScheduler: before each epoch sets the optimizer's
 * learning rate to schedule(epoch, current rate), e.g. a step decay
 * `(epoch, lr) => (epoch === 0 ? lr : lr * 0.3)`. The rate set for each
 * epoch is kept in `rates`.
 */
export class LearningRateScheduler extends Callback {
  readonly rates: number[] = [];
  constructor(private readonly schedule: LearningRateSchedule) {
    super();
    if (typeof schedule !== 'function') throw new Error(`callbacks.learningRateScheduler: schedule must be a function (epoch, learningRate) => number, got ${typeof schedule}`);
  }

  onEpochBegin(epoch: number): void {
    const optimizer = this.model?.compiled?.optimizer;
    if (!optimizer) throw new Error('learningRateScheduler: the model has no optimizer; compile it before fit');
    const next = this.schedule(epoch, optimizer.learningRate);
    if (typeof next !== 'number' || !Number.isFinite(next) || next < 0) {
      throw new Error(`learningRateScheduler: schedule(${epoch}, ${optimizer.learningRate}) returned ${String(next)}; expected a finite number >= 0`);
    }
    optimizer.learningRate = next;
    this.rates[epoch] = next;
  }
}

export const learningRateScheduler = (schedule: LearningRateSchedule): LearningRateScheduler => new LearningRateScheduler(schedule);
