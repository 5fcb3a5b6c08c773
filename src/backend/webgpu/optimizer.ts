// Optimizer updates, in place on the weight and its slots, so weights never
// leave the GPU during training. Shaders: sgd.wgsl, momentum.wgsl, adam.wgsl, rmsprop.wgsl.

import type { AdamParams, MomentumParams, RmspropParams, SgdParams } from '../types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, Params, buf } from './context.js';
import type { PipelineSpec } from './pipelines.js';
import sgdCode from '../../../shaders/sgd.wgsl?raw';
import momentumCode from '../../../shaders/momentum.wgsl?raw';
import adamCode from '../../../shaders/adam.wgsl?raw';
import rmspropCode from '../../../shaders/rmsprop.wgsl?raw';

const sgdSpec: PipelineSpec = { name: 'sgd', code: sgdCode };
const momentumSpec = (nesterov: boolean): PipelineSpec => ({ name: 'momentum', code: momentumCode, constants: { NESTEROV: nesterov ? 1 : 0 } });
const adamSpec: PipelineSpec = { name: 'adam', code: adamCode };
const rmspropSpec = (centered: boolean): PipelineSpec => ({ name: 'rmsprop', code: rmspropCode, constants: { CENTERED: centered ? 1 : 0 } });

export const pipelines: readonly PipelineSpec[] = [
  sgdSpec, momentumSpec(false), momentumSpec(true), adamSpec, rmspropSpec(false), rmspropSpec(true),
];

export function sgdUpdate(ctx: GpuContext, w: Tensor, g: Tensor, p: SgdParams): void {
  ctx.run1d(sgdSpec, new Params().u32(w.size).f32(p.learningRate), [buf(w), buf(g)], w.size);
}

export function momentumUpdate(ctx: GpuContext, w: Tensor, g: Tensor, accum: Tensor, p: MomentumParams): void {
  ctx.run1d(momentumSpec(p.nesterov), new Params().u32(w.size).f32(p.learningRate).f32(p.momentum),
    [buf(w), buf(g), buf(accum)], w.size);
}

export function adamUpdate(ctx: GpuContext, w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
  const params = new Params().u32(w.size).f32(p.learningRate).f32(p.beta1).f32(p.beta2).f32(p.epsilon)
    .f32(p.weightDecay).f32(1 - p.beta1Power).f32(1 - p.beta2Power);
  ctx.run1d(adamSpec, params, [buf(w), buf(g), buf(m), buf(v)], w.size);
}

export function rmspropUpdate(ctx: GpuContext, w: Tensor, g: Tensor, ms: Tensor, mom: Tensor, mg: Tensor | null, p: RmspropParams): void {
  const centered = p.centered && mg !== null;
  const params = new Params().u32(w.size).f32(p.learningRate).f32(p.rho).f32(p.momentum).f32(p.epsilon);
  ctx.run1d(rmspropSpec(centered), params, [buf(w), buf(g), buf(ms), buf(mom), centered ? buf(mg) : ctx.scheduler.empty], w.size);
}
