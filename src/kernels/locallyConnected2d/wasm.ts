// The wasm programs of the locally-connected layer and its gradients
// (src/backend/wasm/assembly/locallyConnected.ts). With threads the forward
// and dW split output positions (each has its own weights, so dW's parts
// never share an output) and dx splits images (two images never write the
// same pixel), each thread packing the weights it reads into its own scratch;
// every split gives the same bits as one thread.

import type { LocallyConnected2dParams, Shape } from '../../backend/types.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import type { Tensor } from '../../tensor.js';
import { call } from '../../backend/wasm/threadPool.js';
import { windowGeometry, type WindowGeometry } from '../geometry.js';

type Window = [number, number, number, number, number, number, number, number, number, number, number];

function geometry(name: string, xShape: Shape, p: LocallyConnected2dParams): WindowGeometry {
  return windowGeometry(name, xShape, p.kernelSize, p.strides, [1, 1], 'valid');
}

/** The geometry every export takes after its pointers: n h w c, kh kw, sh sw, oh ow, cout. */
function window(g: WindowGeometry, cout: number): Window {
  return [g.n, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.oh, g.ow, cout];
}

/** Ranges of `total` positions (or images) of `perItem` multiply-adds each for the threads (one range on one thread or small work). */
function parts(ctx: WasmContext, total: number, perItem: number): [number, number][] {
  if (ctx.threads === 1 || perItem === 0) return [[0, total]];
  return ctx.split(total, Math.ceil(ctx.minWorkPerThread / perItem));
}

export function locallyConnected2d(ctx: WasmContext, x: Tensor, w: Tensor, bias: Tensor | null, p: LocallyConnected2dParams): Tensor {
  const g = geometry('locallyConnected2d', x.shape, p);
  const cout = w.shape[2];
  const y = ctx.output([g.n, g.oh, g.ow, cout], 'locallyConnected2d');
  const ptrs = [ctx.ptr(x), ctx.ptr(w), bias ? ctx.ptr(bias) : 0, ctx.ptr(y)] as const;
  const positions = parts(ctx, g.oh * g.ow, g.n * g.kh * g.kw * g.c * cout);
  ctx.parallel(positions.map(([lo, hi]) => [call('locallyConnected2d', ...ptrs, ...window(g, cout), lo, hi - lo)]));
  return y;
}

export function locallyConnected2dBackwardInput(ctx: WasmContext, dy: Tensor, w: Tensor, xShape: Shape, p: LocallyConnected2dParams): Tensor {
  const g = geometry('locallyConnected2dBackwardInput', xShape, p);
  const cout = w.shape[2];
  const dx = ctx.output(xShape, 'locallyConnected2dBackwardInput');
  const images = parts(ctx, g.n, g.oh * g.ow * g.kh * g.kw * g.c * cout);
  // One position's weights in f64, input channels rounded up to 4, and one image's dy there.
  const packed = images.map(() => ctx.scratch(8 * (g.kh * g.kw * 4 * Math.ceil(g.c / 4) + 1) * cout));
  ctx.parallel(images.map(([lo, hi], i) => [call('locallyConnected2dBackwardInput', ctx.ptr(dy), ctx.ptr(w), ctx.ptr(dx), packed[i], ...window(g, cout), lo, hi - lo)]));
  return dx;
}

export function locallyConnected2dBackwardFilter(ctx: WasmContext, x: Tensor, dy: Tensor, wShape: Shape, p: LocallyConnected2dParams): Tensor {
  const g = geometry('locallyConnected2dBackwardFilter', x.shape, p);
  const cout = wShape[2];
  const dw = ctx.output(wShape, 'locallyConnected2dBackwardFilter');
  const positions = parts(ctx, g.oh * g.ow, g.n * g.kh * g.kw * g.c * cout);
  ctx.parallel(positions.map(([lo, hi]) => [call('locallyConnected2dBackwardFilter', ctx.ptr(x), ctx.ptr(dy), ctx.ptr(dw), ...window(g, cout), lo, hi - lo)]));
  return dw;
}
