import type { Shape } from '../../backend/types.js';

/** x seen as [outer, c, inner] around the maxout axis; c = group * units. */
export interface MaxoutLayout {
  outer: number;
  c: number;
  inner: number;
  units: number;
  /** Channels per unit: c / units. */
  group: number;
  /** x's shape with the axis c replaced by units. */
  outShape: number[];
}

export function maxoutLayout(shape: Shape, units: number, axis: number): MaxoutLayout {
  const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const c = shape[axis];
  return {
    outer: prod(shape.slice(0, axis)), c, inner: prod(shape.slice(axis + 1)), units, group: c / units,
    outShape: shape.map((d, i) => (i === axis ? units : d)),
  };
}
