// The workgroup-memory tiled GEMM (shaders/gemmTiled.wgsl over
// lib/gemmTile.wgsl): 64x64 tiles of C on 16x16 workgroups, double-buffered
// K tiles, vec4 loads where the stored rows are whole vec4s. A tuner candidate
// for hardware adapters, where workgroup memory is fast; SwiftShader keeps the
// register-blocked gemm.wgsl (its workgroup memory is ordinary memory behind
// barriers). Plain matrices only: Winograd's batched products keep gemm.wgsl.

import type { GpuContext } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { GemmShape } from '../../backend/webgpu/kernelTuner.js';
import { splitsFor, sumSlices } from './splitK.js';
import gemmTiledCode from '../../../shaders/gemmTiled.wgsl?raw';

/** Rows and columns of C per workgroup, and steps of k per tile (lib/gemmTile.wgsl's TILE and KT). */
export const TILE = 64;
export const KT = 8;

/**
 * m, n: rows and columns of C; k: the summed dimension; kChunk: k per split (a multiple of KT, = k without split-K);
 * vecA, vecB: 1 where the operand's stored rows are whole vec4s; hasBias: 1 to add the bias; relu: the fused activation's code.
 */
const tiledUniforms = { m: 'u32', n: 'u32', k: 'u32', kChunk: 'u32', vecA: 'u32', vecB: 'u32', hasBias: 'u32', relu: 'u32' } as const;

const tiledSpec = (transA: boolean, transB: boolean): PipelineSpec<typeof tiledUniforms> => ({
  name: 'gemmTiled', code: gemmTiledCode, uniforms: tiledUniforms, constants: { TRANS_A: +transA, TRANS_B: +transB },
});

/** The pipeline of one product of this shape (the tuner compiles only these before timing). */
export const tiledGemmSpec = (s: GemmShape): PipelineSpec => tiledSpec(s.transA, s.transB);

/** Every variant (prepareAll: the tests compile each). */
export const tiledGemmPipelines: readonly PipelineSpec[] = [false, true].flatMap((transA) => [false, true].map((transB) => tiledSpec(transA, transB)));

/** The grid of a tiled product of C [m, n], and its split of k. */
export function tiledGrid(ctx: GpuContext, m: number, n: number, k: number, what: string): { grid: [number, number, number]; kChunk: number } {
  const wx = Math.ceil(n / TILE);
  const wy = Math.ceil(m / TILE);
  const max = ctx.gpu.limits.maxComputeWorkgroupsPerDimension;
  if (wx > max || wy > max) throw new Error(`webgpu: ${what} needs a ${wx}x${wy} grid of tiles, over the ${max} limit`);
  const { splits, kChunk } = splitsFor(wx * wy, k, KT);
  return { grid: [wx, wy, splits], kChunk };
}

/**
 * Records one tiled product into c: `spec` and `params` as the GEMM or the
 * implicit conv (src/kernels/conv2d/tiled.ts) make them, `operands` the
 * bindings 1 to 4 (each operand twice: scalar and vec4 views). Under split-K
 * the slices go to scratch and splitKSum adds them, applying relu to the sum.
 */
export function recordTiled<P extends { m: number; n: number; k: number; vecA: number; vecB: number; relu: number }>(
  ctx: GpuContext, spec: PipelineSpec, params: P, operands: readonly GPUBuffer[], bias: GPUBuffer | null, c: GPUBuffer, what: string,
): void {
  const { m, n, k, relu } = params;
  if (m === 0 || n === 0) return;
  const { grid, kChunk } = tiledGrid(ctx, m, n, k, what);
  const splits = grid[2];
  const biasBuf = bias ?? ctx.scheduler.empty;
  const hasBias = bias ? 1 : 0;
  if (splits === 1) {
    ctx.run(spec, { ...params, kChunk, hasBias }, [...operands, biasBuf, c], grid);
    return;
  }
  const part = ctx.scratch(splits * m * n, `${spec.name} split-K partials of ${4 * splits * m * n} bytes`);
  ctx.run(spec, { ...params, kChunk, hasBias, relu: 0 }, [...operands, biasBuf, part], grid);
  sumSlices(ctx, part, c, m * n, splits, relu);
  ctx.release(part);
}

/** Records C[m,n] = op(A) . op(B) (+ bias) (then the fused activation) with the tiled kernel. */
export function recordTiledGemm(
  ctx: GpuContext, a: GPUBuffer, b: GPUBuffer, bias: GPUBuffer | null, c: GPUBuffer, s: GemmShape, relu = 0,
): void {
  const { m, n, k } = s;
  // vec4 loads run along the stored rows: A's along k (along m for A^T), B's along n (along k for B^T).
  const vecA = +((s.transA ? m : k) % 4 === 0), vecB = +((s.transB ? k : n) % 4 === 0);
  recordTiled(ctx, tiledGemmSpec(s), { m, n, k, vecA, vecB, relu }, [a, a, b, b], bias, c, `matmul [${m}, ${k}] x [${k}, ${n}]`);
}
