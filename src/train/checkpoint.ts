// Checkpoints: the weights and optimizer state, copied to CPU memory so that
// training survives the loss of the GPU device (a copy on the GPU dies with
// it). Restoring re-homes every weight and optimizer slot in place (tensor.ts's
// rehome): the same tensor objects move to the selected backend's storage, so
// layers, the optimizer and the caller's handles all stay valid.

import { keep, rehome, shapeToString, type Tensor } from '../tensor.js';
import { backend as selectedBackend } from '../engine.js';
import type { Checkpoint, CheckpointTensor, TrainableModel } from './types.js';

/** The optimizer's live slot tensors (its 'iter' scalar is a copy we do not need). */
async function optimizerSlots(model: TrainableModel): Promise<{ name: string; tensor: Tensor }[]> {
  if (!model.compiled) return [];
  const named = await model.compiled.optimizer.getWeights();
  for (const n of named) if (n.name === 'iter') n.tensor.dispose();
  return named.filter((n) => n.name !== 'iter');
}

/**
 * Records copies of every weight and slot (the caller must not record kernels
 * until this resolves) and returns the pending read of them, wrapped: an async
 * function returning the bare promise would wait for it.
 */
async function startCapture(model: TrainableModel, epoch: number, batch: number, valid?: () => Promise<boolean>): Promise<{ read: Promise<Checkpoint | null> }> {
  const slots = await optimizerSlots(model);
  // Synchronous from here: each data() records its copy before anything else is recorded.
  const iterations = model.compiled?.optimizer.iterations ?? 0;
  const entries = [...model.weights.map((v) => ({ name: v.name, tensor: v.value })), ...slots];
  const reads = entries.map((e) => e.tensor.data());
  const ok = valid?.() ?? Promise.resolve(true);
  const weightCount = model.weights.length;
  const read = Promise.all([ok, Promise.all(reads)]).then(([keepIt, values]): Checkpoint | null => {
    if (!keepIt) return null;
    const all = entries.map((e, i) => ({ name: e.name, shape: [...e.tensor.shape], values: values[i] }));
    return { iterations, epoch, batch, weights: all.slice(0, weightCount), optimizer: all.slice(weightCount) };
  });
  return { read };
}

/** model.takeCheckpoint(): a checkpoint now, read back before it resolves. */
export async function takeCheckpoint(model: TrainableModel): Promise<Checkpoint> {
  const cp = (await (await startCapture(model, -1, -1)).read)!;
  model.checkpoint = cp;
  return cp;
}

/**
 * model.restoreCheckpoint(): every weight and slot gets the checkpoint's values
 * on the selected backend (after device loss: the new one that setBackend made).
 */
export async function restoreCheckpoint(model: TrainableModel, cp: Checkpoint): Promise<void> {
  const where = `${model.className}.restoreCheckpoint`;
  const home = selectedBackend();
  if (home.isLost?.()) throw new Error(`${where}: the selected backend's device is lost; call await wc.setBackend('webgpu') (or 'cpu') first`);
  const byName = (list: readonly CheckpointTensor[]) => new Map(list.map((t) => [t.name, t]));
  const weights = byName(cp.weights);
  const pairs: [Tensor, CheckpointTensor][] = [];
  for (const v of model.weights) {
    const saved = weights.get(v.name);
    if (!saved) throw new Error(`${where}: the checkpoint has no weight '${v.name}'; it was taken from another model (it has ${cp.weights.map((t) => t.name).join(', ')})`);
    pairs.push([v.value, saved]);
  }
  const slots = await optimizerSlots(model);
  const live = new Map(slots.map((s) => [s.name, s.tensor]));
  for (const saved of cp.optimizer) {
    const t = live.get(saved.name);
    if (!t) {
      throw new Error(`${where}: the optimizer has no slot '${saved.name}'; restore into the model (and compiled optimizer) the checkpoint was taken from`);
    }
    pairs.push([t, saved]);
  }
  for (const [t, saved] of pairs) {
    if (t.shape.length !== saved.shape.length || t.shape.some((d, i) => d !== saved.shape[i])) {
      throw new Error(`${where}: '${saved.name}' has shape ${shapeToString(t.shape)}, the checkpoint ${shapeToString(saved.shape)}`);
    }
  }
  // Checked everything first: from here nothing throws halfway through.
  for (const [t, saved] of pairs) rehome(t, keep(home.fromValues(saved.values, saved.shape)));
  if (model.compiled) model.compiled.optimizer.iterations = cp.iterations;
}

/** Whether the model's weights live on a backend whose device is gone. */
function weightsLost(model: TrainableModel): boolean {
  return model.weights.some((v) => v.value.backend.isLost?.() ?? false);
}

/** What fit, evaluate and predict say when the weights are on a lost device (validate.ts). */
export function weightsLostMessage(model: TrainableModel, where: string): string {
  return `${where}: the model's weights were on a GPU device that was lost. ` +
    (model.checkpoint
      ? "Call await wc.setBackend('webgpu') for a new device, then await model.restoreCheckpoint(), and make the data tensors again."
      : "No checkpoint was kept (fit's checkpointEvery option keeps one): load or rebuild the model.");
}

/**
 * fit's side of checkpointing and of device loss; fit calls it around each
 * step. A readback waits for the GPU, so checkpointEvery: N records the copies
 * right after a step (they hold exactly that step's values) and waits only for
 * the previous checkpoint's read, which the next batches overlap. At most two
 * reads are in flight, which bounds the staging memory.
 */
export class CheckpointKeeper {
  private steps = 0;
  private last: { epoch: number; batch: number } | null = null;
  private pending: Promise<void> | null = null;
  private readError: unknown = null;

  constructor(private readonly model: TrainableModel, private readonly every: number | undefined, private readonly where: string) {
    if (every !== undefined && !(Number.isInteger(every) && every >= 1)) {
      throw new Error(`${where}: checkpointEvery must be a positive integer (batches), got ${every}`);
    }
    if (weightsLost(model)) throw new Error(weightsLostMessage(model, where));
  }

  /**
   * After step (epoch, batch) is recorded: every `every` steps, record a
   * checkpoint's copies. `valid` records a read of whether the step's updates
   * were applied (fit's NaN guard, read with the copies): a checkpoint taken
   * after a NaN batch is dropped, so the one kept is from before it.
   */
  async afterStep(epoch: number, batch: number, valid?: () => Promise<boolean>): Promise<void> {
    this.last = { epoch, batch };
    if (this.every === undefined || ++this.steps % this.every !== 0) return;
    const previous = this.pending;
    const { read } = await startCapture(this.model, epoch, batch, valid);
    this.pending = read.then((cp) => { if (cp) this.model.checkpoint = cp; }, (err: unknown) => { this.readError ??= err; });
    // Wait for the previous read only: this one overlaps the next steps.
    await previous;
    this.rethrow();
  }

  /** Waits for the last checkpoint's read (fit calls it before it resolves). */
  async settle(): Promise<void> {
    await this.pending;
    this.rethrow();
  }

  /** A checkpoint read that failed for another reason than device loss is fit's failure too. */
  private rethrow(): void {
    if (this.readError !== null && !weightsLost(this.model)) throw this.readError;
  }

  /** The error fit rejects with: on device loss, one that says where the weights are and how to go on. */
  async failure(err: unknown): Promise<unknown> {
    await this.pending;
    if (!weightsLost(this.model)) return err;
    const at = this.last ? `, after the step of epoch ${this.last.epoch}, batch ${this.last.batch}` : '';
    const cp = this.model.checkpoint;
    const when = cp && cp.epoch >= 0 ? `after epoch ${cp.epoch}, batch ${cp.batch} (step ${cp.iterations})` : `of step ${cp?.iterations} (takeCheckpoint())`;
    const next = cp
      ? `The model keeps a checkpoint in CPU memory: the weights and optimizer state ${when}. Call await wc.setBackend('webgpu') for a new device, then await model.restoreCheckpoint(), then fit again.`
      : 'No checkpoint was kept (fit\'s checkpointEvery option keeps one), so the weights on the device are gone: ' +
        "after await wc.setBackend('webgpu'), load or rebuild the model.";
    const cause = err instanceof Error ? err.message : String(err);
    return new Error(`${this.where}: the GPU device was lost during training${at}. ${next} (${cause})`, { cause: err });
  }
}
