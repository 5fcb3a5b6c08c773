// GEMM: c[m,n] = act(a[m,k] . b[k,n] + bias[n]), float32, SIMD128.
// Goto's scheme: the k axis in blocks of KC; per block, b is packed into
// panels of NR columns (k-major, zero-padded at the right edge); a 4x8
// register tile then runs over each panel with eight f32x4 accumulators, the
// packed b panel staying in L1. A row-major a is read in place, four rows at
// a time, as XNNPACK does (packing it costs as much as the product when n is
// small, as in a convolution's few output channels); a transposed a is
// packed into panels of MR rows (k-major, zero-padded at the bottom).
// a and b are read through element strides, so a transposed operand is only
// another packing order: a(i, p) = a[i*aRow + p*aCol], b(p, j) = b[p*bRow + j*bCol].
// The bias and activation (0 linear, 1 relu, 2 relu6) are applied as the last
// k block is stored. Scratch (gemmScratchBytes) holds the packed panels.

import { madd } from './lanes';

const MR = 4;
const NR = 8;
const KC = 256;
const MC = 128;

@inline function roundUp(x: i32, to: i32): i32 {
  return (x + to - 1) / to * to;
}

/** Bytes of scratch gemm needs for these sizes. */
export function gemmScratchBytes(m: i32, n: i32, k: i32): i32 {
  const kc = min(k, KC);
  return 4 * (kc * roundUp(n, NR) + min(roundUp(m, MR), MC) * kc + MR * NR + NR);
}

/** b rows p0..p0+kc as panels of NR columns: panel q holds b(p, q*NR + 0..NR) for each p in turn. */
function packB(b: usize, bRow: i32, bCol: i32, p0: i32, kc: i32, n: i32, dst: usize): void {
  const stepP = <usize>bRow << 2;
  const stepJ = <usize>bCol << 2;
  for (let j0 = 0; j0 < n; j0 += NR) {
    const cols = min(NR, n - j0);
    let src = b + ((<usize>p0 * bRow + <usize>j0 * bCol) << 2);
    const end = dst + (<usize>(kc * NR) << 2);
    if (cols == NR && bCol == 1) {
      while (dst < end) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += stepP;
        dst += NR << 2;
      }
    } else {
      while (dst < end) {
        for (let j = 0; j < NR; j++) {
          store<f32>(dst + (<usize>j << 2), j < cols ? load<f32>(src + <usize>j * stepJ) : 0);
        }
        src += stepP;
        dst += NR << 2;
      }
    }
  }
}

/** a rows i0..i0+mc, columns p0..p0+kc as panels of MR rows: a(i0 + r, p) for r in 0..MR, for each p in turn. */
function packA(a: usize, aRow: i32, aCol: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  const stepP = <usize>aCol << 2;
  for (let r0 = 0; r0 < mc; r0 += MR) {
    const rows = min(MR, mc - r0);
    let src = a + ((<usize>(i0 + r0) * aRow + <usize>p0 * aCol) << 2);
    const end = dst + (<usize>(kc * MR) << 2);
    if (rows == MR && aRow == 1) {
      while (dst < end) {
        v128.store(dst, v128.load(src));
        src += stepP;
        dst += MR << 2;
      }
    } else {
      const stepR = <usize>aRow << 2;
      while (dst < end) {
        for (let r = 0; r < MR; r++) {
          store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(src + <usize>r * stepR) : 0);
        }
        src += stepP;
        dst += MR << 2;
      }
    }
  }
}

@inline function activate(v: v128, act: i32): v128 {
  if (act == 1) return f32x4.max(v, f32x4.splat(0));
  if (act == 2) return f32x4.min(f32x4.max(v, f32x4.splat(0)), f32x4.splat(6));
  return v;
}

@inline function finish(v: v128, prev: usize, first: bool, last: bool, bias: v128, act: i32): v128 {
  let r = first ? v : f32x4.add(v128.load(prev), v);
  if (last) r = activate(f32x4.add(r, bias), act);
  return r;
}

/**
 * One 4x8 tile: c rows i..i+4, columns j..j+8 over kc, from the packed b panel
 * pb and a's rows at pa + r*rs, stepping ps bytes per k (packed: rs 4, ps 16).
 * first: overwrite c (else add to it); last: add the bias and activate.
 * rows/cols < 4/8 at the edges go through `tile` so nothing outside c is touched.
 */
function tile4x8(kc: i32, pa: usize, rs: usize, ps: usize, pb: usize, c: usize, ldc: i32, rows: i32, cols: i32,
  first: bool, last: bool, bias: usize, j: i32, act: i32, tile: usize): void {
  // Rows past the edge read the last real row again; their results are dropped.
  const pa1 = pa + (rows > 1 ? rs : 0);
  const pa2 = pa + (rows > 2 ? 2 * rs : rows > 1 ? rs : 0);
  const pa3 = pa + (rows > 3 ? 3 * rs : rows > 2 ? 2 * rs : rows > 1 ? rs : 0);
  let off: usize = 0;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa + off);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = v128.load32_splat(pa1 + off);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    const a2 = v128.load32_splat(pa2 + off);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = v128.load32_splat(pa3 + off);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    off += ps;
    pb += NR << 2;
  }
  const full = rows == MR && cols == NR;
  // Edge tiles: the current c values go to `tile` first, the result comes back from it.
  const ldcBytes = <usize>ldc << 2;
  let dst = c;
  let ld = ldcBytes;
  if (!full) {
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < cols; q++) store<f32>(tile + (<usize>(r * NR + q) << 2), load<f32>(c + <usize>r * ldcBytes + (<usize>q << 2)));
    }
    dst = tile;
    ld = NR << 2;
  }
  let bias0 = f32x4.splat(0), bias1 = f32x4.splat(0);
  if (last && bias != 0) {
    if (cols == NR) {
      bias0 = v128.load(bias + (<usize>j << 2));
      bias1 = v128.load(bias + (<usize>j << 2), 16);
    } else {
      for (let q = 0; q < cols; q++) store<f32>(tile + (<usize>(MR * NR + q) << 2), load<f32>(bias + (<usize>(j + q) << 2)));
      for (let q = cols; q < NR; q++) store<f32>(tile + (<usize>(MR * NR + q) << 2), 0);
      bias0 = v128.load(tile + (<usize>(MR * NR) << 2));
      bias1 = v128.load(tile + (<usize>(MR * NR) << 2), 16);
    }
  }
  v128.store(dst, finish(c00, dst, first, last, bias0, act));
  v128.store(dst, finish(c01, dst + 16, first, last, bias1, act), 16);
  if (full || rows > 1) {
    const d1 = dst + ld;
    v128.store(d1, finish(c10, d1, first, last, bias0, act));
    v128.store(d1, finish(c11, d1 + 16, first, last, bias1, act), 16);
  }
  if (full || rows > 2) {
    const d2 = dst + 2 * ld;
    v128.store(d2, finish(c20, d2, first, last, bias0, act));
    v128.store(d2, finish(c21, d2 + 16, first, last, bias1, act), 16);
  }
  if (full || rows > 3) {
    const d3 = dst + 3 * ld;
    v128.store(d3, finish(c30, d3, first, last, bias0, act));
    v128.store(d3, finish(c31, d3 + 16, first, last, bias1, act), 16);
  }
  if (!full) {
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < cols; q++) store<f32>(c + <usize>r * ldcBytes + (<usize>q << 2), load<f32>(tile + (<usize>(r * NR + q) << 2)));
    }
  }
}

/**
 * c[m,n] (row-major) = act(a . b + bias), or with accumulate act(c + a . b + bias)
 * (the filter gradient sums chunks of rows this way); bias 0 for none.
 * scratch: gemmScratchBytes(m, n, k) bytes.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32, bias: usize, act: i32, accumulate: bool, scratch: usize): void {
  gemmStrided(a, b, c, m, n, k, aRow, aCol, bRow, bCol, bias, act, accumulate, scratch, n);
}

/**
 * gemm with c's rows ldc floats apart: a block of columns of a wider c (the
 * threads split a short, wide product by columns; c, b and bias then point at
 * the block's first column).
 */
export function gemmStrided(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32, bias: usize, act: i32, accumulate: bool, scratch: usize, ldc: i32): void {
  if (m == 0 || n == 0) return;
  const kc0 = min(k, KC);
  const packedB = scratch;
  const packedA = packedB + (<usize>(kc0 * roundUp(n, NR)) << 2);
  const tile = packedA + (<usize>(min(roundUp(m, MR), MC) * kc0) << 2);
  const direct = aCol == 1;
  const ldcBytes = <usize>ldc << 2;
  if (k == 0) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let v = bias != 0 ? load<f32>(bias + (<usize>j << 2)) : <f32>0;
        if (accumulate) v += load<f32>(c + <usize>i * ldcBytes + (<usize>j << 2));
        store<f32>(c + <usize>i * ldcBytes + (<usize>j << 2), act == 0 ? v : act == 1 ? max(v, 0) : min(max(v, 0), 6));
      }
    }
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const first = p0 == 0 && !accumulate;
    const last = p0 + kc >= k;
    packB(b, bRow, bCol, p0, kc, n, packedB);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = min(MC, m - i0);
      if (!direct) packA(a, aRow, aCol, i0, mc, p0, kc, packedA);
      const rs: usize = direct ? <usize>aRow << 2 : 4;
      const ps: usize = direct ? 4 : MR << 2;
      for (let j0 = 0; j0 < n; j0 += NR) {
        const pb = packedB + (<usize>(j0 * kc) << 2);
        const cols = min(NR, n - j0);
        for (let r0 = 0; r0 < mc; r0 += MR) {
          const pa = direct ? a + ((<usize>(i0 + r0) * aRow + <usize>p0) << 2) : packedA + (<usize>(r0 * kc) << 2);
          const cptr = c + <usize>(i0 + r0) * ldcBytes + (<usize>j0 << 2);
          tile4x8(kc, pa, rs, ps, pb, cptr, ldc, min(MR, mc - r0), cols, first, last, bias, j0, act, tile);
        }
      }
    }
  }
}
