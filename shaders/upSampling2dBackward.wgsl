// upSampling2dBackward.wgsl: dx [n, h, w, c] from dy [n, h*sh, w*sw, c], the
// adjoint of upSampling2d.wgsl: each input pixel gathers the dy of the outputs
// that read it, weighted as they read it (no atomics). One invocation per
// input element. Nearest: the sh x sw block of outputs over the pixel.
// Bilinear: outputs of rows (i - 1) * sh .. (i + 1) * sh - 1 read row i as
// their top (weight 1 - frac) or their bottom (weight frac; the last row is
// both for the outputs past it), and likewise along columns.
// p: the uniforms declared with this shader in src/kernels/decoder/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl

override BILINEAR: u32 = 0;

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

// The weight with which output o (axis upsampled by s, input length n) reads input i.
fn weight(i: u32, o: u32, s: u32, n: u32) -> f32 {
  let top = o / s;
  let bottom = min(top + 1u, n - 1u);
  let frac = f32(o - top * s) / f32(s);
  var wt = 0.0;
  if (top == i) { wt += 1.0 - frac; }
  if (bottom == i) { wt += frac; }
  return wt;
}

fn item(idx: u32) {
  if (idx >= p.total) { return; }
  let ch = idx % p.c;
  let px = pixelOf(idx / p.c, p.h, p.w);
  let b = px.x;
  let i = px.y;
  let j = px.z;
  var s = 0.0;
  if (BILINEAR == 0u) {
    for (var oi = i * p.sh; oi < (i + 1u) * p.sh; oi++) {
      for (var oj = j * p.sw; oj < (j + 1u) * p.sw; oj++) {
        s += dy[((b * p.oh + oi) * p.ow + oj) * p.c + ch];
      }
    }
    dx[idx] = s;
    return;
  }
  let oi0 = select(0u, (i - 1u) * p.sh, i > 0u);
  let oj0 = select(0u, (j - 1u) * p.sw, j > 0u);
  let oi1 = min((i + 1u) * p.sh, p.oh);
  let oj1 = min((j + 1u) * p.sw, p.ow);
  for (var oi = oi0; oi < oi1; oi++) {
    let wy = weight(i, oi, p.sh, p.h);
    if (wy == 0.0) { continue; }
    for (var oj = oj0; oj < oj1; oj++) {
      let wx = weight(j, oj, p.sw, p.w);
      s += wy * wx * dy[((b * p.oh + oi) * p.ow + oj) * p.c + ch];
    }
  }
  dx[idx] = s;
}
