// Element-wise kernels: activations forward and backward, add, scale.
// Shaders: shaders/activation.wgsl, activationBackward.wgsl, add.wgsl, scale.wgsl.

import type { ActivationKind } from '../types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, Params, buf } from './context.js';
import type { PipelineSpec } from './pipelines.js';
import activationCode from '../../../shaders/activation.wgsl?raw';
import activationBackwardCode from '../../../shaders/activationBackward.wgsl?raw';
import addCode from '../../../shaders/add.wgsl?raw';
import scaleCode from '../../../shaders/scale.wgsl?raw';

/** The KIND override of activation.wgsl and activationBackward.wgsl. */
const KIND: Record<ActivationKind, number> = { linear: 0, relu: 1, leakyRelu: 2, elu: 3, sigmoid: 4, tanh: 5 };
const KINDS = Object.keys(KIND) as ActivationKind[];

const activationSpec = (kind: ActivationKind): PipelineSpec => ({ name: 'activation', code: activationCode, constants: { KIND: KIND[kind] } });
const activationBackwardSpec = (kind: ActivationKind): PipelineSpec => ({ name: 'activationBackward', code: activationBackwardCode, constants: { KIND: KIND[kind] } });
const addSpec: PipelineSpec = { name: 'add', code: addCode };
const scaleSpec: PipelineSpec = { name: 'scale', code: scaleCode };

/** Every pipeline this family uses, created up front by the backend. */
export const pipelines: readonly PipelineSpec[] = [
  ...KINDS.map(activationSpec), ...KINDS.map(activationBackwardSpec), addSpec, scaleSpec,
];

export function activation(ctx: GpuContext, x: Tensor, kind: ActivationKind, alpha: number): Tensor {
  const y = ctx.output(x.shape, 'activation');
  ctx.run1d(activationSpec(kind), new Params().u32(x.size).f32(alpha), [buf(x), buf(y)], x.size);
  return y;
}

export function activationBackward(ctx: GpuContext, dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): Tensor {
  const dx = ctx.output(x.shape, 'activationBackward');
  ctx.run1d(activationBackwardSpec(kind), new Params().u32(x.size).f32(alpha), [buf(dy), buf(x), buf(y), buf(dx)], x.size);
  return dx;
}

export function add(ctx: GpuContext, a: Tensor, b: Tensor): Tensor {
  const c = ctx.output(a.shape, 'add');
  ctx.run1d(addSpec, new Params().u32(a.size), [buf(a), buf(b), buf(c)], a.size);
  return c;
}

export function scale(ctx: GpuContext, x: Tensor, s: number): Tensor {
  const y = ctx.output(x.shape, 'scale');
  ctx.run1d(scaleSpec, new Params().u32(x.size).f32(s), [buf(x), buf(y)], x.size);
  return y;
}
