// A training step that never leaves a model half-updated: the optimizer's
// update runs only once the batch's loss is known to be finite, and the one
// thing a forward pass changes in place (batch norm's moving statistics) is
// put back when the step fails or its loss is NaN or infinite. How the loss
// read is kept off the critical path: see checkedTrainStep.

import type { Tensor } from '../tensor.js';
import { keep, tidy } from '../tensor.js';
import type { LayerVariable } from '../layers/layer.js';
import type { TrainableModel } from './types.js';
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

/** Device-side copies of the weights a training-mode forward changes in place. */
class ForwardState {
  private readonly copies: [LayerVariable, Tensor][];
  constructor(model: TrainableModel) {
    // Weights a layer declares non-trainable (batch norm's moving statistics) are
    // the ones updated outside the optimizer; frozen trainable weights never change.
    this.copies = model.weights.filter((v) => !v.declaredTrainable).map((v) => [v, keep(v.value.backend.clone(v.value))]);
  }
  restore(): void {
    for (const [v, copy] of this.copies) v.value.backend.assign(v.value, copy);
  }
  dispose(): void {
    for (const [, copy] of this.copies) copy.dispose();
  }
}

export interface CheckedStep {
  /** The step's scalars [loss, per-output losses, metrics...] as device tensors; the caller disposes them. */
  values: Tensor[];
  /** What was read back: every scalar when `readAll`, else only the loss. */
  read: number[];
  /** False when the loss was NaN or infinite: the update was not applied and the moving statistics were put back. */
  finite: boolean;
}

/**
 * One training step on the batch `feed` makes (called inside the step's tidy
 * scope, so gathered rows are freed with it), applying the update only when
 * the loss is finite. Any error inside the step leaves the weights as they were.
 * The loss is read right after the forward pass (lossAndGradients' afterForward
 * hook) and the backward is submitted before the wait, so the device runs it
 * while the read travels and the queue rarely runs dry; guarding the update on
 * the device would need every optimizer kernel to take a flag. With `readAll`
 * the same read brings every scalar for the batch callbacks' logs.
 */
export async function checkedTrainStep(model: TrainableModel, feed: () => [Tensor[], Tensor[]], readAll: boolean): Promise<CheckedStep> {
  const state = new ForwardState(model);
  let reading: Promise<number[]> | null = null;
  let grads: [LayerVariable, Tensor][] = [];
  let values: Tensor[] = [];
  try {
    const kept = tidy(() => {
      const [xs, ys] = feed();
      const r = lossAndGradients(model, xs, ys, (v) => {
        // data() records its copy synchronously, so the read goes out before the backward is recorded
        const wanted = readAll ? v : v.slice(0, 1);
        reading = Promise.all(wanted.map(async (t) => (await t.data())[0]));
        reading.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
      });
      grads = [...r.grads];
      return [...r.values, ...grads.map(([, g]) => g)];
    });
    values = kept.slice(0, kept.length - grads.length);
    // Submit the backward now, so the device runs it while the loss travels back
    // (recorded work otherwise waits for the next submit: the next batch's upload).
    kept[0]?.backend.flush?.();
    if (!reading) throw new Error('fit: internal error: the training step did not hand over its loss');
    const read = await (reading as Promise<number[]>);
    if (!Number.isFinite(read[0])) {
      state.restore();
      return { values, read, finite: false };
    }
    tidy(() => model.compiled!.optimizer.applyUpdates(grads));
    // And the update, so the device runs it while callbacks and the next batch's gather run here.
    kept[0]?.backend.flush?.();
    return { values, read, finite: true };
  } catch (err) {
    state.restore();
    for (const t of values) t.dispose();
    values = [];
    throw err;
  } finally {
    // every gradient was made inside the step's scope, so the step owns and frees them
    for (const [, g] of grads) g.dispose();
    state.dispose();
  }
}
