// GEMM (matmul with transposed operands), biasAdd and biasAddBackward.
// Shaders: shaders/gemm.wgsl (register-blocked, the default) behind one of its
// entry files (gemmEntry.wgsl; gemmEntrySubgroup.wgsl where lanes share loads),
// gemmTiled.wgsl (workgroup-memory tiles, a tuner candidate on hardware: tiled.ts),
// gemmNaive.wgsl (the oracle and fallback), biasAdd.wgsl, biasAddBackward.wgsl.
// conv2d.ts records its GEMMs through recordGemm on raw buffers.

import type { Tensor } from '../../tensor.js';
import type { FusedActivation } from '../../backend/types.js';
import { activationCode } from '../fusedActivation.js';
import { GpuContext, REDUCTION_CHUNK, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { GemmVariant } from '../../backend/webgpu/context.js';
import { DEFAULT_GEMM, TILED_GEMM, candidates, configNamed, heuristicConfig, type GemmConfig, type GemmShape } from '../../backend/webgpu/kernelTuner.js';
import { splitKSumSpec, splitsFor, sumSlices } from './splitK.js';
import { recordTiledGemm, tiledGemmPipelines, tiledGemmSpec } from './tiled.js';
import gemmCode from '../../../shaders/gemm.wgsl?raw';
import gemmEntryCode from '../../../shaders/gemmEntry.wgsl?raw';
import gemmEntrySubgroupCode from '../../../shaders/gemmEntrySubgroup.wgsl?raw';
import gemmNaiveCode from '../../../shaders/gemmNaive.wgsl?raw';
import biasAddCode from '../../../shaders/biasAdd.wgsl?raw';
import biasAddBackwardCode from '../../../shaders/biasAddBackward.wgsl?raw';

export type { GemmVariant } from '../../backend/webgpu/context.js';
export { sumSlices } from './splitK.js';

/** Block of C per invocation of gemm.wgsl (its TM, TN); the workgroup's shape comes from the tuner. */
const TM = 8, TN = 4;

/**
 * aligned: m % 8 == 0 and n % 4 == 0, so every row an invocation stores is inside C and starts a
 * whole vec4: its stores need no test (a per-lane test makes SwiftShader store lane by lane).
 */
interface GemmFlags { transA: boolean; transB: boolean; bias: boolean; vecA: boolean; vecB: boolean; aligned: boolean }

// The two entry files in front of the one kernel body.
const gemmOwnLoadsCode = `${gemmEntryCode}\n${gemmCode}`;
const gemmSharedLoadsCode = `${gemmEntrySubgroupCode}\n${gemmCode}`;

/**
 * Whether the blocked GEMM with this workgroup shape shares loads of A across
 * a subgroup: the device's subgroups are 4 lanes, the options allow it, and
 * the workgroup is a multiple of 4 blocks wide (so a subgroup is 4 blocks of one row).
 */
export const sharesLoads = (ctx: GpuContext, cfg: GemmConfig): boolean => ctx.sharedLoads && cfg.wgX % 4 === 0;

/**
 * m, n: rows and columns of C; k: the summed dimension; kChunk: k per split (a multiple of 4, = k
 * without split-K); relu: the fused activation's code after the bias (src/kernels/fusedActivation.ts; never set under split-K).
 */
const gemmUniforms = { m: 'u32', n: 'u32', k: 'u32', kChunk: 'u32', relu: 'u32' } as const;
/** gemmUniforms without kChunk: relu the fused activation's code. */
const gemmNaiveUniforms = { m: 'u32', n: 'u32', k: 'u32', relu: 'u32' } as const;
/** n: x's element count; c: the last axis's length (b's). */
const biasAddUniforms = { n: 'u32', c: 'u32' } as const;
/** rows: the product of all axes but the last; c: the last axis's length; chunks: ceil(rows / CHUNK). */
const biasAddBackwardUniforms = { rows: 'u32', c: 'u32', chunks: 'u32' } as const;

const gemmNaiveSpec = (f: GemmFlags): PipelineSpec<typeof gemmNaiveUniforms> => ({
  name: 'gemmNaive', code: gemmNaiveCode, uniforms: gemmNaiveUniforms, constants: { TRANS_A: +f.transA, TRANS_B: +f.transB, HAS_BIAS: +f.bias },
});
const gemmSpec = (f: GemmFlags, cfg: GemmConfig = DEFAULT_GEMM, shared = false, batched = false): PipelineSpec<typeof gemmUniforms> => ({
  name: shared ? 'gemmSubgroup' : 'gemm', code: shared ? gemmSharedLoadsCode : gemmOwnLoadsCode, uniforms: gemmUniforms,
  constants: {
    TRANS_A: +f.transA, TRANS_B: +f.transB, HAS_BIAS: +f.bias, VEC_A: +f.vecA, VEC_B: +f.vecB, ALIGNED: +f.aligned, WG_X: cfg.wgX, WG_Y: cfg.wgY,
    ...(batched ? { BATCHED: 1 } : {}),
  },
});
const biasAddSpec: PipelineSpec<typeof biasAddUniforms> = { name: 'biasAdd', code: biasAddCode, uniforms: biasAddUniforms };
// Two stages of one kernel: per (chunk of rows, column), then per column.
const biasAddBackwardSpec = (stage: 0 | 1): PipelineSpec<typeof biasAddBackwardUniforms> =>
  ({ name: 'biasAddBackward', code: biasAddBackwardCode, uniforms: biasAddBackwardUniforms, constants: { STAGE: stage } });

function allFlags(): GemmFlags[] {
  const out: GemmFlags[] = [];
  for (const transA of [false, true]) for (const transB of [false, true]) for (const bias of [false, true]) {
    // vec4 loads of B^T run only in the vec4-over-k loop (A not transposed).
    for (const vecA of [false, true]) {
      for (const vecB of transB && (transA || !vecA) ? [false] : [false, true]) {
        // aligned (m % 8 == 0, n % 4 == 0) implies vec4 rows of B (or stays with B^T) and, for A^T, of A.
        const canAlign = (transB || vecB) && (!transA || vecA);
        for (const aligned of canAlign ? [false, true] : [false]) out.push({ transA, transB, bias, vecA, vecB, aligned });
      }
    }
  }
  return out;
}

/** The naive oracle's pipelines (only tests switch to it): useGemmVariant('naive') builds them before the switch. */
export const naivePipelines: readonly PipelineSpec[] = allFlags().filter((f) => !f.vecA && !f.vecB && !f.aligned).map(gemmNaiveSpec);

/** The register-blocked GEMM's pipelines for one workgroup shape (every flag combination), as this device runs them. */
export const gemmPipelines = (ctx: GpuContext, cfg: GemmConfig): PipelineSpec[] =>
  allFlags().map((f) => gemmSpec(f, cfg, sharesLoads(ctx, cfg)));

/** The family's pipelines that do not depend on the device (gemmPipelines does). */
export const pipelines: readonly PipelineSpec[] = [
  ...allFlags().map((f) => gemmSpec(f, DEFAULT_GEMM)),
  // The batched products (Winograd's, whose k and n are padded to whole vec4s) with the default workgroup.
  ...[false, true].map((aligned) => gemmSpec({ transA: false, transB: false, bias: false, vecA: true, vecB: true, aligned }, DEFAULT_GEMM, false, true)),
  // And Winograd dW's: transformed x transposed times transformed dy.
  ...[false, true].map((aligned) => gemmSpec({ transA: true, transB: false, bias: false, vecA: true, vecB: true, aligned }, DEFAULT_GEMM, false, true)),
  biasAddSpec, biasAddBackwardSpec(0), biasAddBackwardSpec(1), splitKSumSpec,
  ...tiledGemmPipelines,
];

function flagsOf(s: GemmShape, bias: boolean): GemmFlags {
  // vec4 views need contiguous, 16-byte aligned runs: rows of B along n (of B^T along k), rows of A along k (or m for A^T).
  const vecA = s.transA ? s.m % 4 === 0 : s.k % 4 === 0;
  return { transA: s.transA, transB: s.transB, bias, vecA, vecB: s.transB ? !s.transA && vecA : s.n % 4 === 0, aligned: s.m % 8 === 0 && s.n % 4 === 0 };
}

/**
 * Records C[m,n] = op(A) . op(B) (+ bias) (then relu, when asked) on buffers:
 * A holds [m,k] ([k,m] if transA), B holds [k,n] ([n,k] if transB). The
 * workgroup shape is the tuner's choice for this shape, or the default while
 * the choice compiles and the default is built.
 */
export function recordGemm(
  ctx: GpuContext, variant: GemmVariant, a: GPUBuffer, b: GPUBuffer, bias: GPUBuffer | null, c: GPUBuffer,
  m: number, n: number, k: number, transA: boolean, transB: boolean, relu = 0,
): void {
  const shape: GemmShape = { m, n, k, transA, transB };
  if (variant === 'naive') return recordGemmWith(ctx, variant, DEFAULT_GEMM, a, b, bias, c, shape, relu);
  const choice = ctx.tuner.gemmConfig(shape, { kind: 'gemm', shape, bias: bias !== null });
  const flags = flagsOf(shape, bias !== null);
  const spec = choice === 'tiled' ? tiledGemmSpec(shape) : gemmSpec(flags, choice, sharesLoads(ctx, choice));
  if (!ctx.tuner.forced && !ctx.pipelines.has(spec)) {
    // A step never waits for a variant while a built one can run (the unmeasured choice, which
    // ran before the tuner chose, or the default): that now, the choice once it is built.
    const built = [heuristicConfig(n), DEFAULT_GEMM].find((cfg) => ctx.pipelines.has(gemmSpec(flags, cfg, sharesLoads(ctx, cfg))));
    if (built) {
      ctx.pipelines.prepareLater([spec]);
      return recordGemmWith(ctx, variant, built, a, b, bias, c, shape, relu);
    }
  }
  if (choice === 'tiled') return recordTiledGemm(ctx, a, b, bias, c, shape, relu);
  recordGemmWith(ctx, variant, choice, a, b, bias, c, shape, relu);
}

function recordGemmWith(
  ctx: GpuContext, variant: GemmVariant, cfg: GemmConfig, a: GPUBuffer, b: GPUBuffer, bias: GPUBuffer | null, c: GPUBuffer, s: GemmShape,
  relu = 0,
): void {
  const { m, n, k } = s;
  if (m === 0 || n === 0) return;
  // An empty sum (k = 0) is zero, plus the bias; the shaders handle it without a special case.
  const flags = flagsOf(s, bias !== null);
  const biasBuf = bias ?? ctx.scheduler.empty;
  if (variant === 'naive') {
    ctx.run1d(gemmNaiveSpec(flags), { m, n, k, relu }, [a, b, biasBuf, c], m * n);
    return;
  }
  const wx = Math.ceil(n / (TN * cfg.wgX));
  const wy = Math.ceil(m / (TM * cfg.wgY));
  const max = ctx.gpu.limits.maxComputeWorkgroupsPerDimension;
  if (wx > max || wy > max) throw new Error(`webgpu.matmul: [${m}, ${k}] x [${k}, ${n}] needs a ${wx}x${wy} grid, over the ${max} limit`);
  const { splits, kChunk } = splitsFor(wx * wy, k);
  const params = { m, n, k, kChunk, relu: splits === 1 ? relu : 0 };
  const spec = gemmSpec(flags, cfg, sharesLoads(ctx, cfg));
  if (splits === 1) {
    ctx.run(spec, params, [a, a, b, b, biasBuf, storesVec4s(c)], [wx, wy, 1]);
    return;
  }
  // Each split writes its own slice of `part`; splitKSum adds them into c.
  const part = ctx.scratch(splits * m * n, `matmul split-K partials of ${4 * splits * m * n} bytes`);
  ctx.run(spec, params, [a, a, b, b, biasBuf, storesVec4s(part)], [wx, wy, splits]);
  sumSlices(ctx, part, c, m * n, splits, relu);
  ctx.release(part);
}

/**
 * gemm.wgsl binds its output as vec4s, so a buffer must hold whole ones: the pool's always do,
 * but for a tensor within 16 bytes of a device limit that is not a multiple of 16.
 */
function storesVec4s(c: GPUBuffer): GPUBuffer {
  if (c.size % 16 !== 0) throw new Error(`webgpu.matmul: the output buffer of ${c.size} bytes is not a whole number of vec4s, as gemm.wgsl stores them; use a smaller batch or layer`);
  return c;
}

/** The flags of a batched product op(A) . B, op(A) = A [m,k] or A^T stored [k,m] (no bias). */
const batchedFlags = (m: number, n: number, k: number, transA: boolean): GemmFlags => flagsOf({ m, n, k, transA, transB: false }, false);

/**
 * The pipeline of batched GEMMs op(A) [m,k] . B [k,n] over the heuristic workgroup for n:
 * the shape's batch runs as one dispatch, so the tuner's per-shape choice does not apply.
 */
export function batchedGemmSpec(ctx: GpuContext, m: number, n: number, k: number, transA = false): PipelineSpec {
  const cfg = heuristicConfig(n);
  return gemmSpec(batchedFlags(m, n, k, transA), cfg, sharesLoads(ctx, cfg), true);
}

/**
 * Records c[t] = op(a[t]) . b[t] for t < batches, each operand packed back to back
 * (a: [batches, m, k], or [batches, k, m] if transA; b: [batches, k, n]; c: [batches, m, n]) in one dispatch.
 */
export function recordBatchedGemm(
  ctx: GpuContext, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, batches: number, m: number, n: number, k: number, transA = false,
): void {
  if (m === 0 || n === 0 || batches === 0) return;
  const cfg = heuristicConfig(n);
  const wx = Math.ceil(n / (TN * cfg.wgX));
  const wy = Math.ceil(m / (TM * cfg.wgY));
  const max = ctx.gpu.limits.maxComputeWorkgroupsPerDimension;
  if (wx > max || wy > max || batches > max) throw new Error(`webgpu: ${batches} batched GEMMs [${m}, ${k}] x [${k}, ${n}] need a ${wx}x${wy}x${batches} grid, over the ${max} limit`);
  ctx.run(batchedGemmSpec(ctx, m, n, k, transA), { m, n, k, kChunk: k, relu: 0 }, [a, a, b, b, ctx.scheduler.empty, storesVec4s(c)], [wx, wy, batches]);
}

/** Every GEMM pipeline the tuner may time for this shape. */
export function gemmCandidatePipelines(ctx: GpuContext, s: GemmShape, bias = false): PipelineSpec[] {
  const blocked = candidates(s.n).map((cfg) => gemmSpec(flagsOf(s, bias), cfg, sharesLoads(ctx, cfg)));
  return ctx.tuner.tiled ? [...blocked, tiledGemmSpec(s)] : blocked;
}

/** Timed runs: at least MIN_RUNS, more (up to MAX_RUNS) until MIN_TIMED_MS have passed. */
const MIN_RUNS = 2;
const MAX_RUNS = 8;
const MIN_TIMED_MS = 30;

/**
 * Milliseconds of the fastest of several runs of `record` (after one warm-up
 * run), waiting for the queue after each: the minimum, because other work on
 * the machine only ever adds time, and a software adapter shares the CPU.
 */
export async function timeRecorded(ctx: GpuContext, record: () => void): Promise<number> {
  record();
  await ctx.scheduler.sync();
  let best = Infinity;
  const t0 = performance.now();
  for (let runs = 0; runs < MAX_RUNS && (runs < MIN_RUNS || performance.now() - t0 < MIN_TIMED_MS); runs++) {
    const start = performance.now();
    record();
    await ctx.scheduler.sync();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * Zeroed scratch buffers of these element counts for a timing run
 * (uninitialized pool memory could hold denormals, which are slow on CPUs and
 * would bias a software adapter's timing); release them with ctx.release.
 */
export function zeroedScratch(ctx: GpuContext, counts: readonly number[], what: string): GPUBuffer[] {
  return counts.map((n) => {
    const b = ctx.scratch(Math.max(1, n), what);
    ctx.scheduler.clear(b);
    return b;
  });
}

/**
 * Milliseconds for one GEMM of this shape with the named workgroup shape, or the tiled kernel; with a
 * bias where the model adds one, so the pipeline timed is the one the model then runs.
 */
export async function timeGemm(ctx: GpuContext, s: GemmShape, variant: string, bias = false): Promise<number> {
  const cfg = configNamed(variant) ?? DEFAULT_GEMM;
  const bufs = zeroedScratch(ctx, [s.m * s.k, s.k * s.n, s.m * s.n, ...(bias ? [s.n] : [])], 'autotune');
  const [a, b, c] = bufs;
  const biasBuf = bias ? bufs[3] : null;
  try {
    if (variant === TILED_GEMM) return await timeRecorded(ctx, () => recordTiledGemm(ctx, a, b, biasBuf, c, s));
    return await timeRecorded(ctx, () => recordGemmWith(ctx, 'blocked', cfg, a, b, biasBuf, c, s));
  } finally {
    for (const x of bufs) ctx.release(x);
  }
}

export function matmul(
  ctx: GpuContext, a: Tensor, b: Tensor, transA: boolean, transB: boolean, bias: Tensor | null = null, activation: FusedActivation = 'linear',
): Tensor {
  const variant = ctx.gemmVariant;
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const n = transB ? b.shape[0] : b.shape[1];
  const c = ctx.output([m, n], 'matmul');
  recordGemm(ctx, variant, buf(a), buf(b), bias ? buf(bias) : null, buf(c), m, n, k, transA, transB, activationCode(activation));
  return c;
}

export function biasAdd(ctx: GpuContext, x: Tensor, b: Tensor): Tensor {
  const y = ctx.output(x.shape, 'biasAdd');
  ctx.run1d(biasAddSpec, { n: x.size, c: b.size }, [buf(x), buf(b), buf(y)], x.size);
  return y;
}

/** db = sum of dy over every axis but the last: one workgroup per column. */
export function biasAddBackward(ctx: GpuContext, dy: Tensor): Tensor {
  const c = dy.shape[dy.rank - 1] ?? 1;
  const rows = c === 0 ? 0 : dy.size / c;
  const db = ctx.output([c], 'biasAddBackward');
  const chunks = Math.ceil(rows / REDUCTION_CHUNK);
  const part = ctx.scratch(Math.max(1, chunks * c), `biasAddBackward partial sums of ${4 * chunks * c} bytes`);
  const params = { rows, c, chunks };
  ctx.run1d(biasAddBackwardSpec(0), params, [buf(dy), part, buf(db)], chunks * c);
  sumChunks(ctx, dy, part, db, rows, c, chunks);
  ctx.release(part);
  return db;
}

/**
 * db[j] = the sum of part's chunks of column j: the second stage of every bias
 * gradient (this one's and the fused activation's), one pipeline for both.
 * dy is only bound, as the pipeline's layout has it.
 */
export function sumChunks(ctx: GpuContext, dy: Tensor, part: GPUBuffer, db: Tensor, rows: number, c: number, chunks: number): void {
  ctx.run1d(biasAddBackwardSpec(1), { rows, c, chunks }, [buf(dy), part, buf(db)], c);
}
