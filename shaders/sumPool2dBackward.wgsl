// sumPool2dBackward.wgsl: dx[pixel] = the sum of dy over the windows covering
// the pixel (sum pooling's gradient is one), or with L2 (the l2Pool2dBackward
// pipeline) x[pixel] times the sum of dy / y over them, where y is each
// window's norm and a window whose norm is 0 adds 0. A gather per input
// element: no atomics. Sum pooling binds dy in place of x and y (never read).
// p: the uniforms declared with this shader in src/kernels/pool2d/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl
override L2: bool = false;  // L2-norm pooling

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

fn item(idx: u32) {
  if (idx >= p.total) { return; }
  let ch = idx % p.c;
  let px = pixelOf(idx / p.c, p.h, p.w);
  let b = px.x;
  let ois = coveringOutputs(i32(px.y + p.padTop), p.kh, p.sh, p.oh);
  let ojs = coveringOutputs(i32(px.z + p.padLeft), p.kw, p.sw, p.ow);
  var s = 0.0;
  for (var oi = ois.x; oi <= ois.y; oi++) {
    for (var oj = ojs.x; oj <= ojs.y; oj++) {
      let o = ((b * p.oh + u32(oi)) * p.ow + u32(oj)) * p.c + ch;
      if (L2) {
        let norm = y[o];
        s += select(dy[o] / norm, 0.0, norm == 0.0);
      } else {
        s += dy[o];
      }
    }
  }
  if (L2) {
    dx[idx] = x[idx] * s;
  } else {
    dx[idx] = s;
  }
}
