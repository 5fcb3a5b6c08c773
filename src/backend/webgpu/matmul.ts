// GEMM (matmul with transposed operands), biasAdd and biasAddBackward.
// Shaders: shaders/gemm.wgsl (register-blocked, the default), gemmNaive.wgsl
// (the oracle and fallback), biasAdd.wgsl, biasAddBackward.wgsl.
// conv2d.ts records its GEMMs through recordGemm on raw buffers.

import type { Tensor } from '../../tensor.js';
import { GpuContext, Params, buf } from './context.js';
import type { PipelineSpec } from './pipelines.js';
import gemmCode from '../../../shaders/gemm.wgsl?raw';
import gemmNaiveCode from '../../../shaders/gemmNaive.wgsl?raw';
import biasAddCode from '../../../shaders/biasAdd.wgsl?raw';
import biasAddBackwardCode from '../../../shaders/biasAddBackward.wgsl?raw';
import splitKSumCode from '../../../shaders/splitKSum.wgsl?raw';

export type GemmVariant = 'blocked' | 'naive';

/** Block of C per invocation and workgroup shape of gemm.wgsl (its TM, TN, WG_X, WG_Y). */
const TM = 8, TN = 4, WG_X = 8, WG_Y = 8;

interface GemmFlags { transA: boolean; transB: boolean; bias: boolean; vecA: boolean; vecB: boolean }

const gemmSpec = (variant: GemmVariant, f: GemmFlags): PipelineSpec => variant === 'naive'
  ? { name: 'gemmNaive', code: gemmNaiveCode, constants: { TRANS_A: +f.transA, TRANS_B: +f.transB, HAS_BIAS: +f.bias } }
  : { name: 'gemm', code: gemmCode, constants: { TRANS_A: +f.transA, TRANS_B: +f.transB, HAS_BIAS: +f.bias, VEC_A: +f.vecA, VEC_B: +f.vecB } };
const biasAddSpec: PipelineSpec = { name: 'biasAdd', code: biasAddCode };
const splitKSumSpec: PipelineSpec = { name: 'splitKSum', code: splitKSumCode };
const biasAddBackwardSpec: PipelineSpec = { name: 'biasAddBackward', code: biasAddBackwardCode, constants: { WG: 64 } };

function allFlags(): GemmFlags[] {
  const out: GemmFlags[] = [];
  for (const transA of [false, true]) for (const transB of [false, true]) for (const bias of [false, true]) {
    for (const vecA of [false, true]) for (const vecB of transB ? [false] : [false, true]) out.push({ transA, transB, bias, vecA, vecB });
  }
  return out;
}

export const pipelines: readonly PipelineSpec[] = [
  ...allFlags().map((f) => gemmSpec('blocked', f)),
  ...allFlags().filter((f) => !f.vecA && !f.vecB).map((f) => gemmSpec('naive', f)),
  biasAddSpec, biasAddBackwardSpec, splitKSumSpec,
];

/**
 * Split-K for GEMMs whose C is too small to fill the device but whose k is
 * long (conv's dW: [kh*kw*cin, cout] summed over n*oh*ow). Aim for at least
 * MIN_WORKGROUPS workgroups, with at least MIN_CHUNK values of k per split.
 */
const MIN_WORKGROUPS = 64;
const MIN_CHUNK = 256;
const MAX_SPLITS = 64;

function splitsFor(workgroups: number, k: number): { splits: number; kChunk: number } {
  const wanted = Math.min(Math.ceil(MIN_WORKGROUPS / workgroups), Math.floor(k / MIN_CHUNK), MAX_SPLITS);
  if (wanted <= 1) return { splits: 1, kChunk: k };
  // Chunks are a multiple of 4 so the vec4 path over k (VEC_A) starts each split aligned.
  const kChunk = Math.ceil(k / wanted / 4) * 4;
  return { splits: Math.ceil(k / kChunk), kChunk };
}

/**
 * Records C[m,n] = op(A) . op(B) (+ bias) on buffers: A holds [m,k] ([k,m] if
 * transA), B holds [k,n] ([n,k] if transB).
 */
export function recordGemm(
  ctx: GpuContext, variant: GemmVariant, a: GPUBuffer, b: GPUBuffer, bias: GPUBuffer | null, c: GPUBuffer,
  m: number, n: number, k: number, transA: boolean, transB: boolean,
): void {
  if (m === 0 || n === 0) return;
  // An empty sum (k = 0) is zero, plus the bias; the shaders handle it without a special case.
  // vec4 views need contiguous, 16-byte aligned runs: rows of B along n, rows of A along k (or m for A^T).
  const flags: GemmFlags = { transA, transB, bias: bias !== null, vecA: transA ? m % 4 === 0 : k % 4 === 0, vecB: !transB && n % 4 === 0 };
  const biasBuf = bias ?? ctx.scheduler.empty;
  if (variant === 'naive') {
    ctx.run1d(gemmSpec('naive', { ...flags, vecA: false, vecB: false }), new Params().u32(m).u32(n).u32(k), [a, b, biasBuf, c], m * n);
    return;
  }
  const wx = Math.ceil(n / (TN * WG_X));
  const wy = Math.ceil(m / (TM * WG_Y));
  const max = ctx.gpu.limits.maxComputeWorkgroupsPerDimension;
  if (wx > max || wy > max) throw new Error(`webgpu.matmul: [${m}, ${k}] x [${k}, ${n}] needs a ${wx}x${wy} grid, over the ${max} limit`);
  const { splits, kChunk } = splitsFor(wx * wy, k);
  const params = new Params().u32(m).u32(n).u32(k).u32(kChunk);
  if (splits === 1) {
    ctx.run(gemmSpec('blocked', flags), params, [a, a, b, b, biasBuf, c], [wx, wy, 1]);
    return;
  }
  // Each split writes its own slice of `part`; splitKSum adds them into c.
  const part = ctx.scratch(splits * m * n, `matmul split-K partials of ${4 * splits * m * n} bytes`);
  ctx.run(gemmSpec('blocked', flags), params, [a, a, b, b, biasBuf, part], [wx, wy, splits]);
  ctx.run1d(splitKSumSpec, new Params().u32(m * n).u32(splits), [part, c], m * n);
  ctx.release(part);
}

export function matmul(ctx: GpuContext, variant: GemmVariant, a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const n = transB ? b.shape[0] : b.shape[1];
  const c = ctx.output([m, n], 'matmul');
  recordGemm(ctx, variant, buf(a), buf(b), null, buf(c), m, n, k, transA, transB);
  return c;
}

export function biasAdd(ctx: GpuContext, x: Tensor, b: Tensor): Tensor {
  const y = ctx.output(x.shape, 'biasAdd');
  ctx.run1d(biasAddSpec, new Params().u32(x.size).u32(b.size), [buf(x), buf(b), buf(y)], x.size);
  return y;
}

/** db = sum of dy over every axis but the last: one workgroup per column. */
export function biasAddBackward(ctx: GpuContext, dy: Tensor): Tensor {
  const c = dy.shape[dy.rank - 1] ?? 1;
  const rows = c === 0 ? 0 : dy.size / c;
  const db = ctx.output([c], 'biasAddBackward');
  ctx.run(biasAddBackwardSpec, new Params().u32(rows).u32(c), [buf(dy), buf(db)], ctx.scheduler.grid(c));
  return db;
}
