// pad2d.wgsl: zero padding of an NHWC image and its backward, the crop.
//   CROP = 0: y [n, h+top+bottom, w+left+right, c] = x placed at (top, left), zeros around.
//   CROP = 1: dx [n, h, w, c] = the window of dy at (top, left): padding's gradient.
// One invocation per element of the output (the padded image or the crop).
// p: the uniforms declared with this shader in src/kernels/structure/webgpu.ts.

//! include lib/invocation.wgsl
override CROP: u32 = 0;

@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

fn item(o: u32) {
  if (o >= p.total) { return; }
  let ch = o % p.c;
  if (CROP == 1u) {
    let j = (o / p.c) % p.small_w;
    let i = (o / (p.c * p.small_w)) % p.small_h;
    let b = o / (p.c * p.small_w * p.small_h);
    dst[o] = src[((b * p.big_h + i + p.top) * p.big_w + j + p.left) * p.c + ch];
    return;
  }
  let j = i32((o / p.c) % p.big_w) - i32(p.left);
  let i = i32((o / (p.c * p.big_w)) % p.big_h) - i32(p.top);
  let b = o / (p.c * p.big_w * p.big_h);
  var v = 0.0;
  if (i >= 0 && i < i32(p.small_h) && j >= 0 && j < i32(p.small_w)) {
    v = src[((b * p.small_h + u32(i)) * p.small_w + u32(j)) * p.c + ch];
  }
  dst[o] = v;
}
