// depthwiseConv2d.wgsl: each input channel convolved with its own depthMultiplier
// filters (NHWC; filter [kh, kw, c, m]; output channel c·m + q). MODE 0, the
// forward: one invocation per output element, y = Σ x · f over the window.
// MODE 1, the input gradient: one invocation per input element, dx = Σ dy · f
// over the output pixels whose window holds it (the stride must divide the
// offset). The forward adds bias (HAS_BIAS) and the fused activation (act: 0
// none, 1 relu, 2 relu6). The filter gradient is depthwiseConv2dBackwardFilter.wgsl.
// p: the uniforms declared with this shader in src/kernels/depthwise/webgpu.ts.

//! include lib/invocation.wgsl
override MODE: u32 = 0u;
override HAS_BIAS: bool = false;

@group(0) @binding(1) var<storage, read> a: array<f32>;   // MODE 0: x; MODE 1: dy
@group(0) @binding(2) var<storage, read> f: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;  // [c * m]; a 16-byte dummy when !HAS_BIAS
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

fn forward(o: u32) {
  let cm = p.c * p.m;
  let oc = o % cm;
  let ch = oc / p.m;
  let q = oc % p.m;
  let pixel = o / cm;
  let ox = pixel % p.ow;
  let oy = (pixel / p.ow) % p.oh;
  let b = pixel / (p.ow * p.oh);
  var s = 0.0;
  if (HAS_BIAS) { s = bias[oc]; }
  for (var ky = 0u; ky < p.kh; ky++) {
    let iy = i32(oy * p.sh + ky * p.dh) - i32(p.padTop);
    if (iy < 0 || iy >= i32(p.h)) { continue; }
    for (var kx = 0u; kx < p.kw; kx++) {
      let ix = i32(ox * p.sw + kx * p.dw) - i32(p.padLeft);
      if (ix < 0 || ix >= i32(p.w)) { continue; }
      s += a[((b * p.h + u32(iy)) * p.w + u32(ix)) * p.c + ch] * f[((ky * p.kw + kx) * p.c + ch) * p.m + q];
    }
  }
  if (p.act == 1u) { s = max(s, 0.0); }
  if (p.act == 2u) { s = clamp(s, 0.0, 6.0); }
  out[o] = s;
}

fn inputGrad(i: u32) {
  let ch = i % p.c;
  let pixel = i / p.c;
  let ix = i32(pixel % p.w);
  let iy = i32((pixel / p.w) % p.h);
  let b = pixel / (p.w * p.h);
  let cm = p.c * p.m;
  var s = 0.0;
  for (var ky = 0u; ky < p.kh; ky++) {
    let ty = iy + i32(p.padTop) - i32(ky * p.dh);
    if (ty < 0 || ty % i32(p.sh) != 0) { continue; }
    let oy = u32(ty) / p.sh;
    if (oy >= p.oh) { continue; }
    for (var kx = 0u; kx < p.kw; kx++) {
      let tx = ix + i32(p.padLeft) - i32(kx * p.dw);
      if (tx < 0 || tx % i32(p.sw) != 0) { continue; }
      let ox = u32(tx) / p.sw;
      if (ox >= p.ow) { continue; }
      let dyAt = ((b * p.oh + oy) * p.ow + ox) * cm + ch * p.m;
      let fAt = ((ky * p.kw + kx) * p.c + ch) * p.m;
      for (var q = 0u; q < p.m; q++) { s += a[dyAt + q] * f[fAt + q]; }
    }
  }
  out[i] = s;
}

fn item(i: u32) {
  if (i >= p.total) { return; }
  if (MODE == 0u) { forward(i); } else { inputGrad(i); }
}
