// Local response normalization and its backward on WebGPU: one invocation per
// element, each summing its window of channels (shaders/lrn.wgsl,
// shaders/lrnBackward.wgsl; the backward gathers, so no atomics).

import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import lrnCode from '../../../shaders/lrn.wgsl?raw';
import lrnBackwardCode from '../../../shaders/lrnBackward.wgsl?raw';
import type { LrnParams } from './params.js';

/** total: elements; c: channels (the last axis); radius, bias, alpha, beta: the op's arguments. */
const lrnUniforms = { total: 'u32', c: 'u32', radius: 'u32', bias: 'f32', alpha: 'f32', beta: 'f32' } as const;
const lrnSpec: PipelineSpec<typeof lrnUniforms> = { name: 'lrn', code: lrnCode, uniforms: lrnUniforms };
const lrnBackwardSpec: PipelineSpec<typeof lrnUniforms> = { name: 'lrnBackward', code: lrnBackwardCode, uniforms: lrnUniforms };

export const pipelines: readonly PipelineSpec[] = [lrnSpec, lrnBackwardSpec];

function params(x: Tensor, p: LrnParams): UniformValues<typeof lrnUniforms> {
  return { total: x.size, c: x.shape[3], radius: p.depthRadius, bias: p.bias, alpha: p.alpha, beta: p.beta };
}

export function lrn(ctx: GpuContext, x: Tensor, p: LrnParams): Tensor {
  const y = ctx.output(x.shape, 'lrn');
  ctx.run1d(lrnSpec, params(x, p), [buf(x), buf(y)], x.size);
  return y;
}

export function lrnBackward(ctx: GpuContext, dy: Tensor, x: Tensor, p: LrnParams): Tensor {
  const dx = ctx.output(x.shape, 'lrnBackward');
  ctx.run1d(lrnBackwardSpec, params(x, p), [buf(dy), buf(x), buf(dx)], x.size);
  return dx;
}
