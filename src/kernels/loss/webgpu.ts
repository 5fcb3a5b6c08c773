// Losses, their gradients (the fused softmax + cross-entropy one too),
// metrics and weight penalties. Per-row (or per-element) values go to a
// scratch buffer, and sum.wgsl reduces them to the scalar batch mean.
// Shaders: lossRows.wgsl, lossGrad.wgsl, metricRows.wgsl, metricRatio.wgsl
// (precision, recall), penalty.wgsl, sum.wgsl, labelCheck.wgsl.

import type { LossKind, MetricKind } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import { sumSpec } from '../structure/webgpu.js';
import lossRowsCode from '../../../shaders/lossRows.wgsl?raw';
import lossGradCode from '../../../shaders/lossGrad.wgsl?raw';
import metricRowsCode from '../../../shaders/metricRows.wgsl?raw';
import penaltyCode from '../../../shaders/penalty.wgsl?raw';
import labelCheckCode from '../../../shaders/labelCheck.wgsl?raw';
import metricRatioCode from '../../../shaders/metricRatio.wgsl?raw';

/** The KIND override of lossRows.wgsl and lossGrad.wgsl. */
const LOSS: Record<LossKind, number> = {
  categoricalCrossentropy: 0, sparseCategoricalCrossentropy: 1, binaryCrossentropy: 2, meanSquaredError: 3,
  meanAbsoluteError: 4, meanAbsolutePercentageError: 5, meanSquaredLogarithmicError: 6,
};
const FUSED_DENSE = 7;
const FUSED_SPARSE = 8;
/** metricRows.wgsl's KIND; precision and recall are metricRatio.wgsl's RECALL 0 and 1. */
const METRIC: Record<Exclude<MetricKind, 'precision' | 'recall'>, number> = {
  categoricalAccuracy: 0, sparseCategoricalAccuracy: 1, binaryAccuracy: 2, meanSquaredError: 3, meanAbsoluteError: 4,
  topKCategoricalAccuracy: 5, sparseTopKCategoricalAccuracy: 6,
};

// One invocation per row: rows are few, so smaller workgroups. WG must be given
// here too: run1d sizes the grid from the spec's WG.
const ROW_WG = 64;
/** yPred is [rows, k]. */
const rowUniforms = { rows: 'u32', k: 'u32' } as const;
const penaltyUniforms = { n: 'u32', l1: 'f32', l2: 'f32' } as const;
const labelCheckUniforms = { n: 'u32', classes: 'u32' } as const;
/** yPred is [rows, k]; top is the top-k accuracies' k. */
const metricUniforms = { rows: 'u32', k: 'u32', top: 'u32' } as const;
const ratioUniforms = { n: 'u32' } as const;

type RowSpec = PipelineSpec<typeof rowUniforms>;
const rowsSpec = (kind: number): RowSpec =>
  ({ name: 'lossRows', code: lossRowsCode, uniforms: rowUniforms, constants: { KIND: kind, WG: ROW_WG } });
const gradSpec = (kind: number): RowSpec =>
  ({ name: 'lossGrad', code: lossGradCode, uniforms: rowUniforms, constants: { KIND: kind, WG: ROW_WG } });
const metricSpec = (kind: number): PipelineSpec<typeof metricUniforms> =>
  ({ name: 'metricRows', code: metricRowsCode, uniforms: metricUniforms, constants: { KIND: kind, WG: ROW_WG } });
const ratioSpec = (recall: number): PipelineSpec<typeof ratioUniforms> =>
  ({ name: 'metricRatio', code: metricRatioCode, uniforms: ratioUniforms, constants: { RECALL: recall } });
const penaltySpec = (grad: number): PipelineSpec<typeof penaltyUniforms> =>
  ({ name: 'penalty', code: penaltyCode, uniforms: penaltyUniforms, constants: { GRAD: grad } });

const labelCheckSpec: PipelineSpec<typeof labelCheckUniforms> =
  { name: 'labelCheck', code: labelCheckCode, uniforms: labelCheckUniforms };

const lossKinds = Object.values(LOSS);
export const pipelines: readonly PipelineSpec[] = [
  ...lossKinds.map(rowsSpec), ...[...lossKinds, FUSED_DENSE, FUSED_SPARSE].map(gradSpec),
  ...Object.values(METRIC).map(metricSpec), penaltySpec(0), penaltySpec(1), labelCheckSpec, ratioSpec(0), ratioSpec(1),
];

function rowsOf(yPred: Tensor): { rows: number; k: number } {
  const k = yPred.rank === 0 ? 1 : yPred.shape[yPred.rank - 1];
  return { rows: k === 0 ? 0 : yPred.size / k, k };
}

/** Scalar = scale * sum(values), then the scratch goes back to the pool. */
function reduce(ctx: GpuContext, values: GPUBuffer, n: number, scale: number, op: string): Tensor {
  const y = ctx.output([], op);
  ctx.run(sumSpec, { n, scale }, [values, buf(y)], [1]);
  ctx.release(values);
  return y;
}

function perRow(ctx: GpuContext, spec: RowSpec, yTrue: Tensor, yPred: Tensor, op: string): Tensor {
  const { rows, k } = rowsOf(yPred);
  const scratch = ctx.scratch(Math.max(rows, 1), `${op} rows`);
  ctx.run1d(spec, { rows, k }, [buf(yTrue), buf(yPred), scratch], rows);
  // An empty batch has no mean: NaN, as the CPU reference gives.
  return reduce(ctx, scratch, rows, rows === 0 ? NaN : 1 / rows, op);
}

export function loss(ctx: GpuContext, kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor {
  return perRow(ctx, rowsSpec(LOSS[kind]), yTrue, yPred, `loss ${kind}`);
}

export function lossBackward(ctx: GpuContext, kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor {
  return gradient(ctx, LOSS[kind], yTrue, yPred, `lossBackward ${kind}`);
}

export function softmaxCrossEntropyBackward(ctx: GpuContext, yTrue: Tensor, probs: Tensor, sparse: boolean): Tensor {
  return gradient(ctx, sparse ? FUSED_SPARSE : FUSED_DENSE, yTrue, probs, 'softmaxCrossEntropyBackward');
}

function gradient(ctx: GpuContext, kind: number, yTrue: Tensor, yPred: Tensor, op: string): Tensor {
  const { rows, k } = rowsOf(yPred);
  const d = ctx.output(yPred.shape, op);
  ctx.run1d(gradSpec(kind), { rows, k }, [buf(yTrue), buf(yPred), buf(d)], rows);
  return d;
}

export function metric(ctx: GpuContext, kind: MetricKind, yTrue: Tensor, yPred: Tensor, top = 5): Tensor {
  if (kind === 'precision' || kind === 'recall') {
    const y = ctx.output([], `metric ${kind}`);
    ctx.run(ratioSpec(kind === 'recall' ? 1 : 0), { n: yPred.size }, [buf(yTrue), buf(yPred), buf(y)], [1]);
    return y;
  }
  const { rows, k } = rowsOf(yPred);
  const op = `metric ${kind}`;
  const scratch = ctx.scratch(Math.max(rows, 1), `${op} rows`);
  ctx.run1d(metricSpec(METRIC[kind]), { rows, k, top }, [buf(yTrue), buf(yPred), scratch], rows);
  return reduce(ctx, scratch, rows, rows === 0 ? NaN : 1 / rows, op);
}

/** How many labels are not integers in [0, classes), as a scalar: one workgroup, as sum.wgsl. */
export function sparseLabelCheck(ctx: GpuContext, labels: Tensor, classes: number): Tensor {
  const y = ctx.output([], 'sparseLabelCheck');
  // classes beyond u32 (an output of unknown width) bound nothing a float32 label can reach
  ctx.run(labelCheckSpec, { n: labels.size, classes: Math.min(classes, 0xffffffff) }, [buf(labels), buf(y)], [1]);
  return y;
}

export function penalty(ctx: GpuContext, w: Tensor, l1: number, l2: number): Tensor {
  const scratch = ctx.scratch(Math.max(w.size, 1), 'penalty terms');
  ctx.run1d(penaltySpec(0), { n: w.size, l1, l2 }, [buf(w), scratch], w.size);
  return reduce(ctx, scratch, w.size, 1, 'penalty');
}

export function penaltyBackward(ctx: GpuContext, w: Tensor, l1: number, l2: number): Tensor {
  const g = ctx.output(w.shape, 'penaltyBackward');
  ctx.run1d(penaltySpec(1), { n: w.size, l1, l2 }, [buf(w), buf(g)], w.size);
  return g;
}
