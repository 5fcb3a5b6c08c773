// biasAdd.wgsl: y = x + b over the last axis (b has c elements).
// p: the uniforms declared with this shader in src/kernels/matmul/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  y[i] = x[i] + b[i % p.c];
}
