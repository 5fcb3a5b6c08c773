// Convolution as an implicit GEMM on the workgroup-memory tiles of the tiled
// GEMM (shaders/convTiled.wgsl over lib/gemmTile.wgsl): the forward, dx and dW
// each as one product whose loads compute x's, dy's and w's NHWC indices from
// the window, so no column matrix is made. Any kernel size, stride, dilation and
// padding; a tuner candidate on hardware adapters (choose.ts).

import type { GpuContext } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { ConvPass } from '../../backend/webgpu/kernelTuner.js';
import type { WindowGeometry } from '../geometry.js';
import { recordTiled } from '../matmul/tiled.js';
import convTiledCode from '../../../shaders/convTiled.wgsl?raw';

/**
 * The window (x [·, h, w, c], kernel width, strides, dilations, output size, top/left padding),
 * cout, then the product the pass computes: m, n, k, kChunk, hasBias and relu as lib/gemmTile.wgsl reads them;
 * vecA, vecB: 1 where A's and B's 4 loaded channels are whole vec4s.
 */
const convTiledUniforms = {
  h: 'u32', w: 'u32', c: 'u32', kw: 'u32', sh: 'u32', sw: 'u32', dh: 'u32', dw: 'u32',
  oh: 'u32', ow: 'u32', padTop: 'u32', padLeft: 'u32', cout: 'u32',
  m: 'u32', n: 'u32', k: 'u32', kChunk: 'u32', vecA: 'u32', vecB: 'u32', hasBias: 'u32', relu: 'u32',
} as const;

const PASS: Readonly<Record<ConvPass, number>> = { forward: 0, backwardInput: 1, backwardFilter: 2 };

const convTiledSpec = (pass: ConvPass): PipelineSpec<typeof convTiledUniforms> => ({
  name: 'convTiled', code: convTiledCode, uniforms: convTiledUniforms, constants: { PASS: PASS[pass] },
});

/** Every variant (prepareAll): one per pass. */
export const convTiledPipelines: readonly PipelineSpec[] = (['forward', 'backwardInput', 'backwardFilter'] as const).map(convTiledSpec);

/**
 * Records one pass: forward y = conv(a = x, b = w) (+ bias, then relu), dx from (a = dy, b = w),
 * or dW from (a = x, b = dy), into `out`.
 */
export function recordConvTiled(
  ctx: GpuContext, pass: ConvPass, g: WindowGeometry, cout: number, a: GPUBuffer, b: GPUBuffer, bias: GPUBuffer | null, out: GPUBuffer, relu = 0,
): void {
  const pixels = g.n * g.oh * g.ow;
  const taps = g.kh * g.kw * g.c;
  // The product's C [m, n] summed over k: y [pixels, cout], dx [n*h*w, cin], dW [taps, cout].
  const [m, n, k] = pass === 'forward' ? [pixels, cout, taps]
    : pass === 'backwardInput' ? [g.n * g.h * g.w, g.c, g.kh * g.kw * cout] : [taps, cout, pixels];
  // A's loads are 4 channels of x (forward, dW: cin) or of dy (dx: cout); B's 4 of cout (w or dy).
  const vecA = +((pass === 'backwardInput' ? cout : g.c) % 4 === 0), vecB = +(cout % 4 === 0);
  const params = {
    h: g.h, w: g.w, c: g.c, kw: g.kw, sh: g.sh, sw: g.sw, dh: g.dh, dw: g.dw,
    oh: g.oh, ow: g.ow, padTop: g.padTop, padLeft: g.padLeft, cout, m, n, k, vecA, vecB, relu,
  };
  recordTiled(ctx, convTiledSpec(pass), params, [a, a, b, b], bias, out, `conv2d ${pass} as a [${m}, ${k}] x [${k}, ${n}] product`);
}
