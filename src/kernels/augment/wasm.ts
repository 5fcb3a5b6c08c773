// The wasm programs of transform, transformBackward, displace and
// displaceBackward (src/backend/wasm/assembly/augment.ts): one sampler and
// its adjoint, told where each output pixel reads (the projective transform
// or the displacement field). With threads the forwards split output rows;
// the backwards split images, since no two images share a dx pixel and each
// pixel keeps the CPU's order of additions.

import type { Shape } from '../../backend/types.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { call } from '../../backend/wasm/threadPool.js';
import type { Tensor } from '../../tensor.js';
import type { FillMode, SampleParams, TransformParams } from './types.js';

/** The source codes of augment.ts. */
const TRANSFORM = 0;
const DISPLACE = 1;

/** Where output pixels read: the source code, the transforms or the flow, and floats per image of the transforms. */
interface Source { code: number; params: Tensor; stride: number }

const transformSource = (transforms: Tensor): Source => ({ code: TRANSFORM, params: transforms, stride: transforms.shape[0] === 1 ? 0 : 8 });
const flowSource = (flow: Tensor): Source => ({ code: DISPLACE, params: flow, stride: 0 });

/** The fill-mode codes of augment.ts. */
const FILL: Record<FillMode, number> = { constant: 0, reflect: 1, wrap: 2, nearest: 3 };

/** interpolation (0 nearest, 1 bilinear) and fill mode codes. */
function modes(p: SampleParams): [number, number] {
  return [p.interpolation === 'nearest' ? 0 : 1, FILL[p.fillMode]];
}

/** [lo, hi) ranges of `total` units of `work` each, one per thread that gets enough. */
function parts(ctx: WasmContext, total: number, work: number): [number, number][] {
  if (ctx.threads === 1) return [[0, total]];
  return ctx.split(total, Math.ceil(ctx.minWorkPerThread / Math.max(work, 1)));
}

function sample(ctx: WasmContext, name: string, image: Tensor, s: Source, oh: number, ow: number, p: SampleParams): Tensor {
  const [n, h, w, c] = image.shape;
  const y = ctx.output([n, oh, ow, c], name);
  const args = [s.code, ctx.ptr(image), ctx.ptr(s.params), s.stride, ctx.ptr(y), h, w, c, oh, ow, ...modes(p), p.fillValue] as const;
  ctx.parallel(parts(ctx, n * oh, 4 * ow * c).map(([lo, hi]) => [call('sampleImages', ...args, lo, hi - lo)]));
  return y;
}

function sampleBackward(ctx: WasmContext, name: string, dy: Tensor, s: Source, imageShape: Shape, p: SampleParams): Tensor {
  const [n, h, w, c] = imageShape;
  const [, oh, ow] = dy.shape;
  const dx = ctx.output(imageShape, name);
  const args = [s.code, ctx.ptr(dy), ctx.ptr(s.params), s.stride, ctx.ptr(dx), h, w, c, oh, ow, ...modes(p)] as const;
  ctx.parallel(parts(ctx, n, 4 * oh * ow * c).map(([lo, hi]) => [call('sampleImagesBackward', ...args, lo, hi - lo)]));
  return dx;
}

export const transform = (ctx: WasmContext, image: Tensor, transforms: Tensor, p: TransformParams): Tensor =>
  sample(ctx, 'transform', image, transformSource(transforms), p.outputShape[0], p.outputShape[1], p);
export const transformBackward = (ctx: WasmContext, dy: Tensor, transforms: Tensor, imageShape: Shape, p: TransformParams): Tensor =>
  sampleBackward(ctx, 'transformBackward', dy, transformSource(transforms), imageShape, p);
export const displace = (ctx: WasmContext, image: Tensor, flow: Tensor, p: SampleParams): Tensor =>
  sample(ctx, 'displace', image, flowSource(flow), flow.shape[1], flow.shape[2], p);
export const displaceBackward = (ctx: WasmContext, dy: Tensor, flow: Tensor, imageShape: Shape, p: SampleParams): Tensor =>
  sampleBackward(ctx, 'displaceBackward', dy, flowSource(flow), imageShape, p);
