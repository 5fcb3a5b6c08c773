// Optimizer updates, in place on the weight and its slots, so weights never
// leave the GPU during training. Shaders: sgd.wgsl, momentum.wgsl, adam.wgsl, rmsprop.wgsl.

import type { AdamParams, MomentumParams, RmspropParams, SgdParams } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import { guardBinding } from '../stepGuard/webgpu.js';
import sgdCode from '../../../shaders/sgd.wgsl?raw';
import momentumCode from '../../../shaders/momentum.wgsl?raw';
import adamCode from '../../../shaders/adam.wgsl?raw';
import rmspropCode from '../../../shaders/rmsprop.wgsl?raw';

const sgdUniforms = { n: 'u32', lr: 'f32' } as const;
const momentumUniforms = { n: 'u32', lr: 'f32', momentum: 'f32' } as const;
/** correction1 and correction2: 1 - beta1^t and 1 - beta2^t. */
const adamUniforms = {
  n: 'u32', lr: 'f32', beta1: 'f32', beta2: 'f32', epsilon: 'f32', weightDecay: 'f32', correction1: 'f32', correction2: 'f32',
} as const;
const rmspropUniforms = { n: 'u32', lr: 'f32', rho: 'f32', momentum: 'f32', epsilon: 'f32' } as const;

const sgdSpec: PipelineSpec<typeof sgdUniforms> = { name: 'sgd', code: sgdCode, uniforms: sgdUniforms };
const momentumSpec = (nesterov: boolean): PipelineSpec<typeof momentumUniforms> =>
  ({ name: 'momentum', code: momentumCode, uniforms: momentumUniforms, constants: { NESTEROV: nesterov ? 1 : 0 } });
const adamSpec: PipelineSpec<typeof adamUniforms> = { name: 'adam', code: adamCode, uniforms: adamUniforms };
const rmspropSpec = (centered: boolean): PipelineSpec<typeof rmspropUniforms> =>
  ({ name: 'rmsprop', code: rmspropCode, uniforms: rmspropUniforms, constants: { CENTERED: centered ? 1 : 0 } });

export const pipelines: readonly PipelineSpec[] = [
  sgdSpec, momentumSpec(false), momentumSpec(true), adamSpec, rmspropSpec(false), rmspropSpec(true),
];

export function sgdUpdate(ctx: GpuContext, w: Tensor, g: Tensor, p: SgdParams, guard: Tensor | null = null): void {
  ctx.run1d(sgdSpec, { n: w.size, lr: p.learningRate }, [buf(w), buf(g), guardBinding(ctx, guard)], w.size);
}

export function momentumUpdate(ctx: GpuContext, w: Tensor, g: Tensor, accum: Tensor, p: MomentumParams, guard: Tensor | null = null): void {
  ctx.run1d(momentumSpec(p.nesterov), { n: w.size, lr: p.learningRate, momentum: p.momentum }, [buf(w), buf(g), buf(accum), guardBinding(ctx, guard)], w.size);
}

export function adamUpdate(ctx: GpuContext, w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams, guard: Tensor | null = null): void {
  const params = {
    n: w.size, lr: p.learningRate, beta1: p.beta1, beta2: p.beta2, epsilon: p.epsilon,
    weightDecay: p.weightDecay, correction1: 1 - p.beta1Power, correction2: 1 - p.beta2Power,
  };
  ctx.run1d(adamSpec, params, [buf(w), buf(g), buf(m), buf(v), guardBinding(ctx, guard)], w.size);
}

export function rmspropUpdate(ctx: GpuContext, w: Tensor, g: Tensor, ms: Tensor, mom: Tensor, mg: Tensor | null, p: RmspropParams, guard: Tensor | null = null): void {
  const centered = p.centered && mg !== null;
  const params = { n: w.size, lr: p.learningRate, rho: p.rho, momentum: p.momentum, epsilon: p.epsilon };
  ctx.run1d(rmspropSpec(centered), params, [buf(w), buf(g), buf(ms), buf(mom), centered ? buf(mg) : ctx.scheduler.empty, guardBinding(ctx, guard)], w.size);
}
