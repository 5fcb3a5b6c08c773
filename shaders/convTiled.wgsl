// convTiled.wgsl: a convolution pass as an implicit GEMM through the 64x64
// workgroup-memory tiles of lib/gemmTile.wgsl; the loads compute each operand's
// NHWC index from the window, so no column matrix is made. PASS picks the product:
//   0 forward  y[pixel, co]  = sum over (ky, kx, ci) of x[window(pixel, ky, kx), ci] * w[ky, kx, ci, co]
//   1 dx       dx[pixel, ci] = sum over (ky, kx, co) of dy[pixel reached by tap ky, kx, co] * w[ky, kx, ci, co]
//   2 dW       dW[(ky, kx, ci), co] = sum over output pixels of x[window(pixel, ky, kx), ci] * dy[pixel, co]
// Taps outside the image (padding), and dx's taps that no output pixel reaches
// (strides), read as 0. Four values along the contiguous channel axis load as one
// vec4 where channels come in whole vec4s (VEC_A, VEC_B).
// p: the uniforms declared with this shader in src/kernels/conv2d/tiled.ts.

override PASS: u32 = 0u;
override VEC_A: bool = false;  // the 4 channels of a's loads are one aligned vec4: c % 4 == 0 (forward, dW), cout % 4 == 0 (dx)
override VEC_B: bool = false;  // cout % 4 == 0
// Forward and dx load A along k (channels of one tap), dW along m (taps are its rows).
override A_ALONG_K: bool = PASS != 2u;
// dx reads w as B^T (4 output channels of one input channel), the others along n.
override B_ALONG_N: bool = PASS != 1u;

@group(0) @binding(1) var<storage, read> a: array<f32>;     // x (forward, dW) or dy (dx)
@group(0) @binding(2) var<storage, read> a4: array<vec4f>;  // the same buffer viewed as vec4
@group(0) @binding(3) var<storage, read> b: array<f32>;     // w (forward, dx) or dy (dW)
@group(0) @binding(4) var<storage, read> b4: array<vec4f>;  // the same buffer viewed as vec4

/** Where x's tap (ky, kx) of output pixel `pixel` sits, as x's element index of channel 0, or -1 in the padding. */
fn xOffset(pixel: u32, ky: u32, kx: u32) -> i32 {
  let ox = pixel % p.ow;
  let oy = (pixel / p.ow) % p.oh;
  let bi = pixel / (p.ow * p.oh);
  let iy = i32(oy * p.sh + ky * p.dh) - i32(p.padTop);
  let ix = i32(ox * p.sw + kx * p.dw) - i32(p.padLeft);
  if (iy < 0 || ix < 0 || iy >= i32(p.h) || ix >= i32(p.w)) { return -1; }
  return ((i32(bi) * i32(p.h) + iy) * i32(p.w) + ix) * i32(p.c);
}

/** Where dy's pixel that x's pixel `pixel` meets through tap (ky, kx) sits, as dy's index of channel 0, or -1 if none. */
fn dyOffset(pixel: u32, ky: u32, kx: u32) -> i32 {
  let xx = pixel % p.w;
  let xy = (pixel / p.w) % p.h;
  let bi = pixel / (p.w * p.h);
  let ty = i32(xy + p.padTop) - i32(ky * p.dh);
  let tx = i32(xx + p.padLeft) - i32(kx * p.dw);
  if (ty < 0 || tx < 0 || ty % i32(p.sh) != 0 || tx % i32(p.sw) != 0) { return -1; }
  let oy = ty / i32(p.sh);
  let ox = tx / i32(p.sw);
  if (oy >= i32(p.oh) || ox >= i32(p.ow)) { return -1; }
  return ((i32(bi) * i32(p.oh) + oy) * i32(p.ow) + ox) * i32(p.cout);
}

/** x at tap `tap` = (ky, kx, ci) of output pixel `pixel` (0 in the padding). */
fn xTap(pixel: u32, tap: u32) -> f32 {
  let ci = tap % p.c;
  let kx = (tap / p.c) % p.kw;
  let o = xOffset(pixel, tap / (p.c * p.kw), kx);
  if (o < 0) { return 0.0; }
  return a[u32(o) + ci];
}

/** dy at term `term` = (ky, kx, co) of dx's pixel `pixel` (0 where no output pixel is reached). */
fn dyTerm(pixel: u32, term: u32) -> f32 {
  let co = term % p.cout;
  let kx = (term / p.cout) % p.kw;
  let o = dyOffset(pixel, term / (p.cout * p.kw), kx);
  if (o < 0) { return 0.0; }
  return a[u32(o) + co];
}

fn fetchA(i: u32, kk: u32, kEnd: u32) -> vec4f {
  if (PASS == 2u) {
    // dW: A[tap i][pixel kk], 4 taps (channels ci..ci+3 of one (ky, kx) when VEC_A).
    if (kk >= kEnd) { return vec4f(0.0); }
    if (VEC_A && i < p.m) {
      let o = xOffset(kk, i / (p.c * p.kw), (i / p.c) % p.kw);
      if (o < 0) { return vec4f(0.0); }
      return a4[(u32(o) + i % p.c) / 4u];
    }
    var v = vec4f(0.0);
    for (var t = 0u; t < 4u; t++) { if (i + t < p.m) { v[t] = xTap(kk, i + t); } }
    return v;
  }
  if (i >= p.m) { return vec4f(0.0); }
  let chans = select(p.c, p.cout, PASS == 1u);
  if (VEC_A && kk < kEnd) {
    // 4 channels of one tap: one vec4 of x (forward) or of dy (dx).
    let ky = kk / (chans * p.kw);
    let kx = (kk / chans) % p.kw;
    var o: i32;
    if (PASS == 1u) { o = dyOffset(i, ky, kx); } else { o = xOffset(i, ky, kx); }
    if (o < 0) { return vec4f(0.0); }
    return a4[(u32(o) + kk % chans) / 4u];
  }
  var v = vec4f(0.0);
  for (var t = 0u; t < 4u; t++) {
    if (kk + t >= kEnd) { break; }
    if (PASS == 1u) { v[t] = dyTerm(i, kk + t); } else { v[t] = xTap(i, kk + t); }
  }
  return v;
}

fn fetchB(kk: u32, j: u32, kEnd: u32) -> vec4f {
  if (PASS == 1u) {
    // dx: B[(ky, kx, co)][ci] = w[ky, kx, ci, co], 4 output channels of input channel j.
    if (j >= p.n) { return vec4f(0.0); }
    if (VEC_B && kk < kEnd) { return b4[((kk / p.cout) * p.c * p.cout + j * p.cout + kk % p.cout) / 4u]; }
    var v = vec4f(0.0);
    for (var t = 0u; t < 4u; t++) {
      let term = kk + t;
      if (term < kEnd) { v[t] = b[(term / p.cout) * p.c * p.cout + j * p.cout + term % p.cout]; }
    }
    return v;
  }
  // Forward: w as [K, cout]; dW: dy as [pixels, cout].
  if (kk >= kEnd) { return vec4f(0.0); }
  if (VEC_B && j < p.n) { return b4[(kk * p.n + j) / 4u]; }
  var v = vec4f(0.0);
  for (var t = 0u; t < 4u; t++) { if (j + t < p.n) { v[t] = b[kk * p.n + j + t]; } }
  return v;
}

//! include lib/fusedActivation.wgsl
//! include lib/gemmTile.wgsl
