// Split-K for GEMMs whose C is too small to fill the device but whose k is
// long (conv's dW: [kh*kw*cin, cout] summed over n*oh*ow): each split writes
// its own slice of a scratch buffer, then splitKSum.wgsl adds the slices.

import type { GpuContext } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import splitKSumCode from '../../../shaders/splitKSum.wgsl?raw';

/** total: C's element count (m * n); splits: slices in part; relu: the GEMM's fused activation's code, applied to the sum. */
const splitKSumUniforms = { total: 'u32', splits: 'u32', relu: 'u32' } as const;
export const splitKSumSpec: PipelineSpec<typeof splitKSumUniforms> = { name: 'splitKSum', code: splitKSumCode, uniforms: splitKSumUniforms };

/** Aim for at least MIN_WORKGROUPS workgroups, with at least MIN_CHUNK values of k per split. */
const MIN_WORKGROUPS = 64;
const MIN_CHUNK = 256;
const MAX_SPLITS = 64;

/** c = the sum of part's `splits` slices of `total` values each (splitKSum.wgsl), relu applied to the sum. */
export function sumSlices(ctx: GpuContext, part: GPUBuffer, c: GPUBuffer, total: number, splits: number, relu = 0): void {
  ctx.run1d(splitKSumSpec, { total, splits, relu }, [part, c], total);
}

/** The splits of k for a grid of `workgroups`, each chunk a multiple of `align` (the kernel's step of k). */
export function splitsFor(workgroups: number, k: number, align = 4): { splits: number; kChunk: number } {
  const wanted = Math.min(Math.ceil(MIN_WORKGROUPS / workgroups), Math.floor(k / MIN_CHUNK), MAX_SPLITS);
  if (wanted <= 1) return { splits: 1, kChunk: k };
  const kChunk = Math.ceil(k / wanted / align) * align;
  return { splits: Math.ceil(k / kChunk), kChunk };
}
