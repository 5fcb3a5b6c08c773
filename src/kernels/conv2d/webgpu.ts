// conv2d on WebGPU: im2col + GEMM (forward y = col . W, dW = col^T . dy,
// dx = col2im(dy . W^T); the column matrix is pooled scratch), and for few
// input channels the tap-table and row-sweep kernels that skip the column
// matrix, Winograd F(2x2, 3x3) for 3x3 at stride 1 (winograd.ts), and the
// workgroup-memory tiled implicit GEMM for every pass (tiled.ts). Which runs for
// each pass is decided in choose.ts.

import type { Conv2dParams, FusedActivation, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { isPointwise, windowGeometry, type WindowGeometry } from '../geometry.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import { activationCode } from '../fusedActivation.js';
import { recordGemm, sumSlices, timeRecorded, zeroedScratch, type GemmVariant } from '../matmul/webgpu.js';
import type { ConvAlgorithm, ConvPass } from '../../backend/webgpu/kernelTuner.js';
import { backwardInputConv, forwardConv, recordWinograd, recordWinogradFilterGrad, transformPipelines } from './winograd.js';
import {
  backwardFilterAlgorithm, backwardInputAlgorithm, forwardAlgorithm, type BackwardFilterAlgorithm, type BackwardInputAlgorithm,
  reachesPadding, sharesGathers, sweepsOneChannel,
} from './choose.js';
import { convTiledPipelines, recordConvTiled } from './tiled.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import im2colCode from '../../../shaders/im2col.wgsl?raw';
import col2imCode from '../../../shaders/col2im.wgsl?raw';
import directCode from '../../../shaders/conv2dDirect.wgsl?raw';
import convEntryCode from '../../../shaders/convEntry.wgsl?raw';
import convEntrySubgroupCode from '../../../shaders/convEntrySubgroup.wgsl?raw';
import filterDirectCode from '../../../shaders/conv2dBackwardFilterDirect.wgsl?raw';
import inputDirectCode from '../../../shaders/conv2dBackwardInputDirect.wgsl?raw';
import sweepCode from '../../../shaders/conv2dSweep.wgsl?raw';
import filterSweepCode from '../../../shaders/conv2dBackwardFilterSweep.wgsl?raw';

/**
 * The window fields im2col, col2im and the direct kernels start with: the input [n, h, w, c] (dx's for
 * col2im), kernel size, strides, dilations, output size, and the top/left padding (TF 'same' puts the
 * odd pad at bottom/right: only top/left shift indices).
 */
const windowUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', kh: 'u32', kw: 'u32', sh: 'u32', sw: 'u32',
  dh: 'u32', dw: 'u32', oh: 'u32', ow: 'u32', padTop: 'u32', padLeft: 'u32',
} as const;
/** The fields the three row-sweep kernels (3x3, stride 1) start with: x [n, h, w, c], y [n, oh, ow, cout], the padding. */
const sweepUniforms = { n: 'u32', h: 'u32', w: 'u32', oh: 'u32', ow: 'u32', padTop: 'u32', padLeft: 'u32', cout: 'u32' } as const;
/** total: im2col's element count of col (M * K); col2im's invocations (n * h * w, or n * h * w * c / 4 with VEC4). */
const columnUniforms = { ...windowUniforms, total: 'u32' } as const;
/** pixels: n * oh * ow; relu: the fused activation's code after the bias (src/kernels/fusedActivation.ts); taps: kh * kw * cin, the tap table's length. */
const directUniforms = { ...windowUniforms, cout: 'u32', pixels: 'u32', relu: 'u32', taps: 'u32' } as const;
/** taps: K = kh * kw * cin; rowsPerSplit: the output rows (n * oh in all) each slice sums. */
const filterDirectUniforms = { ...windowUniforms, cout: 'u32', taps: 'u32', rowsPerSplit: 'u32', splits: 'u32' } as const;
/** c: cin. */
const inputDirectUniforms = { ...sweepUniforms, c: 'u32' } as const;
/** relu: the fused activation's code after the bias (src/kernels/fusedActivation.ts). */
const sweepForwardUniforms = { ...sweepUniforms, relu: 'u32' } as const;
/** rowsPerSplit: the output rows (n * oh in all) each slice sums. */
const filterSweepUniforms = { ...sweepUniforms, rowsPerSplit: 'u32', splits: 'u32' } as const;

// im2col and col2im move whole vec4s of channels when c % 4 == 0 (VEC4).
const im2colSpec = (vec4: boolean): PipelineSpec<typeof columnUniforms> =>
  ({ name: 'im2col', code: im2colCode, uniforms: columnUniforms, constants: { VEC4: +vec4 } });
const col2imSpec = (vec4: boolean): PipelineSpec<typeof columnUniforms> =>
  ({ name: 'col2im', code: col2imCode, uniforms: columnUniforms, constants: { VEC4: +vec4 } });
/** A direct conv kernel behind its entry point: convEntrySubgroup.wgsl where lanes share gathers, else convEntry.wgsl. */
const withEntry = (shared: boolean, body: string): string => `${shared ? convEntrySubgroupCode : convEntryCode}\n${body}`;

/**
 * conv2dDirect.wgsl behind one of its entry files: 8 pixels by 4 channels per invocation reading x as
 * vec4s when cin % 4 == 0 (VEC_X), else 8 by 8 over the tap table (PADDED: taps tested against the
 * image's edges), its gathers shared by a subgroup's 4 lanes where `shared`.
 */
interface DirectFlags { bias: boolean; vecX: boolean; padded: boolean; shared: boolean }
const directSpec = (f: DirectFlags): PipelineSpec<typeof directUniforms> => ({
  name: f.shared ? 'conv2dDirectSubgroup' : 'conv2dDirect',
  code: withEntry(f.shared, directCode),
  uniforms: directUniforms,
  constants: { HAS_BIAS: +f.bias, VEC_X: +f.vecX, PADDED: +f.padded },
});
/** The variants with own gathers (VEC_X among them), or those sharing them (the tap table only). */
const directFlags = (shared: boolean): DirectFlags[] => [false, true].flatMap((bias) => [
  ...(shared ? [] : [{ bias, vecX: true, padded: false, shared: false }]),
  ...[false, true].map((padded) => ({ bias, vecX: false, padded, shared })),
]);
const DIRECT_WG = 64;

/** conv2dBackwardFilterDirect.wgsl behind an entry file (PADDED: taps tested against the image's edges). */
const filterDirectSpec = (padded: boolean, shared: boolean, qpl: number): PipelineSpec<typeof filterDirectUniforms> => ({
  name: shared ? 'conv2dBackwardFilterDirectSubgroup' : 'conv2dBackwardFilterDirect',
  code: withEntry(shared, filterDirectCode),
  uniforms: filterDirectUniforms,
  constants: { PADDED: +padded, QPL: qpl },
});
const QPL = [1, 2, 3];
const filterDirectSpecs = (shared: boolean): PipelineSpec[] => [false, true].flatMap((padded) => QPL.map((q) => filterDirectSpec(padded, shared, q)));

/**
 * Quads of taps per invocation of the direct dW (1 to 3). More share each load of dy, but the last
 * group may hold spare quads: the cost counts a group's loads of dy as much as one quad's math.
 */
function quadsPerLane(quads: number): number {
  const cost = (q: number) => Math.ceil(quads / q) * (q + 1);
  return QPL.reduce((best, q) => (cost(q) < cost(best) ? q : best));
}

const inputDirectSpec = (shared: boolean): PipelineSpec<typeof inputDirectUniforms> => ({
  name: shared ? 'conv2dBackwardInputDirectSubgroup' : 'conv2dBackwardInputDirect', code: withEntry(shared, inputDirectCode),
  uniforms: inputDirectUniforms,
});
const sweepSpec = (bias: boolean): PipelineSpec<typeof sweepForwardUniforms> =>
  ({ name: 'conv2dSweep', code: sweepCode, uniforms: sweepForwardUniforms, constants: { HAS_BIAS: +bias } });
const filterSweepSpec: PipelineSpec<typeof filterSweepUniforms> =
  { name: 'conv2dBackwardFilterSweep', code: filterSweepCode, uniforms: filterSweepUniforms };

export const pipelines: readonly PipelineSpec[] = [
  ...[false, true].flatMap((v) => [im2colSpec(v), col2imSpec(v)]),
  ...directFlags(false).map(directSpec), ...filterDirectSpecs(false), inputDirectSpec(false), sweepSpec(false), sweepSpec(true), filterSweepSpec,
  ...transformPipelines, ...convTiledPipelines,
];
/** The direct kernels' variants whose lanes share gathers (devices with 4-lane subgroups). */
export const sharedPipelines: readonly PipelineSpec[] = [...directFlags(true).map(directSpec), ...filterDirectSpecs(true), inputDirectSpec(true)];

/**
 * conv2dDirect.wgsl's tap table: per 4 taps (ky, kx, ci) in w's row order, their offsets in x from the
 * window's origin, then their ky * dh, then their kx * dw (vec4i each; a last partial quad padded with 0).
 */
function tapTable(g: WindowGeometry): Int32Array {
  const taps = g.kh * g.kw * g.c;
  const out = new Int32Array(12 * Math.ceil(taps / 4));
  for (let t = 0; t < taps; t++) {
    const ci = t % g.c, kx = Math.floor(t / g.c) % g.kw, ky = Math.floor(t / (g.c * g.kw));
    const at = 12 * Math.floor(t / 4) + (t % 4);
    out[at] = (ky * g.dh * g.w + kx * g.dw) * g.c + ci;
    out[at + 4] = ky * g.dh;
    out[at + 8] = kx * g.dw;
  }
  return out;
}

function geometry(op: string, xShape: Shape, wShape: Shape, p: Conv2dParams): WindowGeometry {
  return windowGeometry(op, xShape, [wShape[0], wShape[1]], p.strides, p.dilations, p.padding);
}

/** The layer's tap table as a kept constant buffer (the same for every batch size). */
const tapTableBuffer = (ctx: GpuContext, g: WindowGeometry): GPUBuffer =>
  ctx.constant(`conv2d tap table c${g.c} k${g.kh},${g.kw} d${g.dh},${g.dw} w${g.w}`, () => tapTable(g));

/** The values of sweepUniforms; each row-sweep kernel adds its own. */
const sweepFields = (g: WindowGeometry, cout: number): UniformValues<typeof sweepUniforms> =>
  ({ n: g.n, h: g.h, w: g.w, oh: g.oh, ow: g.ow, padTop: g.padTop, padLeft: g.padLeft, cout });

/** Invocations the direct filter gradient aims for (its split-K slices times its tap quads and channel octets). */
const FILTER_LANES = 512;

/** The values of windowUniforms; each kernel adds its own. */
const windowFields = (g: WindowGeometry): UniformValues<typeof windowUniforms> => ({
  n: g.n, h: g.h, w: g.w, c: g.c, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw,
  dh: g.dh, dw: g.dw, oh: g.oh, ow: g.ow, padTop: g.padTop, padLeft: g.padLeft,
});

/** Records im2col(x) into a scratch buffer (or returns x's own buffer for pointwise convs). */
function columns(ctx: GpuContext, x: GPUBuffer, g: WindowGeometry, op: string): { col: GPUBuffer; scratch: boolean } {
  if (isPointwise(g)) return { col: x, scratch: false };
  const total = g.n * g.oh * g.ow * g.kh * g.kw * g.c;
  const col = ctx.scratch(total, `${op} im2col of ${4 * total} bytes`);
  recordIm2col(ctx, x, col, g);
  return { col, scratch: true };
}

function recordIm2col(ctx: GpuContext, x: GPUBuffer, col: GPUBuffer, g: WindowGeometry): void {
  const total = g.n * g.oh * g.ow * g.kh * g.kw * g.c;
  if (total === 0) return;
  // One invocation per (output pixel, kernel row), each writing kw * cin values.
  ctx.run1d(im2colSpec(g.c % 4 === 0), { ...windowFields(g), total }, [x, col, x], total / (g.kw * g.c));
}

/** The column matrix as a tensor [n*oh*ow, kh*kw*cin] (always a copy, pointwise convs included). */
export function conv2dColumns(ctx: GpuContext, x: Tensor, kernelSize: readonly [number, number], p: Conv2dParams): Tensor {
  const g = windowGeometry('conv2dColumns', x.shape, kernelSize, p.strides, p.dilations, p.padding);
  const cols = ctx.output([g.n * g.oh * g.ow, g.kh * g.kw * g.c], 'conv2dColumns');
  recordIm2col(ctx, buf(x), buf(cols), g);
  return cols;
}

function recordConv2d(
  ctx: GpuContext, variant: GemmVariant, algo: ConvAlgorithm, g: WindowGeometry, cout: number,
  x: GPUBuffer, w: GPUBuffer, bias: GPUBuffer | null, y: GPUBuffer, relu = 0,
): void {
  if (algo === 'winograd' || algo === 'winograd4') {
    recordWinograd(ctx, forwardConv(g, cout, algo === 'winograd4' ? 4 : 2), x, w, bias, y, relu);
    return;
  }
  if (algo === 'tiled') {
    recordConvTiled(ctx, 'forward', g, cout, x, w, bias, y, relu);
    return;
  }
  if (algo === 'direct' && sweepsOneChannel(g)) {
    const params = { ...sweepFields(g, cout), relu };
    const items = g.n * Math.ceil(g.oh / 2) * Math.ceil(cout / 8);
    ctx.run(sweepSpec(bias !== null), params, [x, w, bias ?? ctx.scheduler.empty, y], ctx.scheduler.grid(Math.ceil(items / DIRECT_WG)));
    return;
  }
  if (algo === 'direct') {
    const pixels = g.n * g.oh * g.ow;
    const taps = g.kh * g.kw * g.c;
    const params = { ...windowFields(g), cout, pixels, relu, taps };
    const vecX = g.c % 4 === 0;
    // Work items: 8 pixels by 4 channels (VEC_X) or by 8 channels (the tap table).
    const items = Math.ceil(pixels / 8) * (vecX ? cout / 4 : Math.ceil(cout / 8));
    const flags: DirectFlags = { bias: bias !== null, vecX, padded: !vecX && reachesPadding(g), shared: !vecX && sharesGathers(ctx, cout) };
    const table = vecX ? ctx.scheduler.empty : tapTableBuffer(ctx, g);
    ctx.run(directSpec(flags), params, [x, w, bias ?? ctx.scheduler.empty, y, x, table], ctx.scheduler.grid(Math.ceil(items / DIRECT_WG)));
    return;
  }
  const { col, scratch } = columns(ctx, x, g, 'conv2d');
  recordGemm(ctx, variant, col, w, bias, y, g.n * g.oh * g.ow, cout, g.kh * g.kw * g.c, false, false, relu);
  if (scratch) ctx.release(col);
}

export function conv2d(
  ctx: GpuContext, x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation: FusedActivation = 'linear',
): Tensor {
  const g = geometry('conv2d', x.shape, w.shape, p);
  const cout = w.shape[3];
  const y = ctx.output([g.n, g.oh, g.ow, cout], 'conv2d');
  recordConv2d(ctx, ctx.gemmVariant, forwardAlgorithm(ctx, g, cout), g, cout, buf(x), buf(w), bias ? buf(bias) : null, buf(y), activationCode(activation));
  return y;
}

/** Milliseconds for one forward conv, dx or dW of this shape with the named algorithm (the tuner's timing). */
export async function timeConv2d(ctx: GpuContext, g: WindowGeometry, cout: number, algo: string, pass: ConvPass): Promise<number> {
  const [x, w, y] = zeroedScratch(ctx, [g.n * g.h * g.w * g.c, g.kh * g.kw * g.c * cout, g.n * g.oh * g.ow * cout], 'autotune conv2d');
  try {
    // dx reads dy (y's size) and writes dx (x's); dW reads x and dy and writes w's size.
    const record = pass === 'forward'
      ? () => recordConv2d(ctx, 'blocked', algo as ConvAlgorithm, g, cout, x, w, null, y)
      : pass === 'backwardInput'
        ? () => recordBackwardInput(ctx, algo as BackwardInputAlgorithm, g, cout, y, w, x)
        : () => recordBackwardFilter(ctx, algo as BackwardFilterAlgorithm, g, cout, x, y, w);
    return await timeRecorded(ctx, record);
  } finally {
    for (const b of [x, w, y]) ctx.release(b);
  }
}

/**
 * conv2dBackwardInputDirect.wgsl (an invocation per pair of input rows, channel and octet): a slice of dx
 * per octet of output channels (per 4 octets where a subgroup's 4 lanes add theirs) that splitKSum adds.
 */
function recordInputDirect(ctx: GpuContext, g: WindowGeometry, cout: number, dy: GPUBuffer, w: GPUBuffer, dx: GPUBuffer): void {
  const octets = Math.ceil(cout / 8);
  const total = g.n * g.h * g.w * g.c;
  // Where a subgroup's 4 lanes add their octets, a slice holds 4 octets' sum.
  const shared = sharesGathers(ctx, cout);
  const slices = shared ? octets / 4 : octets;
  const part = slices === 1 ? dx : ctx.scratch(slices * total, `conv2dBackwardInput slices of ${4 * slices * total} bytes`);
  const params = { ...sweepFields(g, cout), c: g.c };
  ctx.run(inputDirectSpec(shared), params, [dy, w, part], ctx.scheduler.grid(Math.ceil(g.n * Math.ceil(g.h / 2) * g.c * octets / DIRECT_WG)));
  if (part === dx) return;
  sumSlices(ctx, part, dx, total, slices);
  ctx.release(part);
}

/** dx = col2im(dy . W^T), the row sweep for 3x3 windows over few channels, or Winograd. */
export function conv2dBackwardInput(ctx: GpuContext, dy: Tensor, w: Tensor, xShape: Shape, p: Conv2dParams): Tensor {
  const g = geometry('conv2dBackwardInput', xShape, w.shape, p);
  const cout = w.shape[3];
  const dx = ctx.output(xShape, 'conv2dBackwardInput');
  recordBackwardInput(ctx, backwardInputAlgorithm(ctx, g, cout), g, cout, buf(dy), buf(w), buf(dx));
  return dx;
}

function recordBackwardInput(
  ctx: GpuContext, algo: BackwardInputAlgorithm, g: WindowGeometry, cout: number, dy: GPUBuffer, w: GPUBuffer, dx: GPUBuffer,
): void {
  if (algo === 'sweep') return recordInputDirect(ctx, g, cout, dy, w, dx);
  if (algo === 'winograd' || algo === 'winograd4') return recordWinograd(ctx, backwardInputConv(g, cout, algo === 'winograd4' ? 4 : 2), dy, w, null, dx);
  if (algo === 'tiled') return recordConvTiled(ctx, 'backwardInput', g, cout, dy, w, null, dx);
  const variant = ctx.gemmVariant;
  const [M, K] = [g.n * g.oh * g.ow, g.kh * g.kw * g.c];
  if (isPointwise(g)) {
    // The column matrix is x itself, so dCol is dx.
    recordGemm(ctx, variant, dy, w, null, dx, M, K, cout, false, true);
    return;
  }
  const dcol = ctx.scratch(M * K, `conv2dBackwardInput columns of ${4 * M * K} bytes`);
  recordGemm(ctx, variant, dy, w, null, dcol, M, K, cout, false, true);
  // One invocation per input pixel, each gathering its cin channels (or per pixel and 4 channels).
  const vec4 = g.c % 4 === 0;
  const invocations = vec4 ? (g.n * g.h * g.w * g.c) / 4 : g.n * g.h * g.w;
  ctx.run1d(col2imSpec(vec4), { ...windowFields(g), total: invocations }, [dcol, dx, dcol], invocations);
  ctx.release(dcol);
}

/** dW = im2col(x)^T . dy, shape [kh, kw, cin, cout]; over the tap table where cin % 4 != 0, Winograd, or the tiled implicit GEMM. */
export function conv2dBackwardFilter(ctx: GpuContext, x: Tensor, dy: Tensor, wShape: Shape, p: Conv2dParams): Tensor {
  const g = geometry('conv2dBackwardFilter', x.shape, wShape, p);
  const cout = wShape[3];
  const dw = ctx.output(wShape, 'conv2dBackwardFilter');
  recordBackwardFilter(ctx, backwardFilterAlgorithm(ctx, g, cout), g, cout, buf(x), buf(dy), buf(dw));
  return dw;
}

function recordBackwardFilter(
  ctx: GpuContext, algo: BackwardFilterAlgorithm, g: WindowGeometry, cout: number, x: GPUBuffer, dy: GPUBuffer, dw: GPUBuffer,
): void {
  if (algo === 'taps') return recordFilterDirect(ctx, g, cout, x, dy, dw);
  if (algo === 'tiled') return recordConvTiled(ctx, 'backwardFilter', g, cout, x, dy, null, dw);
  if (algo === 'winograd4') return recordWinogradFilterGrad(ctx, forwardConv(g, cout, 4), x, dy, dw);
  const [M, K] = [g.n * g.oh * g.ow, g.kh * g.kw * g.c];
  const { col, scratch } = columns(ctx, x, g, 'conv2dBackwardFilter');
  recordGemm(ctx, ctx.gemmVariant, col, dy, null, dw, K, cout, M, true, false);
  if (scratch) ctx.release(col);
}

/**
 * conv2dBackwardFilterDirect.wgsl, or conv2dBackwardFilterSweep.wgsl for 3x3 at stride 1 on one
 * channel: slices of whole output rows, then splitKSum adds them.
 */
function recordFilterDirect(ctx: GpuContext, g: WindowGeometry, cout: number, x: GPUBuffer, dy: GPUBuffer, dw: GPUBuffer): void {
  const K = g.kh * g.kw * g.c;
  const sweep = sweepsOneChannel(g);
  const qpl = quadsPerLane(Math.ceil(K / 4));
  const lanesPerSplit = (sweep ? 1 : Math.ceil(Math.ceil(K / 4) / qpl)) * Math.ceil(cout / 8);
  const rows = g.n * g.oh;
  const rowsPerSplit = Math.ceil(rows / Math.max(1, Math.min(rows, Math.ceil(FILTER_LANES / lanesPerSplit))));
  const splits = Math.ceil(rows / rowsPerSplit);
  const part = splits === 1 ? dw : ctx.scratch(splits * K * cout, `conv2dBackwardFilter slices of ${4 * splits * K * cout} bytes`);
  const grid = ctx.scheduler.grid(Math.ceil(splits * lanesPerSplit / DIRECT_WG));
  if (sweep) {
    const params = { ...sweepFields(g, cout), rowsPerSplit, splits };
    ctx.run(filterSweepSpec, params, [x, dy, part], grid);
  } else {
    const params = { ...windowFields(g), cout, taps: K, rowsPerSplit, splits };
    ctx.run(filterDirectSpec(reachesPadding(g), sharesGathers(ctx, cout), qpl), params, [x, dy, tapTableBuffer(ctx, g), part], grid);
  }
  if (part === dw) return;
  sumSlices(ctx, part, dw, K * cout, splits);
  ctx.release(part);
}
