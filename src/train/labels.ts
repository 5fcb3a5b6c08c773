// Sparse labels (sparseCategoricalCrossentropy, sparseCategoricalAccuracy) must
// be class indices: integers in [0, classes), classes the last axis of the
// model's output. Out of range or fractional labels would otherwise train
// silently (a row of zeros where the one-hot target should be), so fit,
// evaluate and trainOnBatch check them before any kernel runs: on the CPU where
// the values are known without a device wait, else on the device.

import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';
import type { TrainableModel } from './types.js';
import { firstNonClass, firstNonClassIn, type ValueAt } from '../valueHint.js';
import { sparseLabelCheck } from '../kernels/loss/index.js';

/** A y tensor that holds class indices, and what makes it one. */
export interface LabelUse {
  y: Tensor;
  /** 'y' or 'y[i]', as the message names it. */
  name: string;
  classes: number;
  output: string;
  /** The loss or metric that takes class indices. */
  reason: string;
}

/** The y tensors that a sparse loss or a sparse metric reads as class indices. */
export function sparseLabelUses(model: TrainableModel, ys: readonly Tensor[]): LabelUse[] {
  const c = model.compiled;
  if (!c) return [];
  const uses: LabelUse[] = [];
  model.outputs.forEach((out, i) => {
    const y = ys[i];
    if (!y) return;
    const metric = c.metrics.find((m) => m.output === i && m.kind === 'sparseCategoricalAccuracy');
    const reason = c.losses[i] === 'sparseCategoricalCrossentropy' ? "loss 'sparseCategoricalCrossentropy'" : metric ? "metric 'sparseCategoricalAccuracy'" : null;
    if (!reason) return;
    const classes = out.shape[out.shape.length - 1] ?? Number.MAX_SAFE_INTEGER;
    uses.push({ y, name: ys.length > 1 ? `y[${i}]` : 'y', classes, output: out.sourceLayer.name, reason });
  });
  return uses;
}

function labelError(where: string, use: LabelUse, bad: ValueAt | null): Error {
  const rowSize = use.y.size / use.y.shape[0];
  const got = bad ? `got ${bad.value} at row ${Math.floor(bad.at / rowSize)}` : 'got a label outside that range';
  return new Error(`${where}: ${use.name} holds class indices for output '${use.output}' (${use.reason}), so every label must be an integer in [0, ${use.classes}) `
    + `(the output has ${use.classes} classes); ${got} of a tensor of shape ${shapeToString(use.y.shape)}`);
}

/** Checks what can be judged without a device read (the CPU backend's storage, Tensor.valueHint); returns the uses left to checkLabelsOnDevice. */
export function checkLabelsSync(where: string, uses: readonly LabelUse[]): LabelUse[] {
  const unread: LabelUse[] = [];
  for (const use of uses) {
    // the CPU's storage first: current even if the caller changed the array after wc.tensor()
    const bad = use.y.backend.readSync ? firstNonClassIn(use.y.backend.readSync(use.y), use.classes)
      : use.y.valueHint ? firstNonClass(use.y.valueHint, use.classes) : undefined;
    if (bad === undefined) unread.push(use);
    else if (bad) throw labelError(where, use, bad);
  }
  return unread;
}

/**
 * The device's count of bad labels (one small reduction per tensor), read in
 * one go for every tensor, once per call, never per step; this read stands in
 * for the NaN check's read of the whole tensor. The labels themselves are read
 * only when one is bad, to name it.
 */
export async function checkLabelsOnDevice(where: string, uses: readonly LabelUse[]): Promise<void> {
  if (!uses.length) return;
  // every kernel and its copy are recorded before the first wait, so the reads travel together
  const counts = uses.map((u) => sparseLabelCheck(u.y, u.classes));
  let bad: number[];
  try {
    bad = await Promise.all(counts.map(async (c) => (await c.data())[0]));
  } finally {
    for (const c of counts) c.dispose();
  }
  for (const [i, use] of uses.entries()) {
    if (bad[i] !== 0) throw labelError(where, use, firstNonClassIn(await use.y.data(), use.classes));
  }
}
