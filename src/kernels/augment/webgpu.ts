// The augmentation kernels on WebGPU: shaders/augmentTransform.wgsl (one
// invocation per output) and shaders/augmentTransformBackward.wgsl (a gather
// per image element). NEAREST picks the interpolation and FLOW the source of
// positions (a projective transform per image, or a displacement field); the
// fill mode and the sizes travel as uniforms.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import type { FillMode, SampleParams, TransformParams } from './types.js';
import forwardCode from '../../../shaders/augmentTransform.wgsl?raw';
import backwardCode from '../../../shaders/augmentTransformBackward.wgsl?raw';

/**
 * image [n, h, w, c], output [n, oh, ow, c]; tstride: 1 for one transform per
 * image, 0 for one shared; fill: the fill mode's index in FILL_CODES.
 */
const augmentUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', oh: 'u32', ow: 'u32', tstride: 'u32', fill: 'u32', fillValue: 'f32', total: 'u32',
} as const;

type AugmentSpec = PipelineSpec<typeof augmentUniforms>;

const FILL_CODES: Readonly<Record<FillMode, number>> = { constant: 0, reflect: 1, wrap: 2, nearest: 3 };

const variants = [0, 1].flatMap((flow) => [0, 1].map((nearest) => [flow, nearest] as const));
/** Indexed by nearest + 2 * flow. */
const forwardSpecs = variants.map(([flow, nearest]): AugmentSpec => ({
  name: flow ? 'displace' : 'transform', code: forwardCode, uniforms: augmentUniforms, constants: { NEAREST: nearest, FLOW: flow },
}));
const backwardSpecs = variants.map(([flow, nearest]): AugmentSpec => ({
  name: flow ? 'displaceBackward' : 'transformBackward', code: backwardCode, uniforms: augmentUniforms, constants: { NEAREST: nearest, FLOW: flow },
}));

export const pipelines: readonly PipelineSpec[] = [...forwardSpecs, ...backwardSpecs];

const variant = (p: SampleParams, flow: boolean) => +(p.interpolation === 'nearest') + 2 * +flow;

function params(imageShape: Shape, oh: number, ow: number, tstride: number, p: SampleParams, total: number): UniformValues<typeof augmentUniforms> {
  const [n, h, w, c] = imageShape;
  return { n, h, w, c, oh, ow, tstride, fill: FILL_CODES[p.fillMode], fillValue: p.fillValue, total };
}

export function transform(ctx: GpuContext, image: Tensor, transforms: Tensor, p: TransformParams): Tensor {
  const [n, , , c] = image.shape;
  const [oh, ow] = p.outputShape;
  const y = ctx.output([n, oh, ow, c], 'transform');
  const tstride = transforms.shape[0] === 1 ? 0 : 1;
  ctx.run1d(forwardSpecs[variant(p, false)], params(image.shape, oh, ow, tstride, p, y.size), [buf(image), buf(transforms), buf(y)], y.size);
  return y;
}

export function transformBackward(ctx: GpuContext, dy: Tensor, transforms: Tensor, imageShape: Shape, p: TransformParams): Tensor {
  const dx = ctx.output(imageShape, 'transformBackward');
  const tstride = transforms.shape[0] === 1 ? 0 : 1;
  ctx.run1d(backwardSpecs[variant(p, false)], params(imageShape, p.outputShape[0], p.outputShape[1], tstride, p, dx.size), [buf(dy), buf(transforms), buf(dx)], dx.size);
  return dx;
}

export function displace(ctx: GpuContext, image: Tensor, flow: Tensor, p: SampleParams): Tensor {
  const [n, , , c] = image.shape;
  const [, oh, ow] = flow.shape;
  const y = ctx.output([n, oh, ow, c], 'displace');
  ctx.run1d(forwardSpecs[variant(p, true)], params(image.shape, oh, ow, 0, p, y.size), [buf(image), buf(flow), buf(y)], y.size);
  return y;
}

export function displaceBackward(ctx: GpuContext, dy: Tensor, flow: Tensor, imageShape: Shape, p: SampleParams): Tensor {
  const dx = ctx.output(imageShape, 'displaceBackward');
  ctx.run1d(backwardSpecs[variant(p, true)], params(imageShape, flow.shape[1], flow.shape[2], 0, p, dx.size), [buf(dy), buf(flow), buf(dx)], dx.size);
  return dx;
}
