// conv2dDirect.wgsl: convolution as an implicit GEMM, without im2col's copy
// (which costs as much as the product when there are few input channels):
//   y[b,oy,ox,co] = sum over (ky,kx,ci) of x[b, oy*sh-padTop+ky*dh, ox*sw-padLeft+kx*dw, ci] * w[ky,kx,ci,co]
// With cin % 4 == 0 (VEC_X) an invocation computes 8 pixels by 4 channels from
// vec4s of x; otherwise 8 pixels by 8 channels over the tap table (each tap's
// offset in x, listed once per layer), 4 taps at a time. Entry point put in
// front: convEntry.wgsl, or convEntrySubgroup.wgsl (lanes share gathers).
// Needs cout % 4 == 0 (w and y as vec4s along cout).
// p: the uniforms declared with this shader in src/kernels/conv2d/webgpu.ts.
//! include lib/fusedActivation.wgsl

override HAS_BIAS: bool = false;
override VEC_X: bool = false;  // set only when cin % 4 == 0
override PADDED: bool = false; // some window reaches into the padding: taps are tested per pixel

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w4: array<vec4f>;   // [kh, kw, cin, cout / 4]
@group(0) @binding(3) var<storage, read> bias: array<vec4f>; // [cout / 4]; a 16-byte dummy when !HAS_BIAS
@group(0) @binding(4) var<storage, read_write> y4: array<vec4f>;  // [pixels, cout / 4]
@group(0) @binding(5) var<storage, read> x4: array<vec4f>;   // the same buffer as x, viewed as vec4
// Per 4 taps t..t+3: [offset in x from the window origin, ky*dh, kx*dw] as 3 vec4i (a 16-byte dummy under VEC_X).
@group(0) @binding(6) var<storage, read> tapTable: array<vec4i>;

/** acc + a.x * b0 + a.y * b1 + a.z * b2 + a.w * b3: four input channels for one pixel (as gemm.wgsl's mac4). */
fn mac4(acc: vec4f, a: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> vec4f {
  return acc + mat4x4f(b0, b1, b2, b3) * a;
}

/** Where 4 output pixels' windows start (rows, columns) and their image's first row; past the last pixel a copy of it. */
struct Origins { iy: vec4i, ix: vec4i, rowBase: vec4u }

fn origins(pix0: u32) -> Origins {
  var o: Origins;
  for (var r = 0u; r < 4u; r++) {
    let pix = min(pix0 + r, p.pixels - 1u);
    let ox = pix % p.ow;
    let rest = pix / p.ow;
    let oy = rest % p.oh;
    let b = rest / p.oh;
    o.iy[r] = i32(oy * p.sh) - i32(p.padTop);
    o.ix[r] = i32(ox * p.sw) - i32(p.padLeft);
    o.rowBase[r] = b * p.h;
  }
  return o;
}

/** vec4 index of x at each pixel's tap (ky, kx), channel 0 (0 in the padding), and 1 or 0 to keep or zero it. */
struct Taps { at: vec4u, keep: vec4f }

fn taps(o: Origins, ky: u32, kx: u32) -> Taps {
  let iy = o.iy + vec4i(i32(ky * p.dh));
  let ix = o.ix + vec4i(i32(kx * p.dw));
  let ok = (iy >= vec4i(0)) & (iy < vec4i(i32(p.h))) & (ix >= vec4i(0)) & (ix < vec4i(i32(p.w)));
  // Taps in the padding read x4[0] and are zeroed.
  return Taps(select(vec4u(0u), ((o.rowBase + vec4u(iy)) * p.w + vec4u(ix)) * (p.c / 4u), ok), select(vec4f(0.0), vec4f(1.0), ok));
}

/** The VEC_X kernel: 8 output pixels (pix0..pix0+7) by output channels 4q..4q+3. */
fn main8(pix0: u32, q: u32, c4: u32) {
  let lo = origins(pix0);
  let hi = origins(pix0 + 4u);
  let cin4 = p.c / 4u;
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  var acc4 = vec4f(0.0); var acc5 = vec4f(0.0); var acc6 = vec4f(0.0); var acc7 = vec4f(0.0);
  for (var ky = 0u; ky < p.kh; ky++) {
    for (var kx = 0u; kx < p.kw; kx++) {
      // Written out with named values: Subzero (SwiftShader's JIT) neither inlines nor folds
      // indexing, and an indexed load inside the inner loop costs as much as the math.
      let tl = taps(lo, ky, kx);
      let th = taps(hi, ky, kx);
      let a0 = tl.at.x; let a1 = tl.at.y; let a2 = tl.at.z; let a3 = tl.at.w;
      let a4 = th.at.x; let a5 = th.at.y; let a6 = th.at.z; let a7 = th.at.w;
      let k0 = tl.keep.x; let k1 = tl.keep.y; let k2 = tl.keep.z; let k3 = tl.keep.w;
      let k4 = th.keep.x; let k5 = th.keep.y; let k6 = th.keep.z; let k7 = th.keep.w;
      var wAt = (ky * p.kw + kx) * p.c * c4 + q;
      for (var ci4 = 0u; ci4 < cin4; ci4++) {
        // Rows ci..ci+3 of w at these 4 output channels.
        let w0 = w4[wAt]; let w1 = w4[wAt + c4]; let w2 = w4[wAt + 2u * c4]; let w3 = w4[wAt + 3u * c4];
        acc0 = mac4(acc0, x4[a0 + ci4] * k0, w0, w1, w2, w3);
        acc1 = mac4(acc1, x4[a1 + ci4] * k1, w0, w1, w2, w3);
        acc2 = mac4(acc2, x4[a2 + ci4] * k2, w0, w1, w2, w3);
        acc3 = mac4(acc3, x4[a3 + ci4] * k3, w0, w1, w2, w3);
        acc4 = mac4(acc4, x4[a4 + ci4] * k4, w0, w1, w2, w3);
        acc5 = mac4(acc5, x4[a5 + ci4] * k5, w0, w1, w2, w3);
        acc6 = mac4(acc6, x4[a6 + ci4] * k6, w0, w1, w2, w3);
        acc7 = mac4(acc7, x4[a7 + ci4] * k7, w0, w1, w2, w3);
        wAt += 4u * c4;
      }
    }
  }
  var b4 = vec4f(0.0);
  if (HAS_BIAS) { b4 = bias[q]; }
  storeY(pix0, q, c4, acc0 + b4);
  storeY(pix0 + 1u, q, c4, acc1 + b4);
  storeY(pix0 + 2u, q, c4, acc2 + b4);
  storeY(pix0 + 3u, q, c4, acc3 + b4);
  storeY(pix0 + 4u, q, c4, acc4 + b4);
  storeY(pix0 + 5u, q, c4, acc5 + b4);
  storeY(pix0 + 6u, q, c4, acc6 + b4);
  storeY(pix0 + 7u, q, c4, acc7 + b4);
}

fn storeY(pix: u32, q: u32, c4: u32, v: vec4f) {
  if (pix < p.pixels) { y4[pix * c4 + q] = fusedActivation4(v); }
}

/** Where a pixel's window starts: its index in x (may point into the padding), row and column. */
struct Origin { at: i32, iy: i32, ix: i32 }

fn origin(pixel: u32) -> Origin {
  let pix = min(pixel, p.pixels - 1u);  // past the last pixel: a copy of it, never stored
  let ox = pix % p.ow;
  let rest = pix / p.ow;
  let oy = rest % p.oh;
  let b = rest / p.oh;
  let iy = i32(oy * p.sh) - i32(p.padTop);
  let ix = i32(ox * p.sw) - i32(p.padLeft);
  return Origin((i32(b * p.h) + iy) * i32(p.w * p.c) + ix * i32(p.c), iy, ix);
}

/** The pixel's values at taps 4q..4q+3 (0 in the padding). */
fn gather(o: Origin, q: u32) -> vec4f {
  let at = vec4i(o.at) + tapTable[3u * q];
  if (!PADDED) { return vec4f(x[at.x], x[at.y], x[at.z], x[at.w]); }
  let iy = vec4i(o.iy) + tapTable[3u * q + 1u];
  let ix = vec4i(o.ix) + tapTable[3u * q + 2u];
  let ok = (iy >= vec4i(0)) & (iy < vec4i(i32(p.h))) & (ix >= vec4i(0)) & (ix < vec4i(i32(p.w)));
  let safe = select(vec4i(0), at, ok);
  return select(vec4f(0.0), vec4f(x[safe.x], x[safe.y], x[safe.z], x[safe.w]), ok);
}

/** The pixel's value at tap t (0 in the padding). */
fn gather1(o: Origin, t: u32) -> f32 {
  let q = 3u * (t / 4u);
  let j = t % 4u;
  let at = o.at + tapTable[q][j];
  if (!PADDED) { return x[at]; }
  let iy = o.iy + tapTable[q + 1u][j];
  let ix = o.ix + tapTable[q + 2u][j];
  let ok = iy >= 0 && iy < i32(p.h) && ix >= 0 && ix < i32(p.w);
  return select(0.0, x[select(0, at, ok)], ok);
}

/**
 * The tap table: 8 output pixels (pix0..pix0+7) by output channels 8 * oct .. 8 * oct + 7
 * (the second vec4 past cout when cout % 8 == 4: computed on a clamped index, not stored).
 * `lane`: the invocation's place in its subgroup under SHARE_X (0 otherwise).
 */
fn taps8(pix0: u32, oct: u32, c4: u32, lane: u32) {
  let qa = 2u * oct;
  let qb = min(qa + 1u, c4 - 1u);
  // SHARE_X: this lane gathers pixels lane and 4 + lane for the subgroup; otherwise all 8 itself.
  let mine0 = origin(pix0 + lane);
  let mine1 = origin(pix0 + 4u + lane);
  var o1: Origin; var o2: Origin; var o3: Origin;
  var o5: Origin; var o6: Origin; var o7: Origin;
  if (!SHARE_X) {
    o1 = origin(pix0 + 1u); o2 = origin(pix0 + 2u); o3 = origin(pix0 + 3u);
    o5 = origin(pix0 + 5u); o6 = origin(pix0 + 6u); o7 = origin(pix0 + 7u);
  }
  // Named accumulators: SwiftShader spills an indexed array (gemm.wgsl).
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  var wa = qa;
  let wb = qb - qa;
  for (var q = 0u; q < p.taps / 4u; q++) {
    var r: Rows8;
    if (SHARE_X) {
      r = shareX(gather(mine0, q), gather(mine1, q));
    } else {
      r = Rows8(mat4x4f(gather(mine0, q), gather(o1, q), gather(o2, q), gather(o3, q)),
                mat4x4f(gather(mine1, q), gather(o5, q), gather(o6, q), gather(o7, q)));
    }
    // Rows 4q..4q+3 of w at the two vec4s of channels.
    let w0 = w4[wa]; let w1 = w4[wa + c4]; let w2 = w4[wa + 2u * c4]; let w3 = w4[wa + 3u * c4];
    let v0 = w4[wa + wb]; let v1 = w4[wa + wb + c4]; let v2 = w4[wa + wb + 2u * c4]; let v3 = w4[wa + wb + 3u * c4];
    a0 = mac4(a0, r.lo[0], w0, w1, w2, w3); b0 = mac4(b0, r.lo[0], v0, v1, v2, v3);
    a1 = mac4(a1, r.lo[1], w0, w1, w2, w3); b1 = mac4(b1, r.lo[1], v0, v1, v2, v3);
    a2 = mac4(a2, r.lo[2], w0, w1, w2, w3); b2 = mac4(b2, r.lo[2], v0, v1, v2, v3);
    a3 = mac4(a3, r.lo[3], w0, w1, w2, w3); b3 = mac4(b3, r.lo[3], v0, v1, v2, v3);
    a4 = mac4(a4, r.hi[0], w0, w1, w2, w3); b4 = mac4(b4, r.hi[0], v0, v1, v2, v3);
    a5 = mac4(a5, r.hi[1], w0, w1, w2, w3); b5 = mac4(b5, r.hi[1], v0, v1, v2, v3);
    a6 = mac4(a6, r.hi[2], w0, w1, w2, w3); b6 = mac4(b6, r.hi[2], v0, v1, v2, v3);
    a7 = mac4(a7, r.hi[3], w0, w1, w2, w3); b7 = mac4(b7, r.hi[3], v0, v1, v2, v3);
    wa += 4u * c4;
  }
  // The last taps % 4 taps, one at a time.
  for (var t = p.taps & ~3u; t < p.taps; t++) {
    var lo: vec4f; var hi: vec4f;
    if (SHARE_X) {
      let r = shareX1(gather1(mine0, t), gather1(mine1, t));
      lo = r[0]; hi = r[1];
    } else {
      lo = vec4f(gather1(mine0, t), gather1(o1, t), gather1(o2, t), gather1(o3, t));
      hi = vec4f(gather1(mine1, t), gather1(o5, t), gather1(o6, t), gather1(o7, t));
    }
    let w0 = w4[wa]; let v0 = w4[wa + wb];
    a0 = fma(vec4f(lo.x), w0, a0); b0 = fma(vec4f(lo.x), v0, b0);
    a1 = fma(vec4f(lo.y), w0, a1); b1 = fma(vec4f(lo.y), v0, b1);
    a2 = fma(vec4f(lo.z), w0, a2); b2 = fma(vec4f(lo.z), v0, b2);
    a3 = fma(vec4f(lo.w), w0, a3); b3 = fma(vec4f(lo.w), v0, b3);
    a4 = fma(vec4f(hi.x), w0, a4); b4 = fma(vec4f(hi.x), v0, b4);
    a5 = fma(vec4f(hi.y), w0, a5); b5 = fma(vec4f(hi.y), v0, b5);
    a6 = fma(vec4f(hi.z), w0, a6); b6 = fma(vec4f(hi.z), v0, b6);
    a7 = fma(vec4f(hi.w), w0, a7); b7 = fma(vec4f(hi.w), v0, b7);
    wa += c4;
  }
  var ba = vec4f(0.0); var bb = vec4f(0.0);
  if (HAS_BIAS) { ba = bias[qa]; bb = bias[qb]; }
  let full = pix0 + 8u <= p.pixels;
  storeRows(pix0, qa, c4, full, Rows8(mat4x4f(a0 + ba, a1 + ba, a2 + ba, a3 + ba), mat4x4f(a4 + ba, a5 + ba, a6 + ba, a7 + ba)));
  if (qa + 1u < c4) {
    storeRows(pix0, qb, c4, full, Rows8(mat4x4f(b0 + bb, b1 + bb, b2 + bb, b3 + bb), mat4x4f(b4 + bb, b5 + bb, b6 + bb, b7 + bb)));
  }
}

/** Stores 4 channels (vec4 q) of pixels pix0..pix0+7 (`full`: all 8 exist), with the fused relu. */
fn storeRows(pix0: u32, q: u32, c4: u32, full: bool, v: Rows8) {
  var r = v;
  if (p.relu != 0u) {
    r = Rows8(mat4x4f(fusedActivation4(r.lo[0]), fusedActivation4(r.lo[1]), fusedActivation4(r.lo[2]), fusedActivation4(r.lo[3])),
              mat4x4f(fusedActivation4(r.hi[0]), fusedActivation4(r.hi[1]), fusedActivation4(r.hi[2]), fusedActivation4(r.hi[3])));
  }
  let at = pix0 * c4 + q;
  if (full) {
    y4[at] = r.lo[0]; y4[at + c4] = r.lo[1]; y4[at + 2u * c4] = r.lo[2]; y4[at + 3u * c4] = r.lo[3];
    y4[at + 4u * c4] = r.hi[0]; y4[at + 5u * c4] = r.hi[1]; y4[at + 6u * c4] = r.hi[2]; y4[at + 7u * c4] = r.hi[3];
    return;
  }
  let left = p.pixels - pix0;
  for (var i = 0u; i < 4u; i++) {
    if (i < left) { y4[at + i * c4] = r.lo[i]; }
    if (i + 4u < left) { y4[at + (i + 4u) * c4] = r.hi[i]; }
  }
}

/**
 * The work item `item` of the grid: under VEC_X 8 pixels by 4 channels (main8),
 * otherwise 8 pixels by 8 channels (taps8); nothing past the last item.
 */
fn workItem(item: u32, lane: u32) {
  let c4 = p.cout / 4u;
  if (VEC_X) {
    if (item >= ((p.pixels + 7u) / 8u) * c4) { return; }
    main8((item / c4) * 8u, item % c4, c4);
    return;
  }
  let c8 = (c4 + 1u) / 2u;
  // Under SHARE_X c8 % 4 == 0: the 4 lanes of a subgroup leave together.
  if (item >= ((p.pixels + 7u) / 8u) * c8) { return; }
  taps8((item / c8) * 8u, item % c8, c4, lane);
}
