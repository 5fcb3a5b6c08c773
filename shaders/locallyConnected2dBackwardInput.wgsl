// locallyConnected2dBackwardInput.wgsl: dx[b,i,j,ci] = sum over the positions
// whose window covers (i, j), with ki = i - oi*sh and kj = j - oj*sw, of
// sum_co dy[b,oi,oj,co] * w[pos, (ki*kw + kj)*cin + ci, co]. A gather per input
// element: no atomics.
// p: the uniforms declared with this shader in src/kernels/locallyConnected2d/webgpu.ts.

override WG: u32 = 256;

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> kernel: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = g.x + g.y * nwg.x * WG;
  if (idx >= p.total) { return; }
  let ci = idx % p.c;
  let j = (idx / p.c) % p.w;
  let i = (idx / (p.c * p.w)) % p.h;
  let b = idx / (p.c * p.w * p.h);
  let k = p.kh * p.kw * p.c;
  // Windows covering row i: oi*sh <= i < oi*sh + kh.
  let oi0 = max((i32(i) - i32(p.kh) + i32(p.sh)) / i32(p.sh), 0);
  let oi1 = min(i32(i) / i32(p.sh), i32(p.oh) - 1);
  let oj0 = max((i32(j) - i32(p.kw) + i32(p.sw)) / i32(p.sw), 0);
  let oj1 = min(i32(j) / i32(p.sw), i32(p.ow) - 1);
  var s = 0.0;
  for (var oi = oi0; oi <= oi1; oi++) {
    for (var oj = oj0; oj <= oj1; oj++) {
      let pos = u32(oi) * p.ow + u32(oj);
      let t = ((i - u32(oi) * p.sh) * p.kw + (j - u32(oj) * p.sw)) * p.c + ci;
      let d = ((b * p.oh + u32(oi)) * p.ow + u32(oj)) * p.cout;
      for (var co = 0u; co < p.cout; co++) {
        s += dy[d + co] * kernel[(pos * k + t) * p.cout + co];
      }
    }
  }
  dx[idx] = s;
}
