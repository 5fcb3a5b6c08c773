// sum.wgsl: y = scale * (sum of all elements), a scalar. One workgroup: each
// invocation adds a strided share, then a tree reduction in workgroup memory.
// Sums here are losses, metrics and penalties: one workgroup is plenty, and a
// single dispatch keeps the order of additions fixed (deterministic results).
// scale = 1 / rows turns the per-row losses into their batch mean.
// p: the uniforms declared with this shader in src/kernels/structure/webgpu.ts.

override WG: u32 = 256;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) l: vec3u) {
  var s = 0.0;
  for (var i = l.x; i < p.n; i += WG) { s += x[i]; }
  partial[l.x] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (l.x < stride) { partial[l.x] += partial[l.x + stride]; }
    workgroupBarrier();
  }
  if (l.x == 0u) { y[0] = partial[0] * p.scale; }
}
