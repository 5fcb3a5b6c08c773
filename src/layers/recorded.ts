// A layer's forward inside a gradient call: built-in layers record their own
// fused backward as the gradient of their output (one tape node per call), so
// a model differentiated through wc.grad or optimizer.minimize runs the same
// kernels as fit. A layer whose gradient comes from the ops it runs (a user's
// layer) records nothing here: its ops record themselves.

import type { Tensor } from '../tensor.js';
import { isRecording, recordGradient, withoutTape } from '../autodiff/tape.js';
import type { BackwardOptions, LayerGrads, LayerVariable } from './variable.js';

/** What recording a layer's gradient on the tape needs of the layer. */
export interface RecordableLayer {
  readonly name: string;
  readonly differentiatesItself: boolean;
  readonly trainableWeights: LayerVariable[];
  forward(xs: Tensor[], training: boolean): [Tensor, unknown];
  backward(dy: Tensor, saved: unknown, opts: BackwardOptions): LayerGrads;
}

/** forward(xs, training), and while a gradient call records, the layer's backward as its gradient. */
export function forwardRecorded(layer: RecordableLayer, xs: Tensor[], training: boolean): [Tensor, unknown] {
  if (!isRecording() || layer.differentiatesItself) return layer.forward(xs, training);
  // the layer's own work (its reshape views included) is one node: nothing inside it records
  const [y, saved] = withoutTape(() => layer.forward(xs, training));
  const weights = layer.trainableWeights;
  recordGradient(layer.name, [...xs, ...weights.map((w) => w.value)], y, (dy) => {
    const { dxs, dWeights } = layer.backward(dy, saved, { needInputGrads: true, dyIsLogitGrad: false });
    const byWeight = new Map(dWeights);
    return [...xs.map((_, i) => dxs[i] ?? null), ...weights.map((w) => byWeight.get(w) ?? null)];
  });
  return [y, saved];
}
