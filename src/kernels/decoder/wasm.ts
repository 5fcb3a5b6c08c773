// UpSampling2D and its backward on the wasm backend
// (src/backend/wasm/assembly/upSampling.ts): nearest copies pixels and its
// backward gathers each pixel's block of dy; bilinear blends four channels
// per pass and its backward scatters in the reference's order. Memory-bound,
// so one thread.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import type { UpSampling2dParams } from './types.js';

/** The geometry both exports take after their pointers: n h w c, sh sw, bilinear (0 or 1). */
function geometry(xShape: Shape, p: UpSampling2dParams): [number, number, number, number, number, number, number] {
  const [n, h, w, c] = xShape;
  return [n, h, w, c, p.size[0], p.size[1], p.interpolation === 'bilinear' ? 1 : 0];
}

export function upSampling2d(ctx: WasmContext, x: Tensor, p: UpSampling2dParams): Tensor {
  const [n, h, w, c] = x.shape;
  const y = ctx.output([n, h * p.size[0], w * p.size[1], c], 'upSampling2d');
  ctx.exports.upSampling2d(ctx.ptr(x), ctx.ptr(y), ...geometry(x.shape, p));
  return y;
}

export function upSampling2dBackward(ctx: WasmContext, dy: Tensor, xShape: Shape, p: UpSampling2dParams): Tensor {
  const dx = ctx.output(xShape, 'upSampling2dBackward');
  ctx.exports.upSampling2dBackward(ctx.ptr(dy), ctx.ptr(dx), ...geometry(xShape, p));
  return dx;
}
