// Winograd F(2x2, 3x3) and F(4x4, 3x3) for 3x3, stride-1, undilated convolutions
// on WebGPU: each 2x2 block of outputs costs 16 multiplies per channel pair
// instead of 36, each 4x4 block 36 instead of 144. Three transforms
// (shaders/winogradInput.wgsl, winogradFilter.wgsl, winogradOutput.wgsl; the
// winograd4*.wgsl for 4x4) around 16 (36) GEMMs [tiles, cin] x [cin, cout] run as
// one batched dispatch of gemm.wgsl. dx is the same convolution of dy with the
// kernel rotated by 180 degrees and its channels swapped (the filter transform's flip).
// dW by F(4x4, 3x3) reuses the forward's input transform over the same tiles: a dy
// transform (winograd4Dy.wgsl) and 36 batched GEMMs v[e]^T . d[e] summed over every
// tile, then one output transform per channel pair (winograd4Dw.wgsl). choose.ts
// decides where each runs; winogradModel.ts is the same arithmetic on the CPU.

import type { GpuContext } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { WindowGeometry } from '../geometry.js';
import { batchedGemmSpec, recordBatchedGemm } from '../matmul/webgpu.js';
import inputCode from '../../../shaders/winogradInput.wgsl?raw';
import filterCode from '../../../shaders/winogradFilter.wgsl?raw';
import outputCode from '../../../shaders/winogradOutput.wgsl?raw';
import input4Code from '../../../shaders/winograd4Input.wgsl?raw';
import filter4Code from '../../../shaders/winograd4Filter.wgsl?raw';
import output4Code from '../../../shaders/winograd4Output.wgsl?raw';
import dy4Code from '../../../shaders/winograd4Dy.wgsl?raw';
import dw4Code from '../../../shaders/winograd4Dw.wgsl?raw';

/** The output tile's side: F(2x2, 3x3) or F(4x4, 3x3). */
export type WinogradTile = 2 | 4;

/** Elements of a transformed tile ((tile + 2)^2): the GEMMs per convolution. */
const elements = (tile: WinogradTile): number => (tile + 2) * (tile + 2);

/**
 * Input transform: x [n, h, w, c] read through tiles of 2x2 outputs, tilesH x tilesW per image,
 * the window's origin shifted by padTop/padLeft (signed: dx's may be negative); tiles: n * tilesH * tilesW;
 * groups: ceil(c / 4).
 */
const inputUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', tilesH: 'u32', tilesW: 'u32', tiles: 'u32', groups: 'u32', padTop: 'i32', padLeft: 'i32',
} as const;
/**
 * Filter transform: u [16, rows4, 4 * groups] from the conv's cin and cout channels (dx's: the forward's
 * cout and cin), padded with zeros to rows4 = 4 * ceil(cin / 4) and 4 * groups = 4 * ceil(cout / 4).
 */
const filterUniforms = { cin: 'u32', cout: 'u32', rows4: 'u32', groups: 'u32', flip: 'u32' } as const;
/** Output transform: y [n, oh, ow, cout]; tiles and groups as the input's (groups of cout); relu: the fused activation's code; hasBias 0 or 1. */
const outputUniforms = {
  n: 'u32', oh: 'u32', ow: 'u32', cout: 'u32', tilesH: 'u32', tilesW: 'u32', tiles: 'u32', groups: 'u32', relu: 'u32', hasBias: 'u32',
} as const;

/** dW's dy transform: dy [n, oh, ow, cout] read in tile x tile blocks; tiles and groups (of cout) as the input transform's. */
const dyUniforms = { n: 'u32', oh: 'u32', ow: 'u32', cout: 'u32', tilesH: 'u32', tilesW: 'u32', tiles: 'u32', groups: 'u32' } as const;
/** dW's output transform: m [E, rows4, 4 * groups] to dw [3, 3, cin, cout]; rows4 = 4 * ceil(cin / 4). */
const dwUniforms = { cin: 'u32', cout: 'u32', rows4: 'u32', groups: 'u32' } as const;

const inputSpec = (tile: WinogradTile, vec4: boolean): PipelineSpec<typeof inputUniforms> => tile === 2
  ? { name: 'winogradInput', code: inputCode, uniforms: inputUniforms, constants: { VEC4: +vec4 } }
  : { name: 'winograd4Input', code: input4Code, uniforms: inputUniforms, constants: { VEC4: +vec4 } };
// The flip and the bias are uniforms: each would double the pipelines a model compiles before its first step.
const filterSpec = (tile: WinogradTile): PipelineSpec<typeof filterUniforms> => tile === 2
  ? { name: 'winogradFilter', code: filterCode, uniforms: filterUniforms }
  : { name: 'winograd4Filter', code: filter4Code, uniforms: filterUniforms };
const outputSpec = (tile: WinogradTile): PipelineSpec<typeof outputUniforms> => tile === 2
  ? { name: 'winogradOutput', code: outputCode, uniforms: outputUniforms }
  : { name: 'winograd4Output', code: output4Code, uniforms: outputUniforms };

const dySpec: PipelineSpec<typeof dyUniforms> = { name: 'winograd4Dy', code: dy4Code, uniforms: dyUniforms };
const dwSpec: PipelineSpec<typeof dwUniforms> = { name: 'winograd4Dw', code: dw4Code, uniforms: dwUniforms };

/** The transforms' pipelines (the batched GEMM's depend on the device and the shape: see winogradPipelines). */
export const transformPipelines: readonly PipelineSpec[] = [
  ...([2, 4] as const).flatMap((t): PipelineSpec[] => [inputSpec(t, false), inputSpec(t, true), filterSpec(t), outputSpec(t)]),
  dySpec, dwSpec,
];

/** One Winograd convolution: a 3x3 window at stride 1 over `input` [n, inH, inW, cin] giving [n, outH, outW, cout]. */
export interface WinogradConv {
  n: number; inH: number; inW: number; cin: number;
  outH: number; outW: number; cout: number;
  /** The window's offset above and left of each output pixel (the forward's padding; 2 - padding for dx). */
  padTop: number; padLeft: number;
  /** Whether w is the forward's kernel read for dx: rotated, its channels swapped. */
  flip: boolean;
  /** The output tile's side. */
  tile: WinogradTile;
}

const tileCount = (c: WinogradConv): number => c.n * Math.ceil(c.outH / c.tile) * Math.ceil(c.outW / c.tile);
/** Channels padded with zeros to whole vec4s: the transforms and the GEMM then move only vec4s. */
const padded = (channels: number): number => 4 * Math.ceil(channels / 4);

/** The forward conv of this window geometry (3x3, stride 1, undilated). */
export const forwardConv = (g: WindowGeometry, cout: number, tile: WinogradTile = 2): WinogradConv => ({
  n: g.n, inH: g.h, inW: g.w, cin: g.c, outH: g.oh, outW: g.ow, cout, padTop: g.padTop, padLeft: g.padLeft, flip: false, tile,
});

/**
 * dx of the forward conv `g` as a convolution of dy [n, oh, ow, cout]: dx[i] = sum over ky of
 * dy[i + padTop - ky] w[ky], that is dy read from i - (2 - padTop) with the kernel rotated.
 */
export const backwardInputConv = (g: WindowGeometry, cout: number, tile: WinogradTile = 2): WinogradConv => ({
  n: g.n, inH: g.oh, inW: g.ow, cin: cout, outH: g.h, outW: g.w, cout: g.c, padTop: 2 - g.padTop, padLeft: 2 - g.padLeft, flip: true, tile,
});

/** Bytes of the largest scratch buffer (the transformed input or the products). */
export const largestScratchBytes = (c: WinogradConv): number => 4 * elements(c.tile) * tileCount(c) * padded(Math.max(c.cin, c.cout));

/** Every pipeline a Winograd conv of this shape runs, for prepareAll and the tuner. */
export function winogradPipelines(ctx: GpuContext, c: WinogradConv): PipelineSpec[] {
  return [...transformPipelines, batchedGemmSpec(ctx, tileCount(c), padded(c.cout), padded(c.cin))];
}

/** The pipelines one Winograd conv runs: its input, filter and output transforms and its batched GEMM. */
export function convPipelines(ctx: GpuContext, c: WinogradConv): PipelineSpec[] {
  return [inputSpec(c.tile, c.cin % 4 === 0), filterSpec(c.tile), outputSpec(c.tile), batchedGemmSpec(ctx, tileCount(c), padded(c.cout), padded(c.cin))];
}

/** The pipelines dW of the forward conv `c` by F(4x4, 3x3) runs: the input and dy transforms, its batched GEMM, the output transform. */
export function filterGradPipelines(ctx: GpuContext, c: WinogradConv): PipelineSpec[] {
  return [inputSpec(4, c.cin % 4 === 0), dySpec, batchedGemmSpec(ctx, padded(c.cin), padded(c.cout), tileCount(c), true), dwSpec];
}

/** Records y = conv(input, w) (+ bias, then the fused activation) by Winograd F(tile x tile, 3x3). */
export function recordWinograd(
  ctx: GpuContext, c: WinogradConv, input: GPUBuffer, w: GPUBuffer, bias: GPUBuffer | null, y: GPUBuffer, relu = 0,
): void {
  const count = elements(c.tile);
  const tilesH = Math.ceil(c.outH / c.tile), tilesW = Math.ceil(c.outW / c.tile);
  const tiles = c.n * tilesH * tilesW;
  if (tiles === 0 || c.cout === 0) return;
  const cin4 = padded(c.cin), cout4 = padded(c.cout);
  const v = ctx.scratch(count * tiles * cin4, `winograd transformed input of ${4 * count * tiles * cin4} bytes`);
  const u = ctx.scratch(count * cin4 * cout4, `winograd transformed filter of ${4 * count * cin4 * cout4} bytes`);
  const m = ctx.scratch(count * tiles * cout4, `winograd products of ${4 * count * tiles * cout4} bytes`);
  const inGroups = cin4 / 4, outGroups = cout4 / 4;
  ctx.run1d(inputSpec(c.tile, c.cin % 4 === 0), {
    n: c.n, h: c.inH, w: c.inW, c: c.cin, tilesH, tilesW, tiles, groups: inGroups, padTop: c.padTop, padLeft: c.padLeft,
  }, [input, input, v], tiles * inGroups);
  ctx.run1d(filterSpec(c.tile), { cin: c.cin, cout: c.cout, rows4: cin4, groups: outGroups, flip: +c.flip }, [w, u], cin4 * outGroups);
  recordBatchedGemm(ctx, v, u, m, count, tiles, cout4, cin4);
  ctx.run1d(outputSpec(c.tile), {
    n: c.n, oh: c.outH, ow: c.outW, cout: c.cout, tilesH, tilesW, tiles, groups: outGroups, relu, hasBias: +(bias !== null),
  }, [m, bias ?? ctx.scheduler.empty, y], tiles * outGroups);
  for (const b of [v, u, m]) ctx.release(b);
}

/**
 * Records dw [3, 3, cin, cout] of the forward conv `c` (F(4x4, 3x3), x its input, dy its output's
 * gradient): m[e] = v[e]^T . d[e] over every tile, then dW = G^T m G per channel pair.
 */
export function recordWinogradFilterGrad(ctx: GpuContext, c: WinogradConv, x: GPUBuffer, dy: GPUBuffer, dw: GPUBuffer): void {
  const count = elements(4);
  const tilesH = Math.ceil(c.outH / 4), tilesW = Math.ceil(c.outW / 4);
  const tiles = c.n * tilesH * tilesW;
  const cin4 = padded(c.cin), cout4 = padded(c.cout);
  if (c.cin === 0 || c.cout === 0) return;
  const inGroups = cin4 / 4, outGroups = cout4 / 4;
  const v = ctx.scratch(count * tiles * cin4, `winograd dW transformed input of ${4 * count * tiles * cin4} bytes`);
  const d = ctx.scratch(count * tiles * cout4, `winograd dW transformed dy of ${4 * count * tiles * cout4} bytes`);
  const m = ctx.scratch(count * cin4 * cout4, `winograd dW sums of ${4 * count * cin4 * cout4} bytes`);
  ctx.run1d(inputSpec(4, c.cin % 4 === 0), {
    n: c.n, h: c.inH, w: c.inW, c: c.cin, tilesH, tilesW, tiles, groups: inGroups, padTop: c.padTop, padLeft: c.padLeft,
  }, [x, x, v], tiles * inGroups);
  ctx.run1d(dySpec, { n: c.n, oh: c.outH, ow: c.outW, cout: c.cout, tilesH, tilesW, tiles, groups: outGroups }, [dy, d], tiles * outGroups);
  recordBatchedGemm(ctx, v, d, m, count, cin4, cout4, tiles, true);
  ctx.run1d(dwSpec, { cin: c.cin, cout: c.cout, rows4: cin4, groups: outGroups }, [m, dw], c.cin * outGroups);
  for (const b of [v, d, m]) ctx.release(b);
}
