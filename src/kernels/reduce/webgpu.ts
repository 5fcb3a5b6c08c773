// The reductions on WebGPU: reduce.wgsl (the op and the lanes per output
// element as overrides) and reduceBackward.wgsl, both reading the layout table
// (a constant per shape and axes) through shaders/lib/reduceLayout.wgsl;
// softmax and log-softmax along an axis, softmaxAxis(Backward).wgsl. Where one
// invocation serves an output (short rows, softmax lines), the workgroup is
// SMALL_WG invocations, or WIDE_WG on adapters whose context asks for wide
// workgroups (hardware GPUs: GpuContext.wideWorkgroups).

import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import reduceCode from '../../../shaders/reduce.wgsl?raw';
import reduceBackwardCode from '../../../shaders/reduceBackward.wgsl?raw';
import softmaxAxisCode from '../../../shaders/softmaxAxis.wgsl?raw';
import softmaxAxisBackwardCode from '../../../shaders/softmaxAxisBackward.wgsl?raw';
import { layoutTable, reduceLayout, type ReduceLayout } from './layout.js';
import { REDUCE_BACKWARD_OPS, REDUCE_OPS, aroundAxis, reducedShape, type ReduceBackwardOp, type ReduceOp } from './shape.js';

/** The OP override of reduce.wgsl. */
const OP: Record<ReduceOp, number> = { sum: 0, mean: 1, prod: 2, max: 3, min: 4, argMax: 5, argMin: 6, logSumExp: 7 };
/** The OP override of reduceBackward.wgsl. */
const BACKWARD_OP: Record<ReduceBackwardOp, number> = { sum: 0, mean: 0, max: 1, min: 1, prod: 2, logSumExp: 3 };

/** Invocations per output element: one, or a workgroup for rows long enough to share. */
const ROW_LANES = 256;
/** Workgroup of the one-invocation-per-output kernels: small on software adapters (fewer idle lanes at the tail), wide on hardware. */
const SMALL_WG = 64;
const WIDE_WG = 256;
const itemWorkgroup = (wide: boolean): number => (wide ? WIDE_WG : SMALL_WG);

/** outSize: output elements; redSize: elements folded into each; scale: dy's factor (1/n for mean). */
const reduceUniforms = { outSize: 'u32', redSize: 'u32' } as const;
const reduceBackwardUniforms = { outSize: 'u32', redSize: 'u32', scale: 'f32' } as const;

const reduceSpec = (op: ReduceOp, lanes: number, wide = false): PipelineSpec<typeof reduceUniforms> => ({
  name: 'reduce', code: reduceCode, uniforms: reduceUniforms,
  constants: { OP: OP[op], LANES: lanes, WG: lanes === 1 ? itemWorkgroup(wide) : lanes },
});
const reduceBackwardSpec = (op: ReduceBackwardOp): PipelineSpec<typeof reduceBackwardUniforms> => ({
  name: 'reduceBackward', code: reduceBackwardCode, uniforms: reduceBackwardUniforms,
  constants: { OP: BACKWARD_OP[op] },
});

/** outer, n, inner: the tensor seen as [outer, n, inner], n along the softmax axis. */
const softmaxAxisUniforms = { outer: 'u32', n: 'u32', inner: 'u32' } as const;
const softmaxAxisSpec = (log: boolean, wide: boolean): PipelineSpec<typeof softmaxAxisUniforms> =>
  ({ name: 'softmaxAxis', code: softmaxAxisCode, uniforms: softmaxAxisUniforms, constants: { LOG: log ? 1 : 0, WG: itemWorkgroup(wide) } });
const softmaxAxisBackwardSpec = (log: boolean, wide: boolean): PipelineSpec<typeof softmaxAxisUniforms> =>
  ({ name: 'softmaxAxisBackward', code: softmaxAxisBackwardCode, uniforms: softmaxAxisUniforms, constants: { LOG: log ? 1 : 0, WG: itemWorkgroup(wide) } });

/** Every pipeline of this family (the backward's sum and mean share one, as do max and min), small and wide workgroups. */
export const pipelines: readonly PipelineSpec[] = [
  ...REDUCE_OPS.flatMap((op) => [reduceSpec(op, 1), reduceSpec(op, 1, true), reduceSpec(op, ROW_LANES)]),
  ...REDUCE_BACKWARD_OPS.filter((op) => op !== 'mean' && op !== 'min').map(reduceBackwardSpec),
  ...[false, true].flatMap((log) => [false, true].flatMap((wide) => [softmaxAxisSpec(log, wide), softmaxAxisBackwardSpec(log, wide)])),
];

/** Long rows get a workgroup each; short ones (or many outputs to keep the device busy) an invocation. */
function lanesFor(layout: ReduceLayout): number {
  return layout.redSize >= 1024 || (layout.redSize >= 64 && layout.outSize < 4096) ? ROW_LANES : 1;
}

function layoutBuffer(ctx: GpuContext, x: Tensor, axes: readonly number[], layout: ReduceLayout): GPUBuffer {
  return ctx.constant(`reduceLayout[${x.shape.join(',')}|${axes.join(',')}]`, () => layoutTable(layout));
}

export function reduce(ctx: GpuContext, x: Tensor, axes: readonly number[], op: ReduceOp): Tensor {
  const layout = reduceLayout(x.shape, axes);
  const y = ctx.output(reducedShape(x.shape, axes), 'reduce');
  if (layout.outSize === 0) return y;
  const lanes = lanesFor(layout);
  const params = { outSize: layout.outSize, redSize: layout.redSize };
  ctx.run1d(reduceSpec(op, lanes, ctx.wideWorkgroups), params, [layoutBuffer(ctx, x, axes, layout), buf(x), buf(y)], layout.outSize * lanes);
  return y;
}

export function reduceBackward(ctx: GpuContext, dy: Tensor, x: Tensor, y: Tensor, axes: readonly number[], op: ReduceBackwardOp): Tensor {
  const layout = reduceLayout(x.shape, axes);
  const dx = ctx.output(x.shape, 'reduceBackward');
  if (x.size === 0) return dx;
  const params = { outSize: layout.outSize, redSize: layout.redSize, scale: op === 'mean' ? 1 / layout.redSize : 1 };
  ctx.run1d(reduceBackwardSpec(op), params, [layoutBuffer(ctx, x, axes, layout), buf(dy), buf(x), buf(y), buf(dx)], x.size);
  return dx;
}

export function softmaxAxis(ctx: GpuContext, x: Tensor, axis: number, log: boolean): Tensor {
  const y = ctx.output(x.shape, 'softmaxAxis');
  const lines = aroundAxis(x.shape, axis);
  ctx.run1d(softmaxAxisSpec(log, ctx.wideWorkgroups), lines, [buf(x), buf(y)], lines.outer * lines.inner);
  return y;
}

export function softmaxAxisBackward(ctx: GpuContext, dy: Tensor, y: Tensor, axis: number, log: boolean): Tensor {
  const dx = ctx.output(y.shape, 'softmaxAxisBackward');
  const lines = aroundAxis(y.shape, axis);
  ctx.run1d(softmaxAxisBackwardSpec(log, ctx.wideWorkgroups), lines, [buf(dy), buf(y), buf(dx)], lines.outer * lines.inner);
  return dx;
}
