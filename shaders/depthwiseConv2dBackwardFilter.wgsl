// depthwiseConv2dBackwardFilter.wgsl: dW[ky, kx, ch, q] = Σ over batch and
// output pixels of dy[.., ch·m + q] · x[the window's pixel, ch]. One workgroup
// per filter element: its invocations stride over the output pixels and add
// their sums in a tree, so long images spread over the workgroup.
// p: the uniforms declared with this shader in src/kernels/depthwise/webgpu.ts.

const LANES: u32 = 64u;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dw: array<f32>;

var<workgroup> partial: array<f32, LANES>;

@compute @workgroup_size(LANES)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lane: u32) {
  let e = wg.x + wg.y * nwg.x;
  let inRange = e < p.total;
  let q = e % p.m;
  let ch = (e / p.m) % p.c;
  let kx = (e / (p.m * p.c)) % p.kw;
  let ky = e / (p.m * p.c * p.kw);
  let cm = p.c * p.m;
  let pixels = p.n * p.oh * p.ow;
  var s = 0.0;
  if (inRange) {
    for (var pix = lane; pix < pixels; pix += LANES) {
      let ox = pix % p.ow;
      let oy = (pix / p.ow) % p.oh;
      let b = pix / (p.ow * p.oh);
      let iy = i32(oy * p.sh + ky * p.dh) - i32(p.padTop);
      let ix = i32(ox * p.sw + kx * p.dw) - i32(p.padLeft);
      if (iy < 0 || iy >= i32(p.h) || ix < 0 || ix >= i32(p.w)) { continue; }
      s += dy[pix * cm + ch * p.m + q] * x[((b * p.h + u32(iy)) * p.w + u32(ix)) * p.c + ch];
    }
  }
  partial[lane] = s;
  workgroupBarrier();
  for (var stride = LANES / 2u; stride > 0u; stride /= 2u) {
    if (lane < stride) { partial[lane] += partial[lane + stride]; }
    workgroupBarrier();
  }
  if (lane == 0u && inRange) { dw[e] = partial[0]; }
}
