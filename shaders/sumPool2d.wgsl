// sumPool2d.wgsl: y = the sum of the window's real pixels (NHWC), or with L2
// (the l2Pool2d pipeline) the square root of the sum of their squares. Padded
// cells ('same') add nothing. One invocation per output element.
// p: the uniforms declared with this shader in src/kernels/pool2d/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl
override L2: bool = false;  // L2-norm pooling

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn item(o: u32) {
  if (o >= p.total) { return; }
  let ch = o % p.c;
  let px = pixelOf(o / p.c, p.oh, p.ow);
  let b = px.x;
  let i0 = max(i32(px.y * p.sh) - i32(p.padTop), 0);
  let i1 = min(i32(px.y * p.sh + p.kh) - i32(p.padTop), i32(p.h));
  let j0 = max(i32(px.z * p.sw) - i32(p.padLeft), 0);
  let j1 = min(i32(px.z * p.sw + p.kw) - i32(p.padLeft), i32(p.w));
  var s = 0.0;
  for (var i = i0; i < i1; i++) {
    for (var j = j0; j < j1; j++) {
      let v = x[((b * p.h + u32(i)) * p.w + u32(j)) * p.c + ch];
      s += select(v, v * v, L2);
    }
  }
  y[o] = select(s, sqrt(s), L2);
}
