// avgPool2d.wgsl: y = mean of the window's real pixels (NHWC). 'same' windows
// that overhang the image divide by the pixels inside it only, as TensorFlow.
// One invocation per output element.
// p: the uniforms declared with this shader in src/kernels/pool2d/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn item(o: u32) {
  if (o >= p.total) { return; }
  let ch = o % p.c;
  let px = pixelOf(o / p.c, p.oh, p.ow);
  let b = px.x;
  let oi = px.y;
  let oj = px.z;
  let i0 = max(i32(oi * p.sh) - i32(p.padTop), 0);
  let i1 = min(i32(oi * p.sh + p.kh) - i32(p.padTop), i32(p.h));
  let j0 = max(i32(oj * p.sw) - i32(p.padLeft), 0);
  let j1 = min(i32(oj * p.sw + p.kw) - i32(p.padLeft), i32(p.w));
  var s = 0.0;
  for (var i = i0; i < i1; i++) {
    for (var j = j0; j < j1; j++) {
      s += x[((b * p.h + u32(i)) * p.w + u32(j)) * p.c + ch];
    }
  }
  y[o] = s / f32((i1 - i0) * (j1 - j0));
}
