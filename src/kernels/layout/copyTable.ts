// The walks of the wasm layout kernels, as the rows their tables hold
// (src/backend/wasm/assembly/layout.ts): a copy plan or a sum of tiles with
// its axes of length 1 dropped and neighbours merged wherever the pair reads
// as one axis, so the innermost row is the longest run the kernel can stream.

import type { Shape } from '../../backend/types.js';
import { stridesOf, type CopyPlan } from './plan.js';

/** One output axis of the strided copy: [n, period, step, shift, size, stride, block] (layout.ts's COPY_ROW). */
export type CopyRow = [number, number, number, number, number, number, number];

interface Read { n: number; period: number; step: number; shift: number; size: number; stride: number }

/** inner reads its whole input axis once, in the direction outer steps, and outer's stride spans it: one axis. */
function merges(outer: Read, inner: Read): boolean {
  const whole = inner.n === inner.size && inner.period === inner.n && inner.shift === (inner.step > 0 ? 0 : inner.size - 1);
  return whole && outer.step === inner.step && outer.stride === inner.size * inner.stride;
}

/** Rows with the output elements each coordinate spans (the product of the lengths inside). */
function withBlocks<T extends { n: number }>(reads: readonly T[]): (T & { block: number })[] {
  let block = 1;
  const out: (T & { block: number })[] = [];
  for (let d = reads.length - 1; d >= 0; d--) {
    out.unshift({ ...reads[d], block });
    block *= reads[d].n;
  }
  return out;
}

/**
 * The plan's rows, outermost first, and the offset (in elements) into x of
 * the axes dropped. The output must not be empty. An axis whose reads all
 * fall outside x makes the whole output fill: one row over an empty axis.
 */
export function copyRows(xShape: Shape, plan: CopyPlan): { rows: CopyRow[]; offset: number } {
  const inStrides = stridesOf(xShape);
  const reads: Read[] = [];
  let offset = 0;
  for (let d = plan.shape.length - 1; d >= 0; d--) {
    const a = plan.axes[d];
    const n = plan.shape[d];
    const size = xShape[a.from];
    // Coordinates past the wrap read as if c < n, so the period is at most n; this also keeps shifts in i32.
    const period = Math.min(a.wrap, n);
    const first = a.step > 0 ? a.shift : a.shift - (period - 1);
    const last = a.step > 0 ? a.shift + period - 1 : a.shift;
    if (Math.max(first, 0) > Math.min(last, size - 1)) {
      const total = plan.shape.reduce((s, m) => s * m, 1);
      return { rows: [[total, total, 1, 0, 0, 1, 1]], offset: 0 };
    }
    const read: Read = { n, period, step: a.step, shift: a.shift, size, stride: inStrides[a.from] };
    if (n === 1) {
      offset += a.shift * read.stride;
      continue;
    }
    const inner = reads[0];
    if (inner && merges(read, inner)) {
      reads[0] = {
        n: n * inner.n,
        period: period * inner.n,
        step: a.step,
        shift: a.step > 0 ? a.shift * inner.n : a.shift * inner.n + inner.n - 1,
        size: size * inner.size,
        stride: inner.stride,
      };
    } else {
      reads.unshift(read);
    }
  }
  if (reads.length === 0) reads.push({ n: 1, period: 1, step: 1, shift: 0, size: 1, stride: 1 });
  const rows = withBlocks(reads).map((r): CopyRow => [r.n, r.period, r.step, r.shift, r.size, r.stride, r.block]);
  return { rows, offset };
}

/** One axis of the walk over dy: [n, dx's stride along it, block] (layout.ts's SUM_ROW). */
export type SumRow = [number, number, number];

/**
 * dy [..., reps[d] * xShape[d], ...] walked as [reps[0], xShape[0], reps[1],
 * xShape[1], ...] in order: dx's strides along the x axes, 0 along the tiles.
 */
export function tileSumRows(dyShape: Shape, xShape: Shape): SumRow[] {
  const xStrides = stridesOf(xShape);
  const axes: { n: number; stride: number }[] = [];
  for (let d = xShape.length - 1; d >= 0; d--) {
    for (const axis of [{ n: xShape[d], stride: xStrides[d] }, { n: dyShape[d] / xShape[d], stride: 0 }]) {
      if (axis.n === 1) continue;
      const inner = axes[0];
      if (inner && axis.stride === inner.n * inner.stride) inner.n *= axis.n;
      else axes.unshift(axis);
    }
  }
  if (axes.length === 0) axes.push({ n: 1, stride: 1 });
  return withBlocks(axes).map((r): SumRow => [r.n, r.stride, r.block]);
}
