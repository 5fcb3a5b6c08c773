// softmaxBackward.wgsl: dx = y * (dy - sum(dy * y)) over the last axis, from
// the y the forward saved (the Jacobian of softmax is diag(y) - y y^T).
// p: the uniforms declared with this shader in src/kernels/activation/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn item(row: u32) {
  if (row >= p.rows) { return; }
  let base = row * p.c;
  var dot = 0.0;
  for (var k = 0u; k < p.c; k++) { dot += dy[base + k] * y[base + k]; }
  for (var k = 0u; k < p.c; k++) { dx[base + k] = y[base + k] * (dy[base + k] - dot); }
}
