// upSampling2d.wgsl: y [n, h*sh, w*sw, c] from x [n, h, w, c] by whole factors,
// as TF.js's resizeNearestNeighbor / resizeBilinear (alignCorners and
// halfPixelCenters false). One invocation per output element.
// BILINEAR = 0: nearest, y = x[oi / sh, oj / sw]; 1: bilinear between row
// oi / sh and the next (clamped), by (oi mod sh) / sh, and likewise along columns.
// p: the uniforms declared with this shader in src/kernels/decoder/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl

override BILINEAR: u32 = 0;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn at(b: u32, i: u32, j: u32, ch: u32) -> f32 {
  return x[((b * p.h + i) * p.w + j) * p.c + ch];
}

fn item(o: u32) {
  if (o >= p.total) { return; }
  let ch = o % p.c;
  let px = pixelOf(o / p.c, p.oh, p.ow);
  let b = px.x;
  let top = px.y / p.sh;
  let left = px.z / p.sw;
  if (BILINEAR == 0u) {
    y[o] = at(b, top, left, ch);
    return;
  }
  let bottom = min(top + 1u, p.h - 1u);
  let right = min(left + 1u, p.w - 1u);
  let rowFrac = f32(px.y - top * p.sh) / f32(p.sh);
  let colFrac = f32(px.z - left * p.sw) / f32(p.sw);
  let tl = at(b, top, left, ch);
  let tr = at(b, top, right, ch);
  let bl = at(b, bottom, left, ch);
  let br = at(b, bottom, right, ch);
  let upper = tl + (tr - tl) * colFrac;
  let lower = bl + (br - bl) * colFrac;
  y[o] = upper + (lower - upper) * rowFrac;
}
