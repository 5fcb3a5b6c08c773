// depthwiseConv2dBackwardInputVec4.wgsl: the input gradient of a depthwise
// convolution with depthMultiplier 1 and channels % 4 == 0 where the row
// sweep does not apply (stride 2, as MobileNet's downsampling layers): one
// invocation per input pixel and vec4 of channels, dx = Σ dy · f over the
// output pixels whose window holds it (the stride must divide the offset).
// p: the uniforms declared with this shader in src/kernels/depthwise/webgpu.ts
// (depthwiseConv2d.wgsl's; total = n·h·w·c / 4).

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> dy4: array<vec4f>;   // [n, oh, ow, c / 4]
@group(0) @binding(2) var<storage, read> f4: array<vec4f>;    // [kh, kw, c / 4]
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4f>;  // [n, h, w, c / 4]

fn item(i: u32) {
  if (i >= p.total) { return; }
  let c4 = p.c / 4u;
  let q = i % c4;
  let pixel = i / c4;
  let ix = i32(pixel % p.w);
  let iy = i32((pixel / p.w) % p.h);
  let b = pixel / (p.w * p.h);
  var s = vec4f(0.0);
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
      s = fma(dy4[((b * p.oh + oy) * p.ow + ox) * c4 + q], f4[(ky * p.kw + kx) * c4 + q], s);
    }
  }
  dx4[i] = s;
}
