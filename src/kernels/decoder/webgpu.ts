// UpSampling2D's resize by whole factors and its backward.
// Shaders: upSampling2d.wgsl (one invocation per output), upSampling2dBackward.wgsl
// (a gather per input element). BILINEAR picks the interpolation.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import type { UpSampling2dParams } from './types.js';
import upCode from '../../../shaders/upSampling2d.wgsl?raw';
import upBackwardCode from '../../../shaders/upSampling2dBackward.wgsl?raw';

/** x [n, h, w, c], y [n, oh, ow, c] with oh = h * sh, ow = w * sw; total: the invocation count. */
const upUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', oh: 'u32', ow: 'u32', sh: 'u32', sw: 'u32', total: 'u32',
} as const;
type UpSpec = PipelineSpec<typeof upUniforms>;

const forwardSpecs = [0, 1].map((b): UpSpec => ({ name: 'upSampling2d', code: upCode, uniforms: upUniforms, constants: { BILINEAR: b } }));
const backwardSpecs = [0, 1].map((b): UpSpec => ({ name: 'upSampling2dBackward', code: upBackwardCode, uniforms: upUniforms, constants: { BILINEAR: b } }));

export const pipelines: readonly PipelineSpec[] = [...forwardSpecs, ...backwardSpecs];

function params(xShape: Shape, p: UpSampling2dParams, total: number): UniformValues<typeof upUniforms> {
  const [n, h, w, c] = xShape;
  const [sh, sw] = p.size;
  return { n, h, w, c, oh: h * sh, ow: w * sw, sh, sw, total };
}

export function upSampling2d(ctx: GpuContext, x: Tensor, p: UpSampling2dParams): Tensor {
  const [n, h, w, c] = x.shape;
  const y = ctx.output([n, h * p.size[0], w * p.size[1], c], 'upSampling2d');
  ctx.run1d(forwardSpecs[+(p.interpolation === 'bilinear')], params(x.shape, p, y.size), [buf(x), buf(y)], y.size);
  return y;
}

export function upSampling2dBackward(ctx: GpuContext, dy: Tensor, xShape: Shape, p: UpSampling2dParams): Tensor {
  const dx = ctx.output(xShape, 'upSampling2dBackward');
  ctx.run1d(backwardSpecs[+(p.interpolation === 'bilinear')], params(xShape, p, dx.size), [buf(dy), buf(dx)], dx.size);
  return dx;
}
