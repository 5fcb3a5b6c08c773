// depthwiseConv2dSweep.wgsl: the depthwise convolution for a 3x3 window with
// depthMultiplier 1, channels % 4 == 0, column dilation 1 and column stride 1
// or 2 (MobileNet's layers). An invocation sweeps a run of RUN output pixels
// along one row for one vec4 of channels: the 9 taps' weights stay in
// registers and the window's three input columns slide with the output, so
// each input value is read once per run instead of once per tap.
// FLIP: the input gradient at stride 1 (dy through the window turned 180
// degrees, with the padding mirrored by the caller); bias and the fused
// activation (act: 0 none, 1 relu, 2 relu6) only in the forward.
// p: the uniforms declared with this shader in src/kernels/depthwise/webgpu.ts.

//! include lib/invocation.wgsl
override FLIP: bool = false;
override HAS_BIAS: bool = false;
const RUN: u32 = 8u;

@group(0) @binding(1) var<storage, read> x4: array<vec4f>;    // [n, h, w, c / 4]
@group(0) @binding(2) var<storage, read> f4: array<vec4f>;    // [3, 3, c / 4]
@group(0) @binding(3) var<storage, read> bias4: array<vec4f>; // [c / 4]; a 16-byte dummy when !HAS_BIAS
@group(0) @binding(4) var<storage, read_write> y4: array<vec4f>;  // [n, oh, ow, c / 4]

/** One input column of the window: its three rows. */
struct Col { r0: vec4f, r1: vec4f, r2: vec4f }

/** The vec4 at (row start `at`, column ix); 0 outside the image (at < 0: a row outside). */
fn load(at: i32, ix: i32, c4: u32, q: u32) -> vec4f {
  let ok = at >= 0 && ix >= 0 && ix < i32(p.w);
  return select(vec4f(0.0), x4[select(0u, (u32(at) + u32(ix)) * c4 + q, ok)], ok);
}

fn column(a0: i32, a1: i32, a2: i32, ix: i32, c4: u32, q: u32) -> Col {
  return Col(load(a0, ix, c4, q), load(a1, ix, c4, q), load(a2, ix, c4, q));
}

/** Pixel index of input row iy's first pixel in image b, or -1 outside the image. */
fn rowStart(b: u32, iy: i32) -> i32 {
  return select(-1, i32(b * p.h) * i32(p.w) + iy * i32(p.w), iy >= 0 && iy < i32(p.h));
}

fn weight(ky: u32, kx: u32, c4: u32, q: u32) -> vec4f {
  if (FLIP) { return f4[((2u - ky) * 3u + 2u - kx) * c4 + q]; }
  return f4[(ky * 3u + kx) * c4 + q];
}

fn activate(v: vec4f) -> vec4f {
  if (p.act == 1u) { return max(v, vec4f(0.0)); }
  if (p.act == 2u) { return clamp(v, vec4f(0.0), vec4f(6.0)); }
  return v;
}

fn item(i: u32) {
  let c4 = p.c / 4u;
  let runs = (p.ow + RUN - 1u) / RUN;
  if (i >= p.n * p.oh * runs * c4) { return; }
  let q = i % c4;
  let r = (i / c4) % runs;
  let oy = (i / (c4 * runs)) % p.oh;
  let b = i / (c4 * runs * p.oh);
  let w00 = weight(0u, 0u, c4, q); let w01 = weight(0u, 1u, c4, q); let w02 = weight(0u, 2u, c4, q);
  let w10 = weight(1u, 0u, c4, q); let w11 = weight(1u, 1u, c4, q); let w12 = weight(1u, 2u, c4, q);
  let w20 = weight(2u, 0u, c4, q); let w21 = weight(2u, 1u, c4, q); let w22 = weight(2u, 2u, c4, q);
  var bv = vec4f(0.0);
  if (HAS_BIAS) { bv = bias4[q]; }
  let iy0 = i32(oy * p.sh) - i32(p.padTop);
  let a0 = rowStart(b, iy0);
  let a1 = rowStart(b, iy0 + i32(p.dh));
  let a2 = rowStart(b, iy0 + 2 * i32(p.dh));
  let ox0 = r * RUN;
  let end = min(ox0 + RUN, p.ow);
  var ix = i32(ox0 * p.sw) - i32(p.padLeft);  // the window's first column for output ox
  var c0 = column(a0, a1, a2, ix, c4, q);
  var c1 = column(a0, a1, a2, ix + 1, c4, q);
  var c2 = column(a0, a1, a2, ix + 2, c4, q);
  var at = ((b * p.oh + oy) * p.ow + ox0) * c4 + q;
  for (var ox = ox0; ox < end; ox++) {
    var s = bv;
    s = fma(c0.r0, w00, fma(c1.r0, w01, fma(c2.r0, w02, s)));
    s = fma(c0.r1, w10, fma(c1.r1, w11, fma(c2.r1, w12, s)));
    s = fma(c0.r2, w20, fma(c1.r2, w21, fma(c2.r2, w22, s)));
    y4[at] = activate(s);
    at += c4;
    // slide the window: at stride 1 two columns stay, at stride 2 one
    ix += i32(p.sw);
    if (p.sw == 1u) {
      c0 = c1; c1 = c2;
    } else {
      c0 = c2;
      c1 = column(a0, a1, a2, ix + 1, c4, q);
    }
    c2 = column(a0, a1, a2, ix + 2, c4, q);
  }
}
