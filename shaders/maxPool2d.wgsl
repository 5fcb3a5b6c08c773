// maxPool2d.wgsl: y[b,oi,oj,ch] = max over the window's real pixels (NHWC).
// Padded cells are outside the image and never win, as in TensorFlow.
// One invocation per output element.

struct Params {
  n: u32, h: u32, w: u32, c: u32,
  oh: u32, ow: u32, kh: u32, kw: u32,
  sh: u32, sw: u32, padTop: u32, padLeft: u32,
  total: u32,  // n * oh * ow * c
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let o = g.x + g.y * nwg.x * WG;
  if (o >= p.total) { return; }
  let ch = o % p.c;
  let oj = (o / p.c) % p.ow;
  let oi = (o / (p.c * p.ow)) % p.oh;
  let b = o / (p.c * p.ow * p.oh);
  var best = 0.0;
  var found = false;
  for (var ki = 0u; ki < p.kh; ki++) {
    let i = i32(oi * p.sh + ki) - i32(p.padTop);
    if (i < 0 || i >= i32(p.h)) { continue; }
    for (var kj = 0u; kj < p.kw; kj++) {
      let j = i32(oj * p.sw + kj) - i32(p.padLeft);
      if (j < 0 || j >= i32(p.w)) { continue; }
      let v = x[((b * p.h + u32(i)) * p.w + u32(j)) * p.c + ch];
      // Strict >: the first maximum in row-major order is kept (the backward relies on it).
      if (!found || v > best) { best = v; found = true; }
    }
  }
  y[o] = best;
}
