// depthwiseConv2dBackwardFilterSweep.wgsl: the filter gradient of
// depthwiseConv2dSweep.wgsl's shapes (3x3, depthMultiplier 1, channels % 4 ==
// 0, column dilation 1, column stride 1 or 2) as split-K partial sums: an
// invocation takes one vec4 of channels over one output row, sweeps it with
// the window's three input columns sliding along, and keeps all 9 taps' sums
// in registers. part[row, tap, c / 4]; splitKSum.wgsl adds the rows' slices.
// (One row per invocation: a loop over several rows around this one makes
// SwiftShader's compiler take minutes.)
// p: the uniforms declared with this shader in src/kernels/depthwise/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x4: array<vec4f>;    // [n, h, w, c / 4]
@group(0) @binding(2) var<storage, read> dy4: array<vec4f>;   // [n, oh, ow, c / 4]
@group(0) @binding(3) var<storage, read_write> part4: array<vec4f>;  // [n * oh, 9, c / 4]

struct Col { r0: vec4f, r1: vec4f, r2: vec4f }

fn load(at: i32, ix: i32, c4: u32, q: u32) -> vec4f {
  let ok = at >= 0 && ix >= 0 && ix < i32(p.w);
  return select(vec4f(0.0), x4[select(0u, (u32(at) + u32(ix)) * c4 + q, ok)], ok);
}

fn column(a0: i32, a1: i32, a2: i32, ix: i32, c4: u32, q: u32) -> Col {
  return Col(load(a0, ix, c4, q), load(a1, ix, c4, q), load(a2, ix, c4, q));
}

fn rowStart(b: u32, iy: i32) -> i32 {
  return select(-1, i32(b * p.h) * i32(p.w) + iy * i32(p.w), iy >= 0 && iy < i32(p.h));
}

fn item(i: u32) {
  let c4 = p.c / 4u;
  if (i >= p.n * p.oh * c4) { return; }
  let q = i % c4;
  let row = i / c4;
  let oy = row % p.oh;
  let b = row / p.oh;
  let z = vec4f(0.0);
  var s00 = z; var s01 = z; var s02 = z;
  var s10 = z; var s11 = z; var s12 = z;
  var s20 = z; var s21 = z; var s22 = z;
  let iy0 = i32(oy * p.sh) - i32(p.padTop);
  let a0 = rowStart(b, iy0);
  let a1 = rowStart(b, iy0 + i32(p.dh));
  let a2 = rowStart(b, iy0 + 2 * i32(p.dh));
  var ix = -i32(p.padLeft);
  var c0 = column(a0, a1, a2, ix, c4, q);
  var c1 = column(a0, a1, a2, ix + 1, c4, q);
  var c2 = column(a0, a1, a2, ix + 2, c4, q);
  var at = row * p.ow * c4 + q;
  for (var ox = 0u; ox < p.ow; ox++) {
    let d = dy4[at];
    at += c4;
    s00 = fma(c0.r0, d, s00); s01 = fma(c1.r0, d, s01); s02 = fma(c2.r0, d, s02);
    s10 = fma(c0.r1, d, s10); s11 = fma(c1.r1, d, s11); s12 = fma(c2.r1, d, s12);
    s20 = fma(c0.r2, d, s20); s21 = fma(c1.r2, d, s21); s22 = fma(c2.r2, d, s22);
    ix += i32(p.sw);
    if (p.sw == 1u) {
      c0 = c1; c1 = c2;
    } else {
      c0 = c2;
      c1 = column(a0, a1, a2, ix + 1, c4, q);
    }
    c2 = column(a0, a1, a2, ix + 2, c4, q);
  }
  let base = row * 9u * c4 + q;
  part4[base] = s00; part4[base + c4] = s01; part4[base + 2u * c4] = s02;
  part4[base + 3u * c4] = s10; part4[base + 4u * c4] = s11; part4[base + 5u * c4] = s12;
  part4[base + 6u * c4] = s20; part4[base + 7u * c4] = s21; part4[base + 8u * c4] = s22;
}
