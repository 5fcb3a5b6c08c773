// Dropout forward and backward on the GPU: the same hashed mask as the CPU
// reference (mask.ts), recomputed from (seed, i). Shader: dropout.wgsl.

import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import dropoutCode from '../../../shaders/dropout.wgsl?raw';

/** scale: 1 / (1 - rate), rounded to f32 as the CPU does. */
const dropoutUniforms = { n: 'u32', seed: 'u32', threshold: 'u32', scale: 'f32' } as const;

const dropoutSpec: PipelineSpec<typeof dropoutUniforms> = { name: 'dropout', code: dropoutCode, uniforms: dropoutUniforms };

export const pipelines: readonly PipelineSpec[] = [dropoutSpec];

/** Forward and backward alike: the mask is recomputed from (seed, i). */
function masked(ctx: GpuContext, x: Tensor, rate: number, seed: number, op: string): Tensor {
  const y = ctx.output(x.shape, op);
  // keep when (hash >> 8) / 2^24 >= rate, i.e. hash >> 8 >= ceil(rate * 2^24): exact in integers.
  const threshold = Math.ceil(rate * 16777216);
  const params = { n: x.size, seed: seed >>> 0, threshold, scale: Math.fround(1 / (1 - rate)) };
  ctx.run1d(dropoutSpec, params, [buf(x), buf(y)], x.size);
  return y;
}

export function dropout(ctx: GpuContext, x: Tensor, rate: number, seed: number): Tensor {
  return masked(ctx, x, rate, seed, 'dropout');
}

export function dropoutBackward(ctx: GpuContext, dy: Tensor, rate: number, seed: number): Tensor {
  return masked(ctx, dy, rate, seed, 'dropoutBackward');
}
