// Batch normalization (training and inference), its backward and the moving
// statistics. Shaders: batchNormStats.wgsl, batchNormApply.wgsl,
// batchNormGrads.wgsl, batchNormBackward.wgsl (each over 4 channels per
// invocation where the channel count allows: src/kernels/lanes.ts), movingAverage.wgsl.

import type { BatchNormGrads, BatchNormTrainResult } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, REDUCTION_CHUNK, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import { guardBinding } from '../stepGuard/webgpu.js';
import { bothLanes, laned, lanesFor } from '../lanes.js';
import statsCode from '../../../shaders/batchNormStats.wgsl?raw';
import applyCode from '../../../shaders/batchNormApply.wgsl?raw';
import gradsCode from '../../../shaders/batchNormGrads.wgsl?raw';
import backwardCode from '../../../shaders/batchNormBackward.wgsl?raw';
import movingCode from '../../../shaders/movingAverage.wgsl?raw';

/** c: channels in T's (src/kernels/lanes.ts); chunks: ceil(rows / CHUNK). */
const statsUniforms = { rows: 'u32', c: 'u32', epsilon: 'f32', chunks: 'u32' } as const;
/** n: element count; c: channels (the last axis); both in T's. */
const applyUniforms = { n: 'u32', c: 'u32', epsilon: 'f32' } as const;
/** c: channels in T's; chunks: ceil(rows / CHUNK). */
const gradsUniforms = { rows: 'u32', c: 'u32', chunks: 'u32' } as const;
/** n: element count, c: channels, both in T's; rows: the product of the other axes. */
const backwardUniforms = { n: 'u32', c: 'u32', rows: 'u32' } as const;
/** decay: 1 - momentum. */
const movingUniforms = { n: 'u32', decay: 'f32' } as const;

// Both reductions run in two stages of one kernel: per (chunk of rows, channel), then per channel.
const statsSpec = (stage: 0 | 1): PipelineSpec<typeof statsUniforms> =>
  ({ name: 'batchNormStats', code: statsCode, uniforms: statsUniforms, constants: { STAGE: stage } });
/**
 * Rows each invocation of the per-element kernels (apply, backward) takes for its channel: the
 * channel's values and index are worked out once for them rather than per element.
 */
const ROWS = 4;
/** Invocations of a per-element kernel over `rows` rows of `groups` channel groups. */
const perChannelItems = (rows: number, groups: number): number => Math.ceil(rows / ROWS) * groups;
const applyTrainSpec: PipelineSpec<typeof applyUniforms> =
  { name: 'batchNormApply', code: applyCode, uniforms: applyUniforms, constants: { SPREAD_IS_VARIANCE: 0, ROWS } };
const applyInferenceSpec: PipelineSpec<typeof applyUniforms> =
  { name: 'batchNormApply', code: applyCode, uniforms: applyUniforms, constants: { SPREAD_IS_VARIANCE: 1, ROWS } };
const gradsSpec = (stage: 0 | 1): PipelineSpec<typeof gradsUniforms> =>
  ({ name: 'batchNormGrads', code: gradsCode, uniforms: gradsUniforms, constants: { STAGE: stage } });
const backwardSpec: PipelineSpec<typeof backwardUniforms> = { name: 'batchNormBackward', code: backwardCode, uniforms: backwardUniforms, constants: { ROWS } };
const movingSpec: PipelineSpec<typeof movingUniforms> = { name: 'movingAverage', code: movingCode, uniforms: movingUniforms };

export const pipelines: readonly PipelineSpec[] = [
  ...bothLanes([statsSpec(0), statsSpec(1)]), ...bothLanes([applyTrainSpec, applyInferenceSpec]), ...bothLanes([gradsSpec(0), gradsSpec(1)]),
  ...bothLanes([backwardSpec]), movingSpec,
];

/** The channel count, the rows, and the floats per invocation (4 where the channels are whole vec4s). */
function channels(x: Tensor): { c: number; rows: number; lanes: 1 | 4 } {
  const c = x.shape[x.rank - 1];
  return { c, rows: x.size / c, lanes: lanesFor(c) };
}

export function batchNormTrain(ctx: GpuContext, x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): BatchNormTrainResult {
  const { c, rows, lanes } = channels(x);
  const mean = ctx.output([c], 'batchNormTrain mean');
  const variance = ctx.output([c], 'batchNormTrain variance');
  const invStd = ctx.output([c], 'batchNormTrain invStd');
  const chunks = Math.ceil(rows / REDUCTION_CHUNK);
  const part = ctx.scratch(Math.max(1, 2 * chunks * c), `batchNormTrain partial sums of ${8 * chunks * c} bytes`);
  const groups = c / lanes;
  const params = { rows, c: groups, epsilon, chunks };
  const buffers = [buf(x), part, buf(mean), buf(variance), buf(invStd)];
  ctx.run1d(laned(statsSpec(0), lanes), params, buffers, chunks * groups);
  ctx.run1d(laned(statsSpec(1), lanes), params, buffers, groups);
  ctx.release(part);
  const y = ctx.output(x.shape, 'batchNormTrain');
  const n = x.size / lanes;
  ctx.run1d(laned(applyTrainSpec, lanes), { n, c: groups, epsilon },
    [buf(x), buf(gamma), buf(beta), buf(mean), buf(invStd), buf(y)], perChannelItems(rows, groups));
  return { y, mean, variance, invStd };
}

export function batchNormInference(
  ctx: GpuContext, x: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVariance: Tensor, epsilon: number,
): Tensor {
  const { c, rows, lanes } = channels(x);
  const y = ctx.output(x.shape, 'batchNormInference');
  const n = x.size / lanes;
  ctx.run1d(laned(applyInferenceSpec, lanes), { n, c: c / lanes, epsilon },
    [buf(x), buf(gamma), buf(beta), buf(movingMean), buf(movingVariance), buf(y)], perChannelItems(rows, c / lanes));
  return y;
}

/** Uses the mean and invStd that batchNormTrain saved. */
export function batchNormBackward(ctx: GpuContext, dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): BatchNormGrads {
  const { c, rows, lanes } = channels(x);
  const dGamma = ctx.output([c], 'batchNormBackward dGamma');
  const dBeta = ctx.output([c], 'batchNormBackward dBeta');
  const chunks = Math.ceil(rows / REDUCTION_CHUNK);
  const part = ctx.scratch(Math.max(1, 2 * chunks * c), `batchNormBackward partial sums of ${8 * chunks * c} bytes`);
  const groups = c / lanes;
  const params = { rows, c: groups, chunks };
  const buffers = [buf(dy), buf(x), buf(mean), buf(invStd), part, buf(dGamma), buf(dBeta)];
  ctx.run1d(laned(gradsSpec(0), lanes), params, buffers, chunks * groups);
  ctx.run1d(laned(gradsSpec(1), lanes), params, buffers, groups);
  ctx.release(part);
  const dx = ctx.output(x.shape, 'batchNormBackward dx');
  const n = x.size / lanes;
  ctx.run1d(laned(backwardSpec, lanes), { n, c: groups, rows },
    [buf(dy), buf(x), buf(gamma), buf(mean), buf(invStd), buf(dGamma), buf(dBeta), buf(dx)], perChannelItems(rows, groups));
  return { dx, dGamma, dBeta };
}

export function movingAverageUpdate(ctx: GpuContext, variable: Tensor, value: Tensor, momentum: number, guard: Tensor | null = null): void {
  ctx.run1d(movingSpec, { n: variable.size, decay: 1 - momentum }, [buf(variable), buf(value), guardBinding(ctx, guard)], variable.size);
}
