// add.wgsl: c = a + b element-wise, same shapes (also how fanned-out gradients add up).
// p: the uniforms declared with this shader in src/kernels/structure/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  c[i] = a[i] + b[i];
}
