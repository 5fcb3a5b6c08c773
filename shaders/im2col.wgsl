// im2col.wgsl: unrolls every conv window into a row, so convolution becomes
// one GEMM: col[M = n*oh*ow, K = kh*kw*cin] with
//   col[(b, oy, ox), (ky, kx, ci)] = x[b, oy*sh - padTop + ky*dh, ox*sw - padLeft + kx*dw, ci]
// and zero where that pixel falls in the padding. Column order (ky, kx, ci)
// matches the kernel layout [kh, kw, cin, cout], so the kernel is already the
// GEMM's B matrix [K, cout] with no copy.

struct Params {
  n: u32, h: u32, w: u32, c: u32,  // input [n, h, w, c]
  kh: u32, kw: u32,                // kernel size
  sh: u32, sw: u32,                // strides
  dh: u32, dw: u32,                // dilations
  oh: u32, ow: u32,                // output size
  padTop: u32, padLeft: u32,       // TF 'same' puts the odd pad at bottom/right: only top/left shift indices
  total: u32,                      // M * K, the element count of col
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> col: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = g.x + g.y * nwg.x * WG;
  if (i >= p.total) { return; }
  let K = p.kh * p.kw * p.c;
  let row = i / K;
  let k = i % K;
  let ci = k % p.c;
  let kx = (k / p.c) % p.kw;
  let ky = k / (p.c * p.kw);
  let ox = row % p.ow;
  let oy = (row / p.ow) % p.oh;
  let b = row / (p.ow * p.oh);
  let iy = i32(oy * p.sh + ky * p.dh) - i32(p.padTop);
  let ix = i32(ox * p.sw + kx * p.dw) - i32(p.padLeft);
  var v = 0.0;
  if (iy >= 0 && iy < i32(p.h) && ix >= 0 && ix < i32(p.w)) {
    v = x[((b * p.h + u32(iy)) * p.w + u32(ix)) * p.c + ci];
  }
  col[i] = v;
}
