// The batched matrix product on WebGPU: batchMatMul.wgsl (16 x 16 tiles), the
// transposes as overrides, the batch pairing a constant table per pair of shapes.

import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import batchMatMulCode from '../../../shaders/batchMatMul.wgsl?raw';
import { batchPlan } from './batch.js';

/** batches: output batches; m, n: each output matrix's rows and columns; k: the inner size. */
const batchMatMulUniforms = { batches: 'u32', m: 'u32', n: 'u32', k: 'u32' } as const;

/** The output tile a workgroup computes is TILE x TILE (batchMatMul.wgsl's TILE). */
const TILE = 16;
/** Workgroups per grid dimension; the shader loops over batches past it. */
const MAX_GRID = 65535;

const batchMatMulSpec = (transposeA: boolean, transposeB: boolean): PipelineSpec<typeof batchMatMulUniforms> => ({
  name: 'batchMatMul', code: batchMatMulCode, uniforms: batchMatMulUniforms,
  constants: { TA: Number(transposeA), TB: Number(transposeB) },
});

export const pipelines: readonly PipelineSpec[] = [false, true].flatMap((ta) => [false, true].map((tb) => batchMatMulSpec(ta, tb)));

export function batchMatMul(ctx: GpuContext, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  const plan = batchPlan('batchMatMul', a.shape, b.shape, transposeA, transposeB);
  const { m, n, k } = plan;
  const batches = plan.table.length / 2;
  const c = ctx.output([...plan.outBatch, m, n], 'batchMatMul');
  if (c.size === 0) return c;
  const table = ctx.constant(`batchMatMul[${a.shape.join(',')}|${b.shape.join(',')}|${transposeA}|${transposeB}]`, () => plan.table);
  const grid = [Math.ceil(n / TILE), Math.ceil(m / TILE), Math.min(batches, MAX_GRID)];
  ctx.run(batchMatMulSpec(transposeA, transposeB), { batches, m, n, k }, [table, buf(a), buf(b), buf(c)], grid);
  return c;
}
