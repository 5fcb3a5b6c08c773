// augmentTransform.wgsl: TF.js's tf.image.transform on NHWC (FLOW = 0) and
// the displacement-field sampler of the elastic distortion (FLOW = 1): dst
// [n, oh, ow, c] from src [n, h, w, c], one invocation per output, reading
// where lib/augmentSample.wgsl says; projection 0 gives p.fillValue.
// p: the uniforms declared with this shader in src/kernels/augment/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl
//! include lib/augmentSample.wgsl

override NEAREST: u32 = 0;
override FLOW: u32 = 0;

@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> aux: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

fn item(i: u32) {
  if (i >= p.total) { return; }
  let ch = i % p.c;
  let px = pixelOf(i / p.c, p.oh, p.ow);
  let s = sourceOf(px.x, px.y, px.z);
  if (!s.ok) { dst[i] = p.fillValue; return; }
  let t = tapsAt(s.y, s.x);
  var v = t.fill * p.fillValue;
  for (var k = 0u; k < 4u; k++) {
    if (t.wts[k] != 0.0) { v += t.wts[k] * src[((px.x * p.h + u32(t.rows[k])) * p.w + u32(t.cols[k])) * p.c + ch]; }
  }
  dst[i] = v;
}
