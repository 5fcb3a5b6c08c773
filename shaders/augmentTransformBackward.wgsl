// augmentTransformBackward.wgsl: the adjoint of augmentTransform.wgsl with
// respect to the image: dImage [n, h, w, c] from dy [n, oh, ow, c], one
// invocation per image element gathering, over the outputs of its image, the
// dy of those whose taps (lib/augmentSample.wgsl) read it, with their weights
// (a gather, so no atomics and a fixed summation order).
// p: the uniforms declared with augmentTransform.wgsl in src/kernels/augment/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl
//! include lib/augmentSample.wgsl

override NEAREST: u32 = 0;
override FLOW: u32 = 0;

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> aux: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

fn item(i: u32) {
  if (i >= p.total) { return; }
  let ch = i % p.c;
  let px = pixelOf(i / p.c, p.h, p.w);
  let row = i32(px.y);
  let col = i32(px.z);
  var acc = 0.0;
  for (var oy = 0u; oy < p.oh; oy++) {
    for (var ox = 0u; ox < p.ow; ox++) {
      let s = sourceOf(px.x, oy, ox);
      if (!s.ok) { continue; }
      let t = tapsAt(s.y, s.x);
      var wt = 0.0;
      for (var k = 0u; k < 4u; k++) {
        if (t.rows[k] == row && t.cols[k] == col) { wt += t.wts[k]; }
      }
      if (wt != 0.0) { acc += wt * dy[((px.x * p.oh + oy) * p.ow + ox) * p.c + ch]; }
    }
  }
  dst[i] = acc;
}
