// conv2dDirect.wgsl: convolution as an implicit GEMM, without the im2col copy.
//   y[b, oy, ox, co] = sum over (ky, kx, ci) of
//     x[b, oy*sh - padTop + ky*dh, ox*sw - padLeft + kx*dw, ci] * w[ky, kx, ci, co]  (+ bias[co])
// The im2col path writes and re-reads kh*kw copies of x; for layers with few
// input channels (MNIST's first conv: 25 copies of a 1-channel image) that
// copy costs more than the GEMM. Here each invocation computes a block of 4
// consecutive output pixels by 4 output channels (16 accumulators), reading x
// through the window arithmetic directly: per (tap, ci) 4 scalar loads of x
// and one vec4 of w feed 16 multiply-adds, the same loads per FMA as
// gemm.wgsl. Which path runs is measured per layer shape (kernelTuner.ts).
// Needs cout % 4 == 0 (w and y are read and written as vec4 along cout).
// v2: with cin % 4 == 0 (VEC_X) each invocation computes 8 pixels by 4
// channels and reads x as vec4s along cin: per (tap, 4 input channels) 8 vec4
// loads of x and 4 of w feed 128 multiply-adds, gemm.wgsl's VEC_A ratio, with
// no column matrix written and read back (42 MB per batch of 64 for the
// standard model's second conv).

struct Params {
  n: u32, h: u32, w: u32, c: u32,  // input [n, h, w, c]
  kh: u32, kw: u32,                // kernel size
  sh: u32, sw: u32,                // strides
  dh: u32, dw: u32,                // dilations
  oh: u32, ow: u32,                // output size
  padTop: u32, padLeft: u32,       // TF 'same' puts the odd pad at bottom/right: only top/left shift indices
  cout: u32,
  pixels: u32,                     // n * oh * ow
  relu: u32,                       // 1: y = max(y, 0) after the bias (the fused activation)
}

override WG: u32 = 64;
override HAS_BIAS: bool = false;
override VEC_X: bool = false;  // set only when cin % 4 == 0

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w4: array<vec4f>;   // [kh, kw, cin, cout / 4]
@group(0) @binding(3) var<storage, read> bias: array<vec4f>; // [cout / 4]; a 16-byte dummy when !HAS_BIAS
@group(0) @binding(4) var<storage, read_write> y4: array<vec4f>;  // [pixels, cout / 4]
@group(0) @binding(5) var<storage, read> x4: array<vec4f>;   // the same buffer as x, viewed as vec4

/** acc + a.x * b0 + a.y * b1 + a.z * b2 + a.w * b3: four input channels for one pixel. */
fn mac4(acc: vec4f, a: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> vec4f {
  return fma(vec4f(a.w), b3, fma(vec4f(a.z), b2, fma(vec4f(a.y), b1, fma(vec4f(a.x), b0, acc))));
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
  if (pix < p.pixels) { y4[pix * c4 + q] = select(v, max(v, vec4f(0.0)), p.relu != 0u); }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c4 = p.cout / 4u;
  let item = g.x + g.y * nwg.x * WG;
  let per = select(4u, 8u, VEC_X);  // output pixels per invocation
  let blocks = (p.pixels + per - 1u) / per;
  if (item >= blocks * c4) { return; }
  let q = item % c4;            // which 4 output channels
  let pix0 = (item / c4) * per; // the first of the block's output pixels
  if (VEC_X) {
    main8(pix0, q, c4);
    return;
  }

  // Window origin of each of the 4 pixels (past the last pixel: a copy of it, never stored).
  let o = origins(pix0);
  let iy0 = o.iy;
  let ix0 = o.ix;
  let rowBase = o.rowBase;

  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  for (var ky = 0u; ky < p.kh; ky++) {
    let iy = iy0 + vec4i(i32(ky * p.dh));
    let rowOk = (iy >= vec4i(0)) & (iy < vec4i(i32(p.h)));
    for (var kx = 0u; kx < p.kw; kx++) {
      let ix = ix0 + vec4i(i32(kx * p.dw));
      let ok = rowOk & (ix >= vec4i(0)) & (ix < vec4i(i32(p.w)));
      // Taps in the padding read x[0] and are zeroed by the mask.
      let at = select(vec4u(0u), ((rowBase + vec4u(iy)) * p.w + vec4u(ix)) * p.c, ok);
      let keep = select(vec4f(0.0), vec4f(1.0), ok);
      var wAt = (ky * p.kw + kx) * p.c * c4 + q;
      for (var ci = 0u; ci < p.c; ci++) {
        let wv = w4[wAt];
        let xv = vec4f(x[at.x + ci], x[at.y + ci], x[at.z + ci], x[at.w + ci]) * keep;
        acc0 = fma(vec4f(xv.x), wv, acc0);
        acc1 = fma(vec4f(xv.y), wv, acc1);
        acc2 = fma(vec4f(xv.z), wv, acc2);
        acc3 = fma(vec4f(xv.w), wv, acc3);
        wAt += c4;
      }
    }
  }
  var b4 = vec4f(0.0);
  if (HAS_BIAS) { b4 = bias[q]; }
  storeY(pix0, q, c4, acc0 + b4);
  storeY(pix0 + 1u, q, c4, acc1 + b4);
  storeY(pix0 + 2u, q, c4, acc2 + b4);
  storeY(pix0 + 3u, q, c4, acc3 + b4);
}
