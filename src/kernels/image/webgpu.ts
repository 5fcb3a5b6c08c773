// The image kernels on WebGPU. shaders/resize.wgsl: resize (one invocation per
// output) and its backward (a gather per input element); shaders/cropAndResize.wgsl:
// cropAndResize and its image gradient (likewise). NEAREST and BACKWARD pick
// the variant; alignCorners and halfPixelCenters travel as uniforms.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import type { CropAndResizeParams, ResizeParams } from './types.js';
import resizeCode from '../../../shaders/resize.wgsl?raw';
import cropCode from '../../../shaders/cropAndResize.wgsl?raw';

/** x [n, h, w, c], y [n, oh, ow, c]; align, half: TF.js's flags (0 or 1); total: the invocation count. */
const resizeUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', oh: 'u32', ow: 'u32', align: 'u32', half: 'u32', total: 'u32',
} as const;
/** image [n, h, w, c], crops [numBoxes, cropH, cropW, c]; extrapolation: the value outside the image. */
const cropUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', cropH: 'u32', cropW: 'u32', numBoxes: 'u32', extrapolation: 'f32', total: 'u32',
} as const;

type ResizeSpec = PipelineSpec<typeof resizeUniforms>;
type CropSpec = PipelineSpec<typeof cropUniforms>;

const variants = [[0, 0], [1, 0], [0, 1], [1, 1]] as const;
/** Indexed by nearest + 2 * backward. */
const resizeSpecs = variants.map(([nearest, backward]): ResizeSpec => ({
  name: backward ? 'resizeBackward' : 'resize', code: resizeCode, uniforms: resizeUniforms, constants: { NEAREST: nearest, BACKWARD: backward },
}));
const cropSpecs = variants.map(([nearest, backward]): CropSpec => ({
  name: backward ? 'cropAndResizeBackward' : 'cropAndResize', code: cropCode, uniforms: cropUniforms, constants: { NEAREST: nearest, BACKWARD: backward },
}));

export const pipelines: readonly PipelineSpec[] = [...resizeSpecs, ...cropSpecs];

const variant = (method: string, backward: boolean) => +(method === 'nearest') + 2 * +backward;

function resizeParams(xShape: Shape, p: ResizeParams, total: number): UniformValues<typeof resizeUniforms> {
  const [n, h, w, c] = xShape;
  return { n, h, w, c, oh: p.size[0], ow: p.size[1], align: +p.alignCorners, half: +p.halfPixelCenters, total };
}

function cropParams(imageShape: Shape, numBoxes: number, p: CropAndResizeParams, total: number): UniformValues<typeof cropUniforms> {
  const [n, h, w, c] = imageShape;
  return { n, h, w, c, cropH: p.cropSize[0], cropW: p.cropSize[1], numBoxes, extrapolation: p.extrapolationValue, total };
}

export function resize(ctx: GpuContext, x: Tensor, p: ResizeParams): Tensor {
  const [n, , , c] = x.shape;
  const y = ctx.output([n, p.size[0], p.size[1], c], 'resize');
  ctx.run1d(resizeSpecs[variant(p.method, false)], resizeParams(x.shape, p, y.size), [buf(x), buf(y)], y.size);
  return y;
}

export function resizeBackward(ctx: GpuContext, dy: Tensor, xShape: Shape, p: ResizeParams): Tensor {
  const dx = ctx.output(xShape, 'resizeBackward');
  ctx.run1d(resizeSpecs[variant(p.method, true)], resizeParams(xShape, p, dx.size), [buf(dy), buf(dx)], dx.size);
  return dx;
}

export function cropAndResize(ctx: GpuContext, image: Tensor, boxes: Tensor, boxInd: Tensor, p: CropAndResizeParams): Tensor {
  const numBoxes = boxes.shape[0];
  const y = ctx.output([numBoxes, p.cropSize[0], p.cropSize[1], image.shape[3]], 'cropAndResize');
  ctx.run1d(cropSpecs[variant(p.method, false)], cropParams(image.shape, numBoxes, p, y.size), [buf(image), buf(boxes), buf(boxInd), buf(y)], y.size);
  return y;
}

export function cropAndResizeBackward(ctx: GpuContext, dy: Tensor, boxes: Tensor, boxInd: Tensor, imageShape: Shape, p: CropAndResizeParams): Tensor {
  const dx = ctx.output(imageShape, 'cropAndResizeBackward');
  ctx.run1d(cropSpecs[variant(p.method, true)], cropParams(imageShape, boxes.shape[0], p, dx.size), [buf(dy), buf(boxes), buf(boxInd), buf(dx)], dx.size);
  return dx;
}
