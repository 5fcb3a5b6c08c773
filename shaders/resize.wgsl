// resize.wgsl: TF.js's resizeBilinear / resizeNearestNeighbor on NHWC and
// their adjoint, one invocation per element of what is written.
// BACKWARD = 0: y [n, oh, ow, c] from x [n, h, w, c], one invocation per output.
// BACKWARD = 1: dx [n, h, w, c] from dy [n, oh, ow, c], one invocation per input
//   element, gathering the dy of the outputs that read it with their weights
//   (no atomics); only outputs whose source lies within two pixels are visited.
// NEAREST = 1: nearest (floor, or round half up with alignCorners); 0: bilinear.
// Source positions are exact rationals num / den in integers (sampleAt), as
// src/kernels/image/cpu.ts's resizeSample; p.align, p.half: TF.js's flags.
// p: the uniforms declared with this shader in src/kernels/image/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl

override NEAREST: u32 = 0;
override BACKWARD: u32 = 0;

@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

struct Sample { lo: u32, hi: u32, frac: f32 }

fn effective(size: u32, outSize: u32) -> i32 {
  return i32(select(size, size - 1u, p.align != 0u && outSize > 1u));
}

// Where output o of an axis resized from inSize to outSize reads.
fn sampleAt(o: u32, inSize: u32, outSize: u32) -> Sample {
  let ein = effective(inSize, outSize);
  let eout = effective(outSize, outSize);
  let den = 2 * eout;
  let k = i32(o);
  if (NEAREST == 1u) {
    var num = 2 * k * ein;
    if (p.half != 0u) {
      num = (2 * k + 1) * ein;
    } else if (p.align != 0u) {
      num = 2 * k * ein + eout;
    }
    let near = min(u32(num / den), inSize - 1u);
    return Sample(near, near, 0.0);
  }
  var num = 2 * k * ein;
  if (p.half != 0u) { num = (2 * k + 1) * ein - eout; }
  if (num <= 0) { return Sample(0u, 0u, 0.0); }
  let lo = num / den;
  let rem = num - lo * den;
  return Sample(u32(lo), min(inSize - 1u, u32(select(lo, lo + 1, rem > 0))), f32(rem) / f32(den));
}

// The weight with which output o reads input i along an axis.
fn weight(i: u32, o: u32, inSize: u32, outSize: u32) -> f32 {
  let s = sampleAt(o, inSize, outSize);
  var wt = 0.0;
  if (s.lo == i) { wt += 1.0 - s.frac; }
  if (s.hi == i) { wt += s.frac; }
  return wt;
}

// The outputs [first, last] along an axis that can read input i: those whose
// source lies within two pixels of i (all of them when the input has one pixel).
fn outputRange(i: u32, inSize: u32, outSize: u32) -> vec2u {
  let ein = effective(inSize, outSize);
  let eout = effective(outSize, outSize);
  if (ein == 0) { return vec2u(0u, outSize - 1u); }
  let k = i32(i);
  let first = select(0, (k - 2) * eout / ein - 1, k >= 2);
  let last = ((k + 2) * eout + ein - 1) / ein + 1;
  return vec2u(u32(max(first, 0)), u32(min(last, i32(outSize) - 1)));
}

fn forward(o: u32) {
  let ch = o % p.c;
  let px = pixelOf(o / p.c, p.oh, p.ow);
  let base = px.x * p.h;
  let r = sampleAt(px.y, p.h, p.oh);
  let s = sampleAt(px.z, p.w, p.ow);
  let tl = src[((base + r.lo) * p.w + s.lo) * p.c + ch];
  let tr = src[((base + r.lo) * p.w + s.hi) * p.c + ch];
  let bl = src[((base + r.hi) * p.w + s.lo) * p.c + ch];
  let br = src[((base + r.hi) * p.w + s.hi) * p.c + ch];
  let top = tl + (tr - tl) * s.frac;
  let bottom = bl + (br - bl) * s.frac;
  dst[o] = top + (bottom - top) * r.frac;
}

fn backward(idx: u32) {
  let ch = idx % p.c;
  let px = pixelOf(idx / p.c, p.h, p.w);
  let rows = outputRange(px.y, p.h, p.oh);
  let cols = outputRange(px.z, p.w, p.ow);
  var acc = 0.0;
  for (var oi = rows.x; oi <= rows.y; oi++) {
    let wy = weight(px.y, oi, p.h, p.oh);
    if (wy == 0.0) { continue; }
    for (var oj = cols.x; oj <= cols.y; oj++) {
      let wx = weight(px.z, oj, p.w, p.ow);
      if (wx == 0.0) { continue; }
      acc += wy * wx * src[((px.x * p.oh + oi) * p.ow + oj) * p.c + ch];
    }
  }
  dst[idx] = acc;
}

fn item(i: u32) {
  if (i >= p.total) { return; }
  if (BACKWARD == 1u) {
    backward(i);
  } else {
    forward(i);
  }
}
