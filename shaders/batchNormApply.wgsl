// batchNormApply.wgsl: y = gamma * (x - mean) * invStd + beta per channel.
// Training passes the batch mean and the invStd batchNormStats computed
// (SPREAD_IS_VARIANCE = 0); inference passes the moving mean and the moving
// variance (SPREAD_IS_VARIANCE = 1) and takes invStd = 1 / sqrt(var + eps) here.
// Written over the element type T (src/kernels/lanes.ts): p.n and p.c count T's.
// p: the uniforms declared with this shader in src/kernels/batchNorm/webgpu.ts.

//! include lib/invocation.wgsl
override SPREAD_IS_VARIANCE: u32 = 0;

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read> gamma: array<T>;
@group(0) @binding(3) var<storage, read> beta: array<T>;
@group(0) @binding(4) var<storage, read> mean: array<T>;
@group(0) @binding(5) var<storage, read> spread: array<T>;
@group(0) @binding(6) var<storage, read_write> y: array<T>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  let ch = i % p.c;
  var invStd = spread[ch];
  if (SPREAD_IS_VARIANCE == 1u) { invStd = 1.0 / sqrt(spread[ch] + p.epsilon); }
  y[i] = gamma[ch] * (x[i] - mean[ch]) * invStd + beta[ch];
}
