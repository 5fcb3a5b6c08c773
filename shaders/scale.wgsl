// scale.wgsl: y = x * s element-wise.
// p: the uniforms declared with this shader in src/kernels/structure/webgpu.ts.

override WG: u32 = 256;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = g.x + g.y * nwg.x * WG;
  if (i >= p.n) { return; }
  y[i] = x[i] * p.s;
}
