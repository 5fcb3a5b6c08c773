// conv2dDirect.wgsl: convolution as an implicit GEMM, without the im2col copy.
//   y[b, oy, ox, co] = sum over (ky, kx, ci) of
//     x[b, oy*sh - padTop + ky*dh, ox*sw - padLeft + kx*dw, ci] * w[ky, kx, ci, co]  (+ bias[co])
// The im2col path writes and re-reads kh*kw copies of x; for layers with few
// input channels (MNIST's first conv: 25 copies of a 1-channel image) that
// copy costs more than the GEMM. Here each invocation computes a block of 4
// consecutive output pixels by 4 output channels (16 accumulators), reading x
// through the window arithmetic directly: per (tap, ci) 4 scalar loads of x
// and one vec4 of w feed 16 multiply-adds, the same loads per FMA as
// gemm.wgsl. Which path runs is measured per layer shape (kernelTuner.ts).
// Needs cout % 4 == 0 (w and y are read and written as vec4 along cout).

struct Params {
  n: u32, h: u32, w: u32, c: u32,  // input [n, h, w, c]
  kh: u32, kw: u32,                // kernel size
  sh: u32, sw: u32,                // strides
  dh: u32, dw: u32,                // dilations
  oh: u32, ow: u32,                // output size
  padTop: u32, padLeft: u32,       // TF 'same' puts the odd pad at bottom/right: only top/left shift indices
  cout: u32,
  pixels: u32,                     // n * oh * ow
}

override WG: u32 = 64;
override HAS_BIAS: bool = false;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w4: array<vec4f>;   // [kh, kw, cin, cout / 4]
@group(0) @binding(3) var<storage, read> bias: array<vec4f>; // [cout / 4]; a 16-byte dummy when !HAS_BIAS
@group(0) @binding(4) var<storage, read_write> y4: array<vec4f>;  // [pixels, cout / 4]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c4 = p.cout / 4u;
  let item = g.x + g.y * nwg.x * WG;
  let blocks = (p.pixels + 3u) / 4u;
  if (item >= blocks * c4) { return; }
  let q = item % c4;           // which 4 output channels
  let pix0 = (item / c4) * 4u; // the first of 4 output pixels

  // Window origin of each of the 4 pixels (past the last pixel: a copy of it, never stored).
  var iy0: vec4i;
  var ix0: vec4i;
  var rowBase: vec4u;  // b * h
  for (var r = 0u; r < 4u; r++) {
    let pix = min(pix0 + r, p.pixels - 1u);
    let ox = pix % p.ow;
    let rest = pix / p.ow;
    let oy = rest % p.oh;
    let b = rest / p.oh;
    iy0[r] = i32(oy * p.sh) - i32(p.padTop);
    ix0[r] = i32(ox * p.sw) - i32(p.padLeft);
    rowBase[r] = b * p.h;
  }

  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  for (var ky = 0u; ky < p.kh; ky++) {
    let iy = iy0 + vec4i(i32(ky * p.dh));
    let rowOk = (iy >= vec4i(0)) & (iy < vec4i(i32(p.h)));
    for (var kx = 0u; kx < p.kw; kx++) {
      let ix = ix0 + vec4i(i32(kx * p.dw));
      let ok = rowOk & (ix >= vec4i(0)) & (ix < vec4i(i32(p.w)));
      // Taps in the padding read x[0] and are zeroed by the mask.
      let at = select(vec4u(0u), ((rowBase + vec4u(iy)) * p.w + vec4u(ix)) * p.c, ok);
      let keep = select(vec4f(0.0), vec4f(1.0), ok);
      var wAt = (ky * p.kw + kx) * p.c * c4 + q;
      for (var ci = 0u; ci < p.c; ci++) {
        let wv = w4[wAt];
        let xv = vec4f(x[at.x + ci], x[at.y + ci], x[at.z + ci], x[at.w + ci]) * keep;
        acc0 = fma(vec4f(xv.x), wv, acc0);
        acc1 = fma(vec4f(xv.y), wv, acc1);
        acc2 = fma(vec4f(xv.z), wv, acc2);
        acc3 = fma(vec4f(xv.w), wv, acc3);
        wAt += c4;
      }
    }
  }
  var b4 = vec4f(0.0);
  if (HAS_BIAS) { b4 = bias[q]; }
  y4[pix0 * c4 + q] = acc0 + b4;
  if (pix0 + 1u < p.pixels) { y4[(pix0 + 1u) * c4 + q] = acc1 + b4; }
  if (pix0 + 2u < p.pixels) { y4[(pix0 + 2u) * c4 + q] = acc2 + b4; }
  if (pix0 + 3u < p.pixels) { y4[(pix0 + 3u) * c4 + q] = acc3 + b4; }
}
