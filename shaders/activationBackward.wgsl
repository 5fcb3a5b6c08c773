// activationBackward.wgsl: dx = dy * f'(x) (lib/activationGrad.wgsl).
// p: the uniforms declared with this shader in src/kernels/activation/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/activationGrad.wgsl

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  // Both x and y are read for every kind so that the auto layout always has all bindings.
  dx[i] = activationGrad(dy[i], x[i], y[i]);
}
