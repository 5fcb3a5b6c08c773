// The reductions and softmaxes along an axis on the wasm backend
// (src/backend/wasm/assembly/reduce.ts). The layout's kept and reduced
// groups go in as runs: the start of each run of the group's innermost axis
// (a table in scratch), with that axis's length and stride. Each export takes
// a range of outputs (softmax: of lines), so threads split the outputs.

import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { call } from '../../backend/wasm/threadPool.js';
import { groupOffset, reduceLayout, type AxisGroup } from './layout.js';
import { REDUCE_OPS, aroundAxis, reducedShape, type ReduceBackwardOp, type ReduceOp } from './shape.js';

/** An exp costs about as much as this many multiply-adds (for splitting work between threads). */
const EXP_WORK = 16;

/** A group as runs along its innermost axis: each run's start, the axis's length and stride. */
function runsOf(group: AxisGroup): { starts: number[]; len: number; stride: number } {
  const last = group.dims.length - 1;
  if (last < 0) return { starts: [0], len: 1, stride: 0 };
  const outer: AxisGroup = { dims: group.dims.slice(0, last), strides: group.strides.slice(0, last) };
  const count = outer.dims.reduce((a, b) => a * b, 1);
  return { starts: Array.from({ length: count }, (_, i) => groupOffset(outer, i)), len: group.dims[last], stride: group.strides[last] };
}

type Walk = [number, number, number, number, number, number, number];

/** The walk every reduce export takes after its pointers: kept runs, length, stride; reduced runs, count, length, stride. */
function walkOf(ctx: WasmContext, x: Tensor, axes: readonly number[]): { walk: Walk; outSize: number; redSize: number } {
  const layout = reduceLayout(x.shape, axes);
  const kept = runsOf(layout.kept);
  const red = runsOf(layout.reduced);
  const keptTable = ctx.scratch(4 * Math.max(kept.starts.length, 1));
  const redTable = ctx.scratch(4 * Math.max(red.starts.length, 1));
  const memory = ctx.f32().buffer;
  new Int32Array(memory, keptTable, kept.starts.length).set(kept.starts);
  new Int32Array(memory, redTable, red.starts.length).set(red.starts);
  return {
    walk: [keptTable, kept.len, kept.stride, redTable, red.starts.length, red.len, red.stride],
    outSize: layout.outSize,
    redSize: layout.redSize,
  };
}

/** Output ranges for the threads, in fours (the kernels' lane groups). */
function outputParts(ctx: WasmContext, outSize: number, workPerOutput: number): [number, number][] {
  if (ctx.threads === 1 || workPerOutput === 0) return [[0, outSize]];
  return ctx.split(outSize, Math.ceil(ctx.minWorkPerThread / workPerOutput), 4);
}

export function reduce(ctx: WasmContext, x: Tensor, axes: readonly number[], op: ReduceOp): Tensor {
  const y = ctx.output(reducedShape(x.shape, axes), 'reduce');
  if (y.size === 0) return y;
  const { walk, outSize, redSize } = walkOf(ctx, x, axes);
  const parts = outputParts(ctx, outSize, op === 'logSumExp' ? redSize * EXP_WORK : redSize);
  ctx.parallel(parts.map(([lo, hi]) => [call('reduce', REDUCE_OPS.indexOf(op), ctx.ptr(x), ctx.ptr(y), ...walk, lo, hi)]));
  return y;
}

export function reduceBackward(ctx: WasmContext, dy: Tensor, x: Tensor, y: Tensor, axes: readonly number[], op: ReduceBackwardOp): Tensor {
  const dx = ctx.output(x.shape, 'reduceBackward');
  if (x.size === 0) return dx;
  const { walk, outSize, redSize } = walkOf(ctx, x, axes);
  // prod's backward multiplies every other element for each element.
  const work = op === 'prod' ? redSize * redSize : op === 'logSumExp' ? redSize * EXP_WORK : redSize;
  const parts = outputParts(ctx, outSize, work);
  const ptrs = [ctx.ptr(dy), ctx.ptr(x), ctx.ptr(y), ctx.ptr(dx)] as const;
  ctx.parallel(parts.map(([lo, hi]) => [call('reduceBackward', REDUCE_OPS.indexOf(op), ...ptrs, ...walk, lo, hi)]));
  return dx;
}

/**
 * Line ranges [o0, o1) x [i0, i1) for the threads: over outer where it has
 * more lines than inner, else over inner in fours (the kernels' lane groups).
 */
function lineParts(ctx: WasmContext, outer: number, n: number, inner: number): [number, number, number, number][] {
  const work = n * EXP_WORK;
  if (ctx.threads === 1 || work === 0) return [[0, outer, 0, inner]];
  const minLines = Math.ceil(ctx.minWorkPerThread / work);
  if (outer >= inner) return ctx.split(outer, Math.ceil(minLines / inner)).map(([lo, hi]) => [lo, hi, 0, inner]);
  return ctx.split(inner, Math.ceil(minLines / outer), 4).map(([lo, hi]) => [0, outer, lo, hi]);
}

export function softmaxAxis(ctx: WasmContext, x: Tensor, axis: number, log: boolean): Tensor {
  const y = ctx.output(x.shape, 'softmaxAxis');
  if (x.size === 0) return y;
  const { outer, n, inner } = aroundAxis(x.shape, axis);
  const parts = lineParts(ctx, outer, n, inner);
  // softmax keeps each line's exps (four lines' worth) in scratch of its own per thread.
  const exps = parts.map(() => (log ? 0 : ctx.scratch(32 * n)));
  ctx.parallel(parts.map(([o0, o1, i0, i1], t) => [call('softmaxAxis', ctx.ptr(x), ctx.ptr(y), n, inner, log, exps[t], o0, o1, i0, i1)]));
  return y;
}

export function softmaxAxisBackward(ctx: WasmContext, dy: Tensor, y: Tensor, axis: number, log: boolean): Tensor {
  const dx = ctx.output(y.shape, 'softmaxAxisBackward');
  if (y.size === 0) return dx;
  const { outer, n, inner } = aroundAxis(y.shape, axis);
  const parts = lineParts(ctx, outer, n, inner);
  ctx.parallel(parts.map(([o0, o1, i0, i1]) => [call('softmaxAxisBackward', ctx.ptr(dy), ctx.ptr(y), ctx.ptr(dx), n, inner, log, o0, o1, i0, i1)]));
  return dx;
}
