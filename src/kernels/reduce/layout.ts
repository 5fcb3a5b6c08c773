// How a reduction walks its input: the kept axes (one output element per
// position) and the reduced axes (the elements folded into it), each merged
// where neighbouring axes fall in the same class, with their sizes and strides.
// The CPU loops and the shaders (shaders/lib/reduceLayout.wgsl) index alike.

import type { Shape } from '../../backend/types.js';

/** Axes a reduction kernel handles (merged kept or reduced axes never exceed the input's rank). */
export const MAX_REDUCE_RANK = 8;

export interface AxisGroup {
  /** Sizes of the merged axes, outermost first. */
  readonly dims: readonly number[];
  /** Each merged axis's stride in the input. */
  readonly strides: readonly number[];
}

export interface ReduceLayout {
  /** Output elements: the product of the kept axes. */
  readonly outSize: number;
  /** Elements folded into each output element: the product of the reduced axes. */
  readonly redSize: number;
  readonly kept: AxisGroup;
  readonly reduced: AxisGroup;
}

/** The layout of reducing `shape` over `axes` (non-negative, distinct); size-1 axes drop out. */
export function reduceLayout(shape: Shape, axes: readonly number[]): ReduceLayout {
  const kept = { dims: [] as number[], strides: [] as number[] };
  const reduced = { dims: [] as number[], strides: [] as number[] };
  let stride = 1;
  let lastClass: 'kept' | 'reduced' | null = null;
  // Innermost axis first, so that merging multiplies the outer size into a run.
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d];
    const cls = axes.includes(d) ? 'reduced' : 'kept';
    if (size !== 1) {
      const group = cls === 'kept' ? kept : reduced;
      if (lastClass === cls) group.dims[0] *= size;
      else {
        group.dims.unshift(size);
        group.strides.unshift(stride);
      }
      lastClass = cls;
    }
    stride *= size;
  }
  const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
  return { outSize: product(kept.dims), redSize: product(reduced.dims), kept, reduced };
}

/** Where the index-th position of a group (row-major over its dims) starts in the input. */
export function groupOffset(group: AxisGroup, index: number): number {
  let rem = index;
  let offset = 0;
  for (let d = group.dims.length - 1; d >= 0; d--) {
    offset += (rem % group.dims[d]) * group.strides[d];
    rem = Math.floor(rem / group.dims[d]);
  }
  return offset;
}

/**
 * The layout as the shaders read it: [kept count, reduced count, kept dims,
 * kept strides, reduced dims, reduced strides], each list padded to MAX_REDUCE_RANK.
 */
export function layoutTable(layout: ReduceLayout): Uint32Array {
  const R = MAX_REDUCE_RANK;
  const table = new Uint32Array(2 + 4 * R);
  table[0] = layout.kept.dims.length;
  table[1] = layout.reduced.dims.length;
  table.set(layout.kept.dims, 2);
  table.set(layout.kept.strides, 2 + R);
  table.set(layout.reduced.dims, 2 + 2 * R);
  table.set(layout.reduced.strides, 2 + 3 * R);
  return table;
}
