// How a user's layer (one that writes call() instead of forward and backward)
// trains: in fit, forward runs call() on a tape of its own and backward
// backpropagates through it; inside a gradient call, call()'s ops record on
// that call's tape instead; in inference nothing is recorded.

import type { Tensor } from '../tensor.js';
import { run } from '../kernels/kernel.js';
import { addKernel } from '../kernels/structure/index.js';
import { backprop, isRecording, recordTape, withoutTape, type TapeNode } from '../autodiff/tape.js';
import type { BackwardOptions, LayerGrads, LayerVariable } from './variable.js';

/** What running a layer's call() on a tape needs of the layer. */
export interface CallableLayer {
  readonly className: string;
  readonly name: string;
  readonly trainableWeights: LayerVariable[];
  call(inputs: Tensor | Tensor[], kwargs: CallArgs): Tensor | Tensor[];
}

/** What call() gets besides its inputs, as TF.js's kwargs. */
export interface CallArgs {
  training?: boolean;
}

/** What forward keeps for backward: call()'s tape, or null where none was recorded. */
export type TapeSaved = { xs: Tensor[]; y: Tensor; nodes: readonly TapeNode[] } | null;

function callOn(layer: CallableLayer, xs: Tensor[], training: boolean): Tensor {
  const out = layer.call(xs.length === 1 ? xs[0] : xs, { training });
  if (Array.isArray(out) && out.length !== 1) throw new Error(`${layer.className} '${layer.name}': call() returned ${out.length} tensors; a layer has one output`);
  const y = Array.isArray(out) ? out[0] : out;
  if (!y || typeof (y as Tensor).assertUsable !== 'function') throw new Error(`${layer.className} '${layer.name}': call() must return a Tensor`);
  return y;
}

export function forwardByTape(layer: CallableLayer, xs: Tensor[], training: boolean): [Tensor, TapeSaved] {
  if (isRecording()) return [callOn(layer, xs, training), null];
  if (!training) return [withoutTape(() => callOn(layer, xs, false)), null];
  const { result: y, nodes } = recordTape(`${layer.className} '${layer.name}'`, () => callOn(layer, xs, true));
  return [y, { xs, y, nodes }];
}

export function backwardByTape(layer: CallableLayer, dy: Tensor, saved: TapeSaved, opts: BackwardOptions): LayerGrads {
  if (!saved) throw new Error(`${layer.className} '${layer.name}': backward needs a training forward outside a gradient call`);
  const weights = layer.trainableWeights;
  const wrt = [...(opts.needInputGrads ? saved.xs : []), ...weights.map((w) => w.value)];
  const grads = backprop(saved.nodes, saved.y, dy, wrt, (a, b) => run(addKernel, a, b));
  const offset = opts.needInputGrads ? saved.xs.length : 0;
  const dWeights: [LayerVariable, Tensor][] = [];
  weights.forEach((w, i) => {
    const g = grads[offset + i];
    if (g) dWeights.push([w, g]);
  });
  return { dxs: saved.xs.map((_, i) => (opts.needInputGrads ? grads[i] : null)), dWeights };
}
