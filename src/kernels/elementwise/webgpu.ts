// WebGPU programs of the element-wise kernels. Shaders: unary.wgsl,
// binary.wgsl, where.wgsl, sumToShape.wgsl. Shapes of any rank up to
// MAX_RANK reach the broadcasting shaders as index tables kept per shape
// (ctx.constant), so a training step's repeated shapes upload nothing.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { sizeOf } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import unaryCode from '../../../shaders/unary.wgsl?raw';
import binaryCode from '../../../shaders/binary.wgsl?raw';
import whereCode from '../../../shaders/where.wgsl?raw';
import sumToShapeCode from '../../../shaders/sumToShape.wgsl?raw';
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from './codes.js';
import { MAX_RANK, broadcastShape, broadcastStrides, broadcastTable, reductionAxes, sameShape, tableKey } from './broadcast.js';

/** n: element count; alpha, beta: the op's scalar parameters. */
const unaryUniforms = { n: 'u32', alpha: 'f32', beta: 'f32' } as const;
/** n: output element count; same: 1 when every input has the output's shape (no index table read). */
const broadcastUniforms = { n: 'u32', same: 'u32' } as const;
/** n: output element count; count: the x elements summed into each. */
const sumToShapeUniforms = { n: 'u32', count: 'u32' } as const;

const unarySpec = (op: UnaryOp): PipelineSpec<typeof unaryUniforms> =>
  ({ name: 'unary', code: unaryCode, uniforms: unaryUniforms, constants: { OP: UNARY_OPS.indexOf(op) } });
const binarySpec = (op: BinaryOp): PipelineSpec<typeof broadcastUniforms> =>
  ({ name: 'binary', code: binaryCode, uniforms: broadcastUniforms, constants: { OP: BINARY_OPS.indexOf(op) } });
const whereSpec: PipelineSpec<typeof broadcastUniforms> = { name: 'where', code: whereCode, uniforms: broadcastUniforms };
const sumToShapeSpec: PipelineSpec<typeof sumToShapeUniforms> = { name: 'sumToShape', code: sumToShapeCode, uniforms: sumToShapeUniforms };

/** Every pipeline this family uses, created up front by the backend. */
export const pipelines: readonly PipelineSpec[] = [...UNARY_OPS.map(unarySpec), ...BINARY_OPS.map(binarySpec), whereSpec, sumToShapeSpec];

/** The largest finite float32: clip's infinite bounds as uniforms (which must be finite). */
const F32_MAX = 3.4028234663852886e38;
const finite = (v: number) => Math.max(-F32_MAX, Math.min(F32_MAX, v));

export function unary(ctx: GpuContext, x: Tensor, op: UnaryOp, alpha: number, beta: number): Tensor {
  const y = ctx.output(x.shape, 'unary');
  ctx.run1d(unarySpec(op), { n: x.size, alpha: finite(alpha), beta: finite(beta) }, [buf(x), buf(y)], x.size);
  return y;
}

/** The index table of these shapes, uploaded once per distinct set. */
function table(ctx: GpuContext, kernel: string, out: Shape, inputs: readonly Shape[]): GPUBuffer {
  return ctx.constant(tableKey(kernel, [out, ...inputs]), () => broadcastTable(out, inputs));
}

export function binary(ctx: GpuContext, a: Tensor, b: Tensor, op: BinaryOp): Tensor {
  const out = broadcastShape('binary', a.shape, b.shape);
  const c = ctx.output(out, 'binary');
  const same = sameShape(a.shape, b.shape);
  const n = sizeOf(out);
  ctx.run1d(binarySpec(op), { n, same: same ? 1 : 0 }, [buf(a), buf(b), table(ctx, 'binary', out, [a.shape, b.shape]), buf(c)], n);
  return c;
}

export function where(ctx: GpuContext, condition: Tensor, a: Tensor, b: Tensor): Tensor {
  const out = broadcastShape('where', broadcastShape('where', condition.shape, a.shape), b.shape);
  const y = ctx.output(out, 'where');
  const same = [condition, a, b].every((t) => sameShape(t.shape, out));
  const n = sizeOf(out);
  const shapes = [condition.shape, a.shape, b.shape];
  ctx.run1d(whereSpec, { n, same: same ? 1 : 0 }, [buf(condition), buf(a), buf(b), table(ctx, 'where', out, shapes), buf(y)], n);
  return y;
}

/** sumToShape.wgsl's table: see the shader for its four rows. */
function sumTable(from: Shape, to: Shape): Uint32Array {
  const axes = new Set(reductionAxes(to, from));
  const kept = from.map((d, axis) => (axes.has(axis) ? 1 : d));
  const summed = from.map((d, axis) => (axes.has(axis) ? d : 1));
  const strides = broadcastStrides(from, from);
  const pad = (row: number[], fill: number) => [...new Array<number>(MAX_RANK - row.length).fill(fill), ...row];
  return Uint32Array.from([
    ...pad(kept, 1), ...pad(strides.map((s, axis) => (axes.has(axis) ? 0 : s)), 0),
    ...pad(summed, 1), ...pad(strides.map((s, axis) => (axes.has(axis) ? s : 0)), 0),
  ]);
}

export function sumToShape(ctx: GpuContext, x: Tensor, shape: Shape): Tensor {
  const y = ctx.output(shape, 'sumToShape');
  const n = sizeOf(shape);
  const t = ctx.constant(tableKey('sumToShape', [x.shape, shape]), () => sumTable(x.shape, shape));
  ctx.run1d(sumToShapeSpec, { n, count: n === 0 ? 0 : x.size / n }, [buf(x), t, buf(y)], n);
  return y;
}
