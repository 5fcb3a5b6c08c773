// Direct convolution (NHWC), forward only: an implicit GEMM that reads each
// output pixel's window straight from x instead of copying it into a column
// matrix first. Worth it where im2col's copy costs as much as the product:
// few input channels (a 5x5x1 window is 25 scattered floats) and few output
// channels (a short GEMM row). The weights [kh*kw*c, cout] are packed once
// into panels of NR output channels (convPackWeights); a tile of MR output
// pixels x NR channels then keeps its accumulators in registers over the
// whole window. Pixels whose window crosses the padding run one at a time
// with bounds checks. Bias and the fused activation (0 linear, 1 relu,
// 2 relu6) are applied on the store.
//   output row r = pixel (b, oi, oj); tap (ki, kj, ci) reads
//   x[b, oi*sh + ki*dh - padTop, oj*sw + kj*dw - padLeft, ci]

import { madd } from './lanes';

const MR = 4;
const NR = 8;

@inline function activate(v: v128, act: i32): v128 {
  if (act == 1) return f32x4.max(v, f32x4.splat(0));
  if (act == 2) return f32x4.min(f32x4.max(v, f32x4.splat(0)), f32x4.splat(6));
  return v;
}

/** Bytes of packed weights for k rows and cout channels. */
export function convPackedBytes(k: i32, cout: i32): i32 {
  return 4 * k * ((cout + NR - 1) / NR * NR) + 4 * 2 * NR;
}

/**
 * w [k, cout] as panels of NR channels, k-major, zero-padded past cout; then
 * the bias (zeros when bias is 0) padded the same way, panel after panel.
 */
export function convPackWeights(w: usize, bias: usize, k: i32, cout: i32, dst: usize): void {
  for (let j0 = 0; j0 < cout; j0 += NR) {
    const cols = min(NR, cout - j0);
    for (let p = 0; p < k; p++) {
      const src = w + ((<usize>p * cout + j0) << 2);
      for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), j < cols ? load<f32>(src + (<usize>j << 2)) : 0);
      dst += NR << 2;
    }
  }
  for (let j = 0; j < (cout + NR - 1) / NR * NR; j++) {
    store<f32>(dst + (<usize>j << 2), bias != 0 && j < cout ? load<f32>(bias + (<usize>j << 2)) : 0);
  }
}

/** Stores the first cols (1..8) lanes of v0|v1 at dst. */
@inline function storeCols(dst: usize, v0: v128, v1: v128, cols: i32): void {
  if (cols == NR) {
    v128.store(dst, v0);
    v128.store(dst, v1, 16);
    return;
  }
  let lo = v0;
  let p = dst;
  let left = cols;
  if (left >= 4) {
    v128.store(p, v0);
    lo = v1;
    p += 16;
    left -= 4;
  }
  if (left >= 2) {
    v128.store64_lane(p, lo, 0);
    lo = i64x2.shuffle(lo, lo, 1, 1);
    p += 8;
    left -= 2;
  }
  if (left == 1) v128.store32_lane(p, lo, 0);
}

/**
 * Output rows r0..r0+count of y [rows, cout] from x and the packed weights
 * (convPackWeights). Rows are independent: any split of the rows across calls
 * gives the same y.
 */
export function conv2dDirect(x: usize, packed: usize, y: usize, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32, cout: i32, act: i32,
  r0: i32, count: i32): void {
  const k = kh * kw * c;
  const panels = (cout + NR - 1) / NR;
  const panelBytes = <usize>(k * NR) << 2;
  const biasBase = packed + <usize>panels * panelBytes;
  // A window row is one contiguous run of kw*c floats when dw is 1, else kw runs of c.
  const segLen = dw == 1 ? kw * c : c;
  const segs = dw == 1 ? 1 : kw;
  const segStep = <usize>(dw * c) << 2;
  const rowStep = <usize>(dh * w * c) << 2;
  // Output columns whose window lies inside x horizontally, and output rows vertically.
  const ojLo = (padLeft + sw - 1) / sw;
  const ojHi = lastInside(w, kw, dw, sw, padLeft); // inclusive; -1 when none
  const oiLo = (padTop + sh - 1) / sh;
  const oiHi = lastInside(h, kh, dh, sh, padTop);
  const end = r0 + count;
  const ldc = <usize>cout << 2;
  // The pixel of row r, stepped along without dividing (a division per pixel costs as much as its taps).
  let oj = r0 % ow;
  let oi = (r0 / ow) % oh;
  let b = r0 / (ow * oh);
  let r = r0;
  while (r < end) {
    // A tile takes MR consecutive rows whose windows all lie inside x; they may span output rows.
    // The common case: MR pixels along one output row, all inside; their windows are a fixed step apart.
    if (r + MR <= end && oj + MR <= ow && oi >= oiLo && oi <= oiHi && oj >= ojLo && oj + MR - 1 <= ojHi) {
      const p0 = corner(x, b, oi, oj, h, w, c, sh, sw, padTop, padLeft);
      const step = <usize>(sw * c) << 2;
      const dst = y + <usize>r * ldc;
      for (let q = 0; q < panels; q++) {
        tile(p0, p0 + step, p0 + 2 * step, p0 + 3 * step, packed + <usize>q * panelBytes, biasBase + (<usize>(q * NR) << 2), dst + (<usize>(q * NR) << 2), ldc,
          min(NR, cout - q * NR), kh, segs, segLen, rowStep, segStep, act);
      }
      oj += MR;
      if (oj == ow) { oj = 0; oi++; if (oi == oh) { oi = 0; b++; } }
      r += MR;
      continue;
    }
    if (r + MR <= end) {
      let tj = oj, ti = oi, tb = b;
      const in0 = ti >= oiLo && ti <= oiHi && tj >= ojLo && tj <= ojHi;
      const p0 = corner(x, tb, ti, tj, h, w, c, sh, sw, padTop, padLeft);
      tj++; if (tj == ow) { tj = 0; ti++; if (ti == oh) { ti = 0; tb++; } }
      const in1 = ti >= oiLo && ti <= oiHi && tj >= ojLo && tj <= ojHi;
      const p1 = corner(x, tb, ti, tj, h, w, c, sh, sw, padTop, padLeft);
      tj++; if (tj == ow) { tj = 0; ti++; if (ti == oh) { ti = 0; tb++; } }
      const in2 = ti >= oiLo && ti <= oiHi && tj >= ojLo && tj <= ojHi;
      const p2 = corner(x, tb, ti, tj, h, w, c, sh, sw, padTop, padLeft);
      tj++; if (tj == ow) { tj = 0; ti++; if (ti == oh) { ti = 0; tb++; } }
      const in3 = ti >= oiLo && ti <= oiHi && tj >= ojLo && tj <= ojHi;
      const p3 = corner(x, tb, ti, tj, h, w, c, sh, sw, padTop, padLeft);
      tj++; if (tj == ow) { tj = 0; ti++; if (ti == oh) { ti = 0; tb++; } }
      if (in0 && in1 && in2 && in3) {
        const dst = y + <usize>r * ldc;
        for (let q = 0; q < panels; q++) {
          tile(p0, p1, p2, p3, packed + <usize>q * panelBytes, biasBase + (<usize>(q * NR) << 2), dst + (<usize>(q * NR) << 2), ldc,
            min(NR, cout - q * NR), kh, segs, segLen, rowStep, segStep, act);
        }
        oj = tj; oi = ti; b = tb;
        r += MR;
        continue;
      }
    }
    single(x, packed, panels, panelBytes, biasBase, y + <usize>r * ldc, b, oi, oj, h, w, c, kh, kw, sh, sw, dh, dw, padTop, padLeft, cout, act);
    oj++; if (oj == ow) { oj = 0; oi++; if (oi == oh) { oi = 0; b++; } }
    r++;
  }
}

/** The last output index (of rows or columns) whose window lies inside an axis of length n; -1 when none does. */
@inline function lastInside(n: i32, kn: i32, dn: i32, sn: i32, padBefore: i32): i32 {
  const room = n - 1 - (kn - 1) * dn + padBefore;
  return room < 0 ? -1 : room / sn;
}

/** Address of the top-left tap of pixel (b, oi, oj)'s window (meaningful when the window lies inside x). */
@inline function corner(x: usize, b: i32, oi: i32, oj: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32): usize {
  return x + (<usize>(((b * h + oi * sh - padTop) * w + oj * sw - padLeft) * c) << 2);
}

/** MR pixels x NR channels over the whole window, accumulators in registers. */
function tile(p0: usize, p1: usize, p2: usize, p3: usize, pw: usize, bias: usize, dst: usize, ldc: usize, cols: i32,
  kh: i32, segs: i32, segLen: i32, rowStep: usize, segStep: usize, act: i32): void {
  const bias0 = v128.load(bias);
  const bias1 = v128.load(bias, 16);
  let c00 = bias0, c01 = bias1;
  let c10 = bias0, c11 = bias1;
  let c20 = bias0, c21 = bias1;
  let c30 = bias0, c31 = bias1;
  let row: usize = 0;
  for (let ki = 0; ki < kh; ki++) {
    let seg = row;
    for (let s = 0; s < segs; s++) {
      let off = seg;
      const stop = seg + (<usize>segLen << 2);
      while (off < stop) {
        const b0 = v128.load(pw);
        const b1 = v128.load(pw, 16);
        const a0 = v128.load32_splat(p0 + off);
        c00 = madd(a0, b0, c00);
        c01 = madd(a0, b1, c01);
        const a1 = v128.load32_splat(p1 + off);
        c10 = madd(a1, b0, c10);
        c11 = madd(a1, b1, c11);
        const a2 = v128.load32_splat(p2 + off);
        c20 = madd(a2, b0, c20);
        c21 = madd(a2, b1, c21);
        const a3 = v128.load32_splat(p3 + off);
        c30 = madd(a3, b0, c30);
        c31 = madd(a3, b1, c31);
        off += 4;
        pw += NR << 2;
      }
      seg += segStep;
    }
    row += rowStep;
  }
  storeCols(dst, activate(c00, act), activate(c01, act), cols);
  storeCols(dst + ldc, activate(c10, act), activate(c11, act), cols);
  storeCols(dst + 2 * ldc, activate(c20, act), activate(c21, act), cols);
  storeCols(dst + 3 * ldc, activate(c30, act), activate(c31, act), cols);
}

/** One pixel, every panel, skipping taps in the padding. */
function single(x: usize, packed: usize, panels: i32, panelBytes: usize, biasBase: usize, dst: usize, b: i32, oi: i32, oj: i32,
  h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, cout: i32, act: i32): void {
  for (let q = 0; q < panels; q++) {
    const bias = biasBase + (<usize>(q * NR) << 2);
    let c0 = v128.load(bias);
    let c1 = v128.load(bias, 16);
    const pw = packed + <usize>q * panelBytes;
    for (let ki = 0; ki < kh; ki++) {
      const i = oi * sh + ki * dh - padTop;
      if (i < 0 || i >= h) continue;
      for (let kj = 0; kj < kw; kj++) {
        const j = oj * sw + kj * dw - padLeft;
        if (j < 0 || j >= w) continue;
        const src = x + (<usize>(((b * h + i) * w + j) * c) << 2);
        let pb = pw + (<usize>((ki * kw + kj) * c * NR) << 2);
        for (let ci = 0; ci < c; ci++) {
          const a = v128.load32_splat(src + (<usize>ci << 2));
          c0 = madd(a, v128.load(pb), c0);
          c1 = madd(a, v128.load(pb, 16), c1);
          pb += NR << 2;
        }
      }
    }
    storeCols(dst + (<usize>(q * NR) << 2), activate(c0, act), activate(c1, act), min(NR, cout - q * NR));
  }
}
