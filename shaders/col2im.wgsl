// col2im.wgsl: the adjoint of im2col, for conv2dBackwardInput:
//   dx[b, iy, ix, ci] = sum over (ky, kx) of dcol[(b, oy, ox), (ky, kx, ci)]
// for every output pixel (oy, ox) whose window read (iy, ix) at (ky, kx).
// Written as a gather, one invocation per input pixel (all its channels), so
// no two invocations write the same element and no atomics are needed: for
// each (ky, kx), oy = (iy + padTop - ky*dh) / sh must be a whole number in
// [0, oh). Working per pixel pays that index arithmetic (integer division is
// slow on SwiftShader) once per tap instead of once per tap and channel.

struct Params {
  n: u32, h: u32, w: u32, c: u32,  // dx [n, h, w, c]
  kh: u32, kw: u32,                // kernel size
  sh: u32, sw: u32,                // strides
  dh: u32, dw: u32,                // dilations
  oh: u32, ow: u32,                // output size of the forward conv
  padTop: u32, padLeft: u32,       // top/left padding of the forward conv
  total: u32,                      // n * h * w (pixels; each invocation writes c values)
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dcol: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = g.x + g.y * nwg.x * WG;
  if (i >= p.total) { return; }
  let ix = i % p.w;
  let iy = (i / p.w) % p.h;
  let b = i / (p.w * p.h);
  let K = p.kh * p.kw * p.c;
  let dst = i * p.c;
  for (var ci = 0u; ci < p.c; ci++) { dx[dst + ci] = 0.0; }
  for (var ky = 0u; ky < p.kh; ky++) {
    let ty = i32(iy + p.padTop) - i32(ky * p.dh);
    if (ty < 0 || ty % i32(p.sh) != 0) { continue; }
    let oy = u32(ty) / p.sh;
    if (oy >= p.oh) { continue; }
    for (var kx = 0u; kx < p.kw; kx++) {
      let tx = i32(ix + p.padLeft) - i32(kx * p.dw);
      if (tx < 0 || tx % i32(p.sw) != 0) { continue; }
      let ox = u32(tx) / p.sw;
      if (ox >= p.ow) { continue; }
      // This pixel's own c values: read-modify-write without races.
      let src = ((b * p.oh + oy) * p.ow + ox) * K + (ky * p.kw + kx) * p.c;
      for (var ci = 0u; ci < p.c; ci++) { dx[dst + ci] += dcol[src + ci]; }
    }
  }
}
