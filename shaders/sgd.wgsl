// sgd.wgsl: in place, w -= lr * g (TF.js SGDOptimizer).
// p: the uniforms declared with this shader in src/kernels/optimizer/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
// set once a training step's loss was NaN or infinite (src/kernels/stepGuard): skip the update
@group(0) @binding(3) var<storage, read> guard: array<f32>;

fn item(i: u32) {
  if (i >= p.n || guard[0] != 0.0) { return; }
  w[i] -= p.lr * grad[i];
}
