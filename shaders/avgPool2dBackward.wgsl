// avgPool2dBackward.wgsl: dx[pixel] = sum over the windows covering the pixel
// of dy / (real pixels in that window). A gather per input element: no atomics.
// p: the uniforms declared with this shader in src/kernels/pool2d/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

fn item(idx: u32) {
  if (idx >= p.total) { return; }
  let ch = idx % p.c;
  let px = pixelOf(idx / p.c, p.h, p.w);
  let b = px.x;
  let ois = coveringOutputs(i32(px.y + p.padTop), p.kh, p.sh, p.oh);
  let ojs = coveringOutputs(i32(px.z + p.padLeft), p.kw, p.sw, p.ow);
  var s = 0.0;
  for (var oi = ois.x; oi <= ois.y; oi++) {
    let r0 = max(oi * i32(p.sh) - i32(p.padTop), 0);
    let r1 = min(oi * i32(p.sh) + i32(p.kh) - i32(p.padTop), i32(p.h));
    for (var oj = ojs.x; oj <= ojs.y; oj++) {
      let c0 = max(oj * i32(p.sw) - i32(p.padLeft), 0);
      let c1 = min(oj * i32(p.sw) + i32(p.kw) - i32(p.padLeft), i32(p.w));
      s += dy[((b * p.oh + u32(oi)) * p.ow + u32(oj)) * p.c + ch] / f32((r1 - r0) * (c1 - c0));
    }
  }
  dx[idx] = s;
}
