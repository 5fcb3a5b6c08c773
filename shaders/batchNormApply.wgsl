// batchNormApply.wgsl: y = gamma * (x - mean) * invStd + beta per channel.
// Training passes the batch mean and the invStd batchNormStats computed
// (SPREAD_IS_VARIANCE = 0); inference passes the moving mean and the moving
// variance (SPREAD_IS_VARIANCE = 1) and takes invStd = 1 / sqrt(var + eps) here.
// Written over the element type T (src/kernels/lanes.ts): p.n and p.c count T's.
// p: the uniforms declared with this shader in src/kernels/batchNorm/webgpu.ts.

//! include lib/invocation.wgsl
override SPREAD_IS_VARIANCE: u32 = 0;
override ROWS: u32 = 1;  // rows per invocation

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read> gamma: array<T>;
@group(0) @binding(3) var<storage, read> beta: array<T>;
@group(0) @binding(4) var<storage, read> mean: array<T>;
@group(0) @binding(5) var<storage, read> spread: array<T>;
@group(0) @binding(6) var<storage, read_write> y: array<T>;

fn item(i: u32) {
  // Channel ch of ROWS rows: the channel's values and its index (a modulo, slow on SwiftShader) are
  // worked out once for them; item i is (block of rows, channel), so neighbours read neighbours.
  let ch = i % p.c;
  var at = (i / p.c) * ROWS * p.c + ch;
  if (at >= p.n) { return; }
  var invStd = spread[ch];
  if (SPREAD_IS_VARIANCE == 1u) { invStd = 1.0 / sqrt(spread[ch] + p.epsilon); }
  let g = gamma[ch];
  let m = mean[ch];
  let b = beta[ch];
  for (var r = 0u; r < ROWS && at < p.n; r++) {
    y[at] = g * (x[at] - m) * invStd + b;
    at += p.c;
  }
}
