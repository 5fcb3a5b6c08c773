// Depthwise convolution (NHWC) and its two gradients, in place of
// src/kernels/depthwise/cpu.ts. x [n, h, w, c], f [kh, kw, c, m],
// y [n, oh, ow, c·m]; output channel o = ch·m + q reads input channel o / m,
// and the filter of tap t is f[t·c·m + o], contiguous over o like y. So every
// loop runs over output channels four at a time (a scalar tail for the rest);
// with m = 1 (the common case) x is read four lanes at a time too, otherwise
// its lanes are gathered. Each export takes a range of rows (r0, count) that
// writes memory no other range does, so the binding may split it over threads.
// Legend: h w c m, kh kw, sh sw (strides), dh dw (dilations), padTop padLeft, oh ow.

import { at } from './lanes';

/** x[(o + l) / m] for lanes l = 0..3, starting from pixel base `px` (in floats). */
@inline function xLanes(x: usize, px: i32, o: i32, m: i32): v128 {
  if (m == 1) return v128.load(at(x, px + o));
  let v = f32x4.splat(load<f32>(at(x, px + o / m)));
  v = f32x4.replace_lane(v, 1, load<f32>(at(x, px + (o + 1) / m)));
  v = f32x4.replace_lane(v, 2, load<f32>(at(x, px + (o + 2) / m)));
  return f32x4.replace_lane(v, 3, load<f32>(at(x, px + (o + 3) / m)));
}

/** p[i], p[i + s], p[i + 2s], p[i + 3s]. */
@inline function strided(p: usize, i: i32, s: i32): v128 {
  if (s == 1) return v128.load(at(p, i));
  let v = f32x4.splat(load<f32>(at(p, i)));
  v = f32x4.replace_lane(v, 1, load<f32>(at(p, i + s)));
  v = f32x4.replace_lane(v, 2, load<f32>(at(p, i + 2 * s)));
  return f32x4.replace_lane(v, 3, load<f32>(at(p, i + 3 * s)));
}

// The fused activation codes of src/kernels/fusedActivation.ts: 0 linear, 1 relu, 2 relu6.
@inline function activate(v: v128, act: i32): v128 {
  if (act == 1) return f32x4.max(v, f32x4.splat(0));
  if (act == 2) return f32x4.min(f32x4.max(v, f32x4.splat(0)), f32x4.splat(6));
  return v;
}

@inline function activate1(v: f32, act: i32): f32 {
  if (act == 1) return max(v, 0);
  if (act == 2) return min(max(v, 0), 6);
  return v;
}

/**
 * One pixel of a window that lies wholly inside its source, with m = 1: no
 * bounds checks, and 16 channels (four accumulators) per pass over the taps,
 * so each tap's address math serves four vector multiplies. xp: the window's
 * first pixel; xRow, xCol: bytes between taps down and across; f: the first
 * tap's filter, fTap: bytes to the next (negative, wrapping, for dx's flipped taps).
 */
@inline function interiorPixel(xp: usize, f: usize, fTap: usize, bias: usize, yp: usize, co: i32, kh: i32, kw: i32, xRow: usize, xCol: usize, act: i32): void {
  let o: usize = 0;
  const end = <usize>co << 2;
  for (; o + 64 <= end; o += 64) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let pf = f + o;
    let row = xp + o;
    for (let ky = 0; ky < kh; ky++, row += xRow) {
      let px = row;
      for (let kx = 0; kx < kw; kx++, px += xCol, pf += fTap) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load(px), v128.load(pf)));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(px, 16), v128.load(pf, 16)));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(px, 32), v128.load(pf, 32)));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(px, 48), v128.load(pf, 48)));
      }
    }
    if (bias) {
      a0 = f32x4.add(a0, v128.load(bias + o));
      a1 = f32x4.add(a1, v128.load(bias + o, 16));
      a2 = f32x4.add(a2, v128.load(bias + o, 32));
      a3 = f32x4.add(a3, v128.load(bias + o, 48));
    }
    v128.store(yp + o, activate(a0, act));
    v128.store(yp + o, activate(a1, act), 16);
    v128.store(yp + o, activate(a2, act), 32);
    v128.store(yp + o, activate(a3, act), 48);
  }
  for (; o + 16 <= end; o += 16) {
    let acc = f32x4.splat(0);
    let pf = f + o;
    let row = xp + o;
    for (let ky = 0; ky < kh; ky++, row += xRow) {
      let px = row;
      for (let kx = 0; kx < kw; kx++, px += xCol, pf += fTap) acc = f32x4.add(acc, f32x4.mul(v128.load(px), v128.load(pf)));
    }
    if (bias) acc = f32x4.add(acc, v128.load(bias + o));
    v128.store(yp + o, activate(acc, act));
  }
  for (; o < end; o += 4) {
    let acc: f32 = 0;
    let pf = f + o;
    let row = xp + o;
    for (let ky = 0; ky < kh; ky++, row += xRow) {
      let px = row;
      for (let kx = 0; kx < kw; kx++, px += xCol, pf += fTap) acc += load<f32>(px) * load<f32>(pf);
    }
    if (bias) acc += load<f32>(bias + o);
    store<f32>(yp + o, activate1(acc, act));
  }
}

/** The forward of one output pixel, any m, windows clipped by the image's edges. */
@inline function edgePixel(
  x: usize, f: usize, bias: usize, y: usize, b: i32, oy: i32, ox: i32, dst: i32, h: i32, w: i32, c: i32, m: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, act: i32,
): void {
  const co = c * m;
  let o = 0;
  for (; o + 4 <= co; o += 4) {
    let acc = f32x4.splat(0);
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh + ky * dh - padTop;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * sw + kx * dw - padLeft;
        if (ix < 0 || ix >= w) continue;
        const xv = xLanes(x, ((b * h + iy) * w + ix) * c, o, m);
        acc = f32x4.add(acc, f32x4.mul(xv, v128.load(at(f, (ky * kw + kx) * co + o))));
      }
    }
    if (bias) acc = f32x4.add(acc, v128.load(at(bias, o)));
    v128.store(at(y, dst + o), activate(acc, act));
  }
  for (; o < co; o++) {
    let acc: f32 = 0;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh + ky * dh - padTop;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * sw + kx * dw - padLeft;
        if (ix < 0 || ix >= w) continue;
        acc += load<f32>(at(x, ((b * h + iy) * w + ix) * c + o / m)) * load<f32>(at(f, (ky * kw + kx) * co + o));
      }
    }
    if (bias) acc += load<f32>(at(bias, o));
    store<f32>(at(y, dst + o), activate1(acc, act));
  }
}

/**
 * y rows r0..r0+count (a row: image b, output row oy) = act(conv + bias);
 * bias 0 for none. Taps add in the CPU reference's order (ky, then kx).
 * With m = 1, the pixels whose window is inside the image take interiorPixel.
 */
export function depthwiseConv2d(
  x: usize, f: usize, bias: usize, y: usize, h: i32, w: i32, c: i32, m: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  oh: i32, ow: i32, act: i32, r0: i32, count: i32,
): void {
  const co = c * m;
  // Interior columns: ox*sw - padLeft >= 0 and ox*sw + (kw-1)*dw - padLeft < w.
  const oxLo = min((padLeft + sw - 1) / sw, ow);
  const oxHi = max(oxLo, min(ow, (w - 1 - (kw - 1) * dw + padLeft) >= 0 ? (w - 1 - (kw - 1) * dw + padLeft) / sw + 1 : 0));
  const xRow = <usize>(dh * w * c) << 2;
  const xCol = <usize>(dw * c) << 2;
  for (let r = r0; r < r0 + count; r++) {
    const b = r / oh;
    const oy = r - b * oh;
    const top = oy * sh - padTop;
    const rowInside = m == 1 && top >= 0 && top + (kh - 1) * dh < h;
    for (let ox = 0; ox < ow; ox++) {
      const dst = (r * ow + ox) * co;
      if (rowInside && ox >= oxLo && ox < oxHi) {
        interiorPixel(at(x, ((b * h + top) * w + ox * sw - padLeft) * c), f, <usize>co << 2, bias, at(y, dst), co, kh, kw, xRow, xCol, act);
      } else {
        edgePixel(x, f, bias, y, b, oy, ox, dst, h, w, c, m, kh, kw, sh, sw, dh, dw, padTop, padLeft, act);
      }
    }
  }
}

/**
 * dx of one input pixel with m = 1, any stride: the taps that reach an output
 * pixel (found once per pixel, not per channel) add into dx's pixel, which
 * stays in L1, in the order edgeInputPixel sums them.
 */
@inline function tapsInputPixel(
  dy: usize, f: usize, dxp: usize, b: i32, iy: i32, ix: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const end = <usize>c << 2;
  memory.fill(dxp, 0, end);
  for (let ky = kh - 1; ky >= 0; ky--) {
    const ty = iy + padTop - ky * dh;
    if (ty < 0 || ty % sh != 0) continue;
    const oy = ty / sh;
    if (oy >= oh) continue;
    for (let kx = kw - 1; kx >= 0; kx--) {
      const tx = ix + padLeft - kx * dw;
      if (tx < 0 || tx % sw != 0) continue;
      const ox = tx / sw;
      if (ox >= ow) continue;
      const pd = at(dy, ((b * oh + oy) * ow + ox) * c);
      const pf = at(f, (ky * kw + kx) * c);
      let o: usize = 0;
      for (; o + 16 <= end; o += 16) v128.store(dxp + o, f32x4.add(v128.load(dxp + o), f32x4.mul(v128.load(pd + o), v128.load(pf + o))));
      for (; o < end; o += 4) store<f32>(dxp + o, load<f32>(dxp + o) + load<f32>(pd + o) * load<f32>(pf + o));
    }
  }
}

/** dx of one input pixel, any stride and m, skipping the taps no output pixel reaches. */
@inline function edgeInputPixel(
  dy: usize, f: usize, dx: usize, b: i32, iy: i32, ix: i32, dst: i32, c: i32, m: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const co = c * m;
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) {
    let acc = f32x4.splat(0);
    for (let ky = kh - 1; ky >= 0; ky--) {
      const ty = iy + padTop - ky * dh;
      if (ty < 0 || ty % sh != 0) continue;
      const oy = ty / sh;
      if (oy >= oh) continue;
      for (let kx = kw - 1; kx >= 0; kx--) {
        const tx = ix + padLeft - kx * dw;
        if (tx < 0 || tx % sw != 0) continue;
        const ox = tx / sw;
        if (ox >= ow) continue;
        const g = ((b * oh + oy) * ow + ox) * co + ch * m;
        const t = (ky * kw + kx) * co + ch * m;
        for (let q = 0; q < m; q++) acc = f32x4.add(acc, f32x4.mul(strided(dy, g + q, m), strided(f, t + q, m)));
      }
    }
    v128.store(at(dx, dst + ch), acc);
  }
  for (; ch < c; ch++) {
    let acc: f32 = 0;
    for (let ky = kh - 1; ky >= 0; ky--) {
      const ty = iy + padTop - ky * dh;
      if (ty < 0 || ty % sh != 0) continue;
      const oy = ty / sh;
      if (oy >= oh) continue;
      for (let kx = kw - 1; kx >= 0; kx--) {
        const tx = ix + padLeft - kx * dw;
        if (tx < 0 || tx % sw != 0) continue;
        const ox = tx / sw;
        if (ox >= ow) continue;
        const g = ((b * oh + oy) * ow + ox) * co + ch * m;
        const t = (ky * kw + kx) * co + ch * m;
        for (let q = 0; q < m; q++) acc += load<f32>(at(dy, g + q)) * load<f32>(at(f, t + q));
      }
    }
    store<f32>(at(dx, dst + ch), acc);
  }
}

/**
 * dx rows r0..r0+count (a row: image b, input row iy), gathered: each input
 * pixel sums the output pixels whose window covers it, walking the taps
 * backwards so those pixels come in the CPU reference's order (ascending).
 * At stride 1 with m = 1 that is a correlation of dy with the flipped filter,
 * so pixels every tap reaches take interiorPixel (the filter walked backwards);
 * the other pixels with m = 1 take tapsInputPixel.
 */
export function depthwiseConv2dBackwardInput(
  dy: usize, f: usize, dx: usize, h: i32, w: i32, c: i32, m: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  oh: i32, ow: i32, r0: i32, count: i32,
): void {
  const fast = m == 1 && sh == 1 && sw == 1;
  // Inside columns: ix + padLeft - (kw-1)*dw >= 0 and ix + padLeft < ow.
  const ixLo = min(max((kw - 1) * dw - padLeft, 0), w);
  const ixHi = max(ixLo, min(w, ow - padLeft));
  const dyRow = <usize>(dh * ow * c) << 2;
  const dyCol = <usize>(dw * c) << 2;
  const lastTap = at(f, (kh * kw - 1) * c);
  const back = <usize>(-(c << 2));
  for (let r = r0; r < r0 + count; r++) {
    const b = r / h;
    const iy = r - b * h;
    const top = iy + padTop - (kh - 1) * dh;
    const rowInside = fast && top >= 0 && iy + padTop < oh;
    for (let ix = 0; ix < w; ix++) {
      const dst = (r * w + ix) * c;
      if (rowInside && ix >= ixLo && ix < ixHi) {
        const first = at(dy, ((b * oh + top) * ow + ix + padLeft - (kw - 1) * dw) * c);
        interiorPixel(first, lastTap, back, 0, at(dx, dst), c, kh, kw, dyRow, dyCol, 0);
      } else if (m == 1) {
        tapsInputPixel(dy, f, at(dx, dst), b, iy, ix, c, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow);
      } else {
        edgeInputPixel(dy, f, dx, b, iy, ix, dst, c, m, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow);
      }
    }
  }
}

/**
 * dW of one tap over one output row's pixels ox0..ox1, m = 1: each 16
 * channels sum the row in registers, then add to df once. dyp, xp: the first
 * pixel's dy and x; xCol: bytes between x pixels (the stride).
 */
@inline function tapRow(dyp: usize, xp: usize, dfp: usize, co: i32, pixels: i32, xCol: usize): void {
  const dyCol = <usize>co << 2;
  const end = <usize>co << 2;
  let o: usize = 0;
  for (; o + 64 <= end; o += 64) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let pd = dyp + o;
    let px = xp + o;
    for (let i = 0; i < pixels; i++, pd += dyCol, px += xCol) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load(pd), v128.load(px)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(pd, 16), v128.load(px, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(pd, 32), v128.load(px, 32)));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(pd, 48), v128.load(px, 48)));
    }
    const p = dfp + o;
    v128.store(p, f32x4.add(v128.load(p), a0));
    v128.store(p, f32x4.add(v128.load(p, 16), a1), 16);
    v128.store(p, f32x4.add(v128.load(p, 32), a2), 32);
    v128.store(p, f32x4.add(v128.load(p, 48), a3), 48);
  }
  for (; o + 16 <= end; o += 16) {
    let acc = f32x4.splat(0);
    let pd = dyp + o;
    let px = xp + o;
    for (let i = 0; i < pixels; i++, pd += dyCol, px += xCol) acc = f32x4.add(acc, f32x4.mul(v128.load(pd), v128.load(px)));
    const p = dfp + o;
    v128.store(p, f32x4.add(v128.load(p), acc));
  }
  for (; o < end; o += 4) {
    let acc: f32 = 0;
    let pd = dyp + o;
    let px = xp + o;
    for (let i = 0; i < pixels; i++, pd += dyCol, px += xCol) acc += load<f32>(pd) * load<f32>(px);
    const p = dfp + o;
    store<f32>(p, load<f32>(p) + acc);
  }
}

/**
 * df [kh, kw, c, m] from the output rows r0..r0+count (image b, output row
 * oy) into `df`: set when `accumulate` is 0, added to otherwise. With m = 1
 * each row's pixels are summed in registers per tap (tapRow), then added;
 * otherwise pixels add one by one in the CPU reference's order.
 */
export function depthwiseConv2dBackwardFilter(
  x: usize, dy: usize, df: usize, h: i32, w: i32, c: i32, m: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  oh: i32, ow: i32, r0: i32, count: i32, accumulate: i32,
): void {
  const co = c * m;
  if (!accumulate) memory.fill(df, 0, <usize>(kh * kw * co) << 2);
  if (m == 1) {
    const xCol = <usize>(sw * c) << 2;
    for (let r = r0; r < r0 + count; r++) {
      const b = r / oh;
      const oy = r - b * oh;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh + ky * dh - padTop;
        if (iy < 0 || iy >= h) continue;
        for (let kx = 0; kx < kw; kx++) {
          // The pixels whose tap lands inside: 0 <= ox*sw + kx*dw - padLeft < w.
          const left = padLeft - kx * dw;
          const ox0 = left <= 0 ? 0 : (left + sw - 1) / sw;
          const right = w - 1 + left;
          const ox1 = right < 0 ? 0 : min(ow, right / sw + 1);
          if (ox1 <= ox0) continue;
          const xp = at(x, ((b * h + iy) * w + ox0 * sw - left) * c);
          tapRow(at(dy, (r * ow + ox0) * co), xp, at(df, (ky * kw + kx) * co), co, ox1 - ox0, xCol);
        }
      }
    }
    return;
  }
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++) {
      const t = (ky * kw + kx) * co;
      for (let r = r0; r < r0 + count; r++) {
        const b = r / oh;
        const oy = r - b * oh;
        const iy = oy * sh + ky * dh - padTop;
        if (iy < 0 || iy >= h) continue;
        for (let ox = 0; ox < ow; ox++) {
          const ix = ox * sw + kx * dw - padLeft;
          if (ix < 0 || ix >= w) continue;
          const px = ((b * h + iy) * w + ix) * c;
          const g = (r * ow + ox) * co;
          let o = 0;
          for (; o + 4 <= co; o += 4) {
            const p = at(df, t + o);
            v128.store(p, f32x4.add(v128.load(p), f32x4.mul(v128.load(at(dy, g + o)), xLanes(x, px, o, m))));
          }
          for (; o < co; o++) {
            const p = at(df, t + o);
            store<f32>(p, load<f32>(p) + load<f32>(at(dy, g + o)) * load<f32>(at(x, px + o / m)));
          }
        }
      }
    }
}
