// A training step that never leaves a model half-updated, and never waits on
// the device: the step's loss is checked on the device (ops.lossGuard), and
// every update after the check (batch norm's moving statistics, the
// optimizer, the epoch's sums) skips its work once the guard is set. The
// guard is sticky for a fit call, so the weights stay as they were before the
// first NaN or infinite batch until fit reads the guard, with the loss reads
// it makes anyway (epoch end, or a batch callback's logs).

import type { Backend } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { keep, tidy } from '../tensor.js';
import * as ops from '../ops/index.js';
import { GUARD_SIZE } from '../kernels/stepGuard/index.js';
import { applyMovingUpdates, collectMovingUpdates } from '../layers/movingUpdates.js';
import type { TrainableModel } from './types.js';
import type { Optimizer } from './optimizers.js';

type OptimizerMark = ReturnType<Optimizer['mark']>;
import { lossAndGradients } from './step.js';

/** Thrown by fit and trainOnBatch when a batch's loss is NaN or infinite; that batch's update was not applied. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    message: string,
    /** The loss value (NaN, Infinity or -Infinity). */
    readonly loss: number,
    /** 0-based epoch and batch, as callbacks count them (null for trainOnBatch). */
    readonly epoch: number | null,
    readonly batch: number | null,
  ) {
    super(message);
  }
}

/** Where a step ran, as fit names it in its error; `trainedBefore`: the rows of its epoch trained before it. */
export interface StepPlace {
  epoch: number | null;
  batch: number | null;
  /** Its rows in the shuffled order (fit only). */
  start?: number;
  end?: number;
  trainedBefore: number;
}

/** The first step whose loss was NaN or infinite. */
export interface BadStep extends StepPlace { loss: number }

/** Step indices the guard keeps wrap here: float32 holds every integer below it exactly. */
const INDEX_RANGE = 2 ** 24;

/**
 * One fit call's guard: a [flag, step, loss, 0] tensor on the device, zero
 * at the start. The step index it keeps names an entry of `steps`: the steps
 * recorded since a read last found the guard clear.
 */
export class StepGuard {
  private readonly guard: Tensor;
  private readonly steps = new Map<number, { place: StepPlace; mark: OptimizerMark }>();
  private count = 0;

  constructor(private readonly model: TrainableModel, backend: Backend) {
    this.guard = keep(backend.zeros([GUARD_SIZE]));
  }

  /** The guard tensor: updates that take it skip their work once it is set (DeviceSums.add). */
  get tensor(): Tensor {
    return this.guard;
  }

  /**
   * One training step on the batch `feed` makes (called inside the step's
   * scope, so gathered rows are freed with it), all recorded and submitted,
   * nothing read. Returns the step's scalars [loss, per-output losses,
   * metrics...]; the caller disposes them. An error inside the step leaves
   * the weights and moving statistics as they were: both are updated last.
   */
  step(feed: () => [Tensor[], Tensor[]], place: StepPlace): Tensor[] {
    const optimizer = this.model.compiled!.optimizer;
    const mark = optimizer.mark();
    const index = this.count;
    const values = tidy(() => {
      const [xs, ys] = feed();
      // forward, loss and backward; the forward's moving-average updates are held back
      const { result: r, updates } = collectMovingUpdates(() => lossAndGradients(this.model, xs, ys));
      // check: the first NaN or infinite loss sets the guard
      ops.lossGuard(r.values[0], this.guard, index);
      // update: moving statistics, then the weights, each a no-op on the device once the guard is set
      applyMovingUpdates(updates, this.guard);
      optimizer.applyUpdates(r.grads, this.guard);
      return r.values;
    });
    this.steps.set(index, { place, mark });
    this.count = (index + 1) % INDEX_RANGE;
    // Submit now, so the device runs the step while callbacks and the next batch's gather run here.
    this.guard.backend.flush?.();
    return values;
  }

  /** Whether every loss so far was finite, read as of now (a checkpoint's check); changes nothing here. */
  async clear(): Promise<boolean> {
    return (await this.guard.data())[0] === 0;
  }

  /**
   * Reads the guard: null while every loss so far was finite; else the first
   * bad step, with the optimizer's step count and slots put back to what they were before it.
   */
  async read(): Promise<BadStep | null> {
    const recorded = [...this.steps.keys()];
    const [flag, index, loss] = await this.guard.data();
    if (flag === 0) {
      for (const k of recorded) this.steps.delete(k);
      return null;
    }
    const bad = this.steps.get(index);
    if (!bad) throw new Error(`fit: internal error: the NaN guard names step ${index}, which it does not know`);
    this.model.compiled!.optimizer.rewind(bad.mark);
    return { ...bad.place, loss };
  }

  dispose(): void {
    this.guard.dispose();
  }
}

/** A step's scalars and the guard, read back together: what a batch callback's logs need. */
export async function readStep(guard: StepGuard, values: readonly Tensor[]): Promise<{ read: number[]; bad: BadStep | null }> {
  const [bad, ...read] = await Promise.all([guard.read(), ...values.map(async (t) => (await t.data())[0])]);
  return { read: read as number[], bad: bad as BadStep | null };
}
