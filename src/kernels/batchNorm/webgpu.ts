// Batch normalization (training and inference), its backward and the moving
// statistics. Shaders: batchNormStats.wgsl, batchNormApply.wgsl,
// batchNormGrads.wgsl, batchNormBackward.wgsl, movingAverage.wgsl.

import type { BatchNormGrads, BatchNormTrainResult } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, REDUCTION_CHUNK, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import { guardBinding } from '../stepGuard/webgpu.js';
import statsCode from '../../../shaders/batchNormStats.wgsl?raw';
import applyCode from '../../../shaders/batchNormApply.wgsl?raw';
import gradsCode from '../../../shaders/batchNormGrads.wgsl?raw';
import backwardCode from '../../../shaders/batchNormBackward.wgsl?raw';
import movingCode from '../../../shaders/movingAverage.wgsl?raw';

/** chunks: ceil(rows / CHUNK). */
const statsUniforms = { rows: 'u32', c: 'u32', epsilon: 'f32', chunks: 'u32' } as const;
/** n: element count; c: channels (the last axis). */
const applyUniforms = { n: 'u32', c: 'u32', epsilon: 'f32' } as const;
/** chunks: ceil(rows / CHUNK). */
const gradsUniforms = { rows: 'u32', c: 'u32', chunks: 'u32' } as const;
/** n: element count. */
const backwardUniforms = { n: 'u32', c: 'u32', rows: 'u32' } as const;
/** decay: 1 - momentum. */
const movingUniforms = { n: 'u32', decay: 'f32' } as const;

// Both reductions run in two stages of one kernel: per (chunk of rows, channel), then per channel.
const statsSpec = (stage: 0 | 1): PipelineSpec<typeof statsUniforms> =>
  ({ name: 'batchNormStats', code: statsCode, uniforms: statsUniforms, constants: { STAGE: stage } });
const applyTrainSpec: PipelineSpec<typeof applyUniforms> =
  { name: 'batchNormApply', code: applyCode, uniforms: applyUniforms, constants: { SPREAD_IS_VARIANCE: 0 } };
const applyInferenceSpec: PipelineSpec<typeof applyUniforms> =
  { name: 'batchNormApply', code: applyCode, uniforms: applyUniforms, constants: { SPREAD_IS_VARIANCE: 1 } };
const gradsSpec = (stage: 0 | 1): PipelineSpec<typeof gradsUniforms> =>
  ({ name: 'batchNormGrads', code: gradsCode, uniforms: gradsUniforms, constants: { STAGE: stage } });
const backwardSpec: PipelineSpec<typeof backwardUniforms> = { name: 'batchNormBackward', code: backwardCode, uniforms: backwardUniforms };
const movingSpec: PipelineSpec<typeof movingUniforms> = { name: 'movingAverage', code: movingCode, uniforms: movingUniforms };

export const pipelines: readonly PipelineSpec[] = [
  statsSpec(0), statsSpec(1), applyTrainSpec, applyInferenceSpec, gradsSpec(0), gradsSpec(1), backwardSpec, movingSpec,
];

function channels(x: Tensor): { c: number; rows: number } {
  const c = x.shape[x.rank - 1];
  return { c, rows: x.size / c };
}

export function batchNormTrain(ctx: GpuContext, x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): BatchNormTrainResult {
  const { c, rows } = channels(x);
  const mean = ctx.output([c], 'batchNormTrain mean');
  const variance = ctx.output([c], 'batchNormTrain variance');
  const invStd = ctx.output([c], 'batchNormTrain invStd');
  const chunks = Math.ceil(rows / REDUCTION_CHUNK);
  const part = ctx.scratch(Math.max(1, 2 * chunks * c), `batchNormTrain partial sums of ${8 * chunks * c} bytes`);
  const params = { rows, c, epsilon, chunks };
  const buffers = [buf(x), part, buf(mean), buf(variance), buf(invStd)];
  ctx.run1d(statsSpec(0), params, buffers, chunks * c);
  ctx.run1d(statsSpec(1), params, buffers, c);
  ctx.release(part);
  const y = ctx.output(x.shape, 'batchNormTrain');
  ctx.run1d(applyTrainSpec, { n: x.size, c, epsilon },
    [buf(x), buf(gamma), buf(beta), buf(mean), buf(invStd), buf(y)], x.size);
  return { y, mean, variance, invStd };
}

export function batchNormInference(
  ctx: GpuContext, x: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVariance: Tensor, epsilon: number,
): Tensor {
  const { c } = channels(x);
  const y = ctx.output(x.shape, 'batchNormInference');
  ctx.run1d(applyInferenceSpec, { n: x.size, c, epsilon },
    [buf(x), buf(gamma), buf(beta), buf(movingMean), buf(movingVariance), buf(y)], x.size);
  return y;
}

/** Uses the mean and invStd that batchNormTrain saved. */
export function batchNormBackward(ctx: GpuContext, dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): BatchNormGrads {
  const { c, rows } = channels(x);
  const dGamma = ctx.output([c], 'batchNormBackward dGamma');
  const dBeta = ctx.output([c], 'batchNormBackward dBeta');
  const chunks = Math.ceil(rows / REDUCTION_CHUNK);
  const part = ctx.scratch(Math.max(1, 2 * chunks * c), `batchNormBackward partial sums of ${8 * chunks * c} bytes`);
  const params = { rows, c, chunks };
  const buffers = [buf(dy), buf(x), buf(mean), buf(invStd), part, buf(dGamma), buf(dBeta)];
  ctx.run1d(gradsSpec(0), params, buffers, chunks * c);
  ctx.run1d(gradsSpec(1), params, buffers, c);
  ctx.release(part);
  const dx = ctx.output(x.shape, 'batchNormBackward dx');
  ctx.run1d(backwardSpec, { n: x.size, c, rows },
    [buf(dy), buf(x), buf(gamma), buf(mean), buf(invStd), buf(dGamma), buf(dBeta), buf(dx)], x.size);
  return { dx, dGamma, dBeta };
}

export function movingAverageUpdate(ctx: GpuContext, variable: Tensor, value: Tensor, momentum: number, guard: Tensor | null = null): void {
  ctx.run1d(movingSpec, { n: variable.size, decay: 1 - momentum }, [buf(variable), buf(value), guardBinding(ctx, guard)], variable.size);
}
