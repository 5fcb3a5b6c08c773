// movingAverage.wgsl: in place, v = v - (v - value) * (1 - momentum): TF.js's
// moving-statistic update for batch norm (momentum 0.99 keeps 99% of v).
// p: the uniforms declared with this shader in src/kernels/batchNorm/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read_write> v: array<f32>;
@group(0) @binding(2) var<storage, read> value: array<f32>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  v[i] = v[i] - (v[i] - value[i]) * p.decay;
}
