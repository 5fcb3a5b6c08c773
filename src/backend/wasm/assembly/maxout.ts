// Maxout and its backward, in place of src/kernels/maxout/cpu.ts. Legend: x
// is [outer, group, len], len = units * inner (the axis split into group
// blocks of units, and what follows it), y is [outer, len]: y[o, e] is the
// first maximum of x[o, j, e] over j. Each block is contiguous, so four
// elements run per lane group, the last len % 4 one at a time.

import { at } from './lanes';

/** y [outer, len]: a later block wins only when strictly greater, so ties keep the first and a NaN never wins after it. */
export function maxout(x: usize, y: usize, outer: i32, group: i32, len: i32): void {
  for (let o = 0; o < outer; o++) {
    const xo = at(x, o * group * len);
    const yo = at(y, o * len);
    let e = 0;
    for (; e + 4 <= len; e += 4) {
      let best = v128.load(at(xo, e));
      for (let j = 1; j < group; j++) {
        const v = v128.load(at(xo, j * len + e));
        best = v128.bitselect(v, best, f32x4.gt(v, best));
      }
      v128.store(at(yo, e), best);
    }
    for (; e < len; e++) {
      let best = load<f32>(at(xo, e));
      for (let j = 1; j < group; j++) {
        const v = load<f32>(at(xo, j * len + e));
        if (v > best) best = v;
      }
      store<f32>(at(yo, e), best);
    }
  }
}

/**
 * dx [outer, group, len]: dy at each element's first maximum over j, 0 in the
 * other blocks. dy is added to 0 as the CPU reference adds it (-0 gives 0).
 */
export function maxoutBackward(dy: usize, x: usize, dx: usize, outer: i32, group: i32, len: i32): void {
  const zero = f32x4.splat(0);
  for (let o = 0; o < outer; o++) {
    const xo = at(x, o * group * len);
    const dxo = at(dx, o * group * len);
    const dyo = at(dy, o * len);
    let e = 0;
    for (; e + 4 <= len; e += 4) {
      let best = v128.load(at(xo, e));
      let where = i32x4.splat(0);
      for (let j = 1; j < group; j++) {
        const v = v128.load(at(xo, j * len + e));
        const wins = f32x4.gt(v, best);
        best = v128.bitselect(v, best, wins);
        where = v128.bitselect(i32x4.splat(j), where, wins);
      }
      const g = f32x4.add(zero, v128.load(at(dyo, e)));
      for (let j = 0; j < group; j++) v128.store(at(dxo, j * len + e), v128.and(g, i32x4.eq(where, i32x4.splat(j))));
    }
    for (; e < len; e++) {
      let best = load<f32>(at(xo, e));
      let where = 0;
      for (let j = 1; j < group; j++) {
        const v = load<f32>(at(xo, j * len + e));
        if (v > best) {
          best = v;
          where = j;
        }
      }
      const g: f32 = 0 + load<f32>(at(dyo, e));
      for (let j = 0; j < group; j++) store<f32>(at(dxo, j * len + e), j == where ? g : 0);
    }
  }
}
