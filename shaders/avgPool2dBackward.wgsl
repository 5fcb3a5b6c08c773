// avgPool2dBackward.wgsl: dx[pixel] = sum over the windows covering the pixel
// of dy / (real pixels in that window). A gather per input element: no atomics.
// p: the uniforms declared with this shader in src/kernels/pool2d/webgpu.ts.

override WG: u32 = 256;

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = g.x + g.y * nwg.x * WG;
  if (idx >= p.total) { return; }
  let ch = idx % p.c;
  let j = (idx / p.c) % p.w;
  let i = (idx / (p.c * p.w)) % p.h;
  let b = idx / (p.c * p.w * p.h);
  let ip = i32(i + p.padTop);
  let jp = i32(j + p.padLeft);
  let oi0 = max((ip - i32(p.kh) + i32(p.sh)) / i32(p.sh), 0);
  let oi1 = min(ip / i32(p.sh), i32(p.oh) - 1);
  let oj0 = max((jp - i32(p.kw) + i32(p.sw)) / i32(p.sw), 0);
  let oj1 = min(jp / i32(p.sw), i32(p.ow) - 1);
  var s = 0.0;
  for (var oi = oi0; oi <= oi1; oi++) {
    let r0 = max(oi * i32(p.sh) - i32(p.padTop), 0);
    let r1 = min(oi * i32(p.sh) + i32(p.kh) - i32(p.padTop), i32(p.h));
    for (var oj = oj0; oj <= oj1; oj++) {
      let c0 = max(oj * i32(p.sw) - i32(p.padLeft), 0);
      let c1 = min(oj * i32(p.sw) + i32(p.kw) - i32(p.padLeft), i32(p.w));
      s += dy[((b * p.oh + u32(oi)) * p.ow + u32(oj)) * p.c + ch] / f32((r1 - r0) * (c1 - c0));
    }
  }
  dx[idx] = s;
}
