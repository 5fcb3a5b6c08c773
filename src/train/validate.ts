// The checks fit, evaluate, predict and trainOnBatch make on their data before
// any kernel runs: a training step changes weights in place (batch norm's
// moving statistics already in its forward pass), so bad data must be refused
// while the model is still untouched. Each message names the method, what it
// expected and what it got.

import { Tensor, shapeToString } from '../tensor.js';
import type { LossKind } from '../backend/types.js';
import type { LossFunction, TrainableModel } from './types.js';
import { symShapeToString, type SymShape } from '../layers/layer.js';
import { checkFeeds } from '../graph/executor.js';
import { weightsLostMessage } from './checkpoint.js';

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'an object';
}

/** x or y as a list of usable tensors; anything else is refused here rather than failing deep inside. */
export function tensorList(where: string, what: 'x' | 'y', v: unknown): Tensor[] {
  const list = Array.isArray(v) ? v : [v];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new Error(`${where}: ${what}${Array.isArray(v) ? `[${i}]` : ''} must be a Tensor${what === 'x' ? ' (wc.tensor(values, shape))' : ''} or an array of Tensors, got ${describe(t)}`);
    }
    t.assertUsable(`${where} (${what})`);
  });
  return list as Tensor[];
}

/**
 * The model's weights must be usable and the data on their backend: a model
 * built on the CPU cannot take WebGPU tensors (or the reverse), and a disposed
 * model says so here rather than from inside its first kernel.
 */
export function checkModelAndBackends(model: TrainableModel, where: string, xs: readonly Tensor[], ys: readonly Tensor[]): void {
  const weights = model.weights;
  for (const v of weights) v.value.assertUsable(`${where} (weight ${v.name}; was the model disposed?)`);
  const home = weights[0]?.value.backend ?? xs[0]?.backend;
  if (!home) return;
  // Weights on a lost GPU device cannot run anything: say how to get them back (checkpoint.ts).
  if (weights.length && home.isLost?.()) throw new Error(weightsLostMessage(model, where));
  const check = (what: 'x' | 'y', ts: readonly Tensor[]) => ts.forEach((t, i) => {
    if (t.backend !== home) {
      const whose = weights.length ? "the model's weights are" : `x${xs.length > 1 ? '[0]' : ''} is`;
      throw new Error(`${where}: ${what}${ts.length > 1 ? `[${i}]` : ''} is a tensor of the '${t.backend.name}' backend, but ${whose} on ${t.backend.name === home.name ? 'another' : `the '${home.name}'`} backend; `
        + 'make the data and the model with the same backend selected (wc.setBackend before building or loading the model and before wc.tensor)');
    }
  });
  check('x', xs);
  check('y', ys);
}

/** Rows (first axis) shared by every tensor; at least one. */
export function rowCount(where: string, xs: readonly Tensor[], ys: readonly Tensor[] | null): number {
  const all = [...xs, ...(ys ?? [])];
  const shapes = (): string => `x ${xs.map((u) => shapeToString(u.shape)).join(', ')}${ys ? `; y ${ys.map((u) => shapeToString(u.shape)).join(', ')}` : ''}`;
  if (all.some((t) => t.rank < 1)) throw new Error(`${where}: every x and y needs a batch axis (rank >= 1); got shapes ${shapes()}`);
  const n = all[0].shape[0];
  if (all.some((t) => t.shape[0] !== n)) {
    throw new Error(`${where}: every x and y must have the same number of rows (first axis); got shapes ${shapes()}`);
  }
  if (n === 0) throw new Error(`${where}: expected at least one row of data, got 0 rows (shapes ${shapes()})`);
  return n;
}

/** The fed tensors against the model's inputs: count, rank and every non-batch axis. */
export function checkInputShapes(model: TrainableModel, where: string, xs: readonly Tensor[]): void {
  checkFeeds(where, model.inputs, xs);
}

/** The shape y must have for an output of symbolic shape `out` under `loss`. */
function targetShapes(out: SymShape, loss: LossKind | LossFunction): SymShape[] | null {
  // a loss function takes whatever y its author wants; fit checks only its rows
  if (typeof loss === 'function') return null;
  // sparse cross-entropy takes class indices: the output's shape without its class axis, or with a trailing 1
  if (loss === 'sparseCategoricalCrossentropy') return [out.slice(0, -1), [...out.slice(0, -1), 1]];
  return [out];
}

/** y against each output's shape and loss (the width of one-hot labels, say). */
export function checkTargetShapes(model: TrainableModel, where: string, ys: readonly Tensor[], losses: readonly (LossKind | LossFunction)[]): void {
  const outputs = model.outputs;
  if (ys.length !== outputs.length) throw new Error(`${where}: the model has ${outputs.length} output(s), got ${ys.length} y tensor(s)`);
  ys.forEach((y, i) => {
    const wanted = targetShapes(outputs[i].shape, losses[i]);
    if (!wanted) return;
    const fits = wanted.some((s) => s.length === y.rank && s.every((d, k) => k === 0 || d === null || d === y.shape[k]));
    if (!fits) {
      throw new Error(`${where}: y${ys.length > 1 ? `[${i}]` : ''} for output '${outputs[i].sourceLayer.name}' (loss '${String(losses[i])}') must have shape ${wanted.map(symShapeToString).join(' or ')}, got ${shapeToString(y.shape)}`);
    }
  });
}

function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

function nonFiniteError(where: string, what: string, t: Tensor, at: number, value: number): Error {
  const index: number[] = [];
  let rest = at;
  for (let k = t.rank - 1; k >= 0; k--) {
    index.unshift(rest % t.shape[k]);
    rest = Math.floor(rest / t.shape[k]);
  }
  return new Error(`${where}: ${what} must hold finite numbers, got ${value} at index [${index.join(', ')}] of a tensor of shape ${shapeToString(t.shape)}`);
}

/**
 * Refuses NaN/Inf where that is known without waiting on a device: the
 * values wc.tensor() was given (Tensor.finiteHint), or the CPU backend's own
 * storage. Returns the tensors it could not judge (made by GPU kernels).
 * `skip`: tensors a stricter check covers (sparse labels, src/train/labels.ts).
 */
export function checkFiniteSync(where: string, what: string, ts: readonly Tensor[], skip?: ReadonlySet<Tensor>): Tensor[] {
  const unknown: Tensor[] = [];
  ts.forEach((t, i) => {
    const name = ts.length > 1 ? `${what}[${i}]` : what;
    if (t.finiteHint === true || skip?.has(t)) return;
    if (t.backend.readSync) {
      const values = t.backend.readSync(t);
      const at = firstNonFinite(values);
      if (at >= 0) throw nonFiniteError(where, name, t, at, values[at]);
    } else if (t.finiteHint === false) {
      throw new Error(`${where}: ${name} must hold finite numbers, got NaN or Infinity in a tensor of shape ${shapeToString(t.shape)}`);
    } else {
      unknown.push(t);
    }
  });
  return unknown;
}

/**
 * As checkFiniteSync, then reads back what only a device holds (a tensor a
 * GPU kernel made): fit and evaluate can wait for that one read per call.
 */
export async function checkFinite(where: string, what: string, ts: readonly Tensor[]): Promise<void> {
  for (const t of checkFiniteSync(where, what, ts)) {
    const values = await t.data();
    const at = firstNonFinite(values);
    if (at >= 0) throw nonFiniteError(where, ts.length > 1 ? `${what}[${ts.indexOf(t)}]` : what, t, at, values[at]);
  }
}
