// batchNormBackward.wgsl: dx of batch norm in training mode. The batch
// statistics depend on x, so dx has three terms (as llm.c labels layernorm's),
// with dxhat = dy * gamma and means over the rows:
//   dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
// where mean(dxhat) = gamma * dBeta / rows and mean(dxhat * xhat) = gamma * dGamma / rows.
// Written over the element type T (src/kernels/lanes.ts): p.n and p.c count T's.
// p: the uniforms declared with this shader in src/kernels/batchNorm/webgpu.ts.

//! include lib/invocation.wgsl
override ROWS: u32 = 1;  // rows per invocation

@group(0) @binding(1) var<storage, read> dy: array<T>;
@group(0) @binding(2) var<storage, read> x: array<T>;
@group(0) @binding(3) var<storage, read> gamma: array<T>;
@group(0) @binding(4) var<storage, read> mean: array<T>;
@group(0) @binding(5) var<storage, read> invStd: array<T>;
@group(0) @binding(6) var<storage, read> dGamma: array<T>;
@group(0) @binding(7) var<storage, read> dBeta: array<T>;
@group(0) @binding(8) var<storage, read_write> dx: array<T>;

fn item(i: u32) {
  // Channel ch of ROWS rows: the channel's values and its index (a modulo, slow on SwiftShader) are
  // worked out once for them; item i is (block of rows, channel), so neighbours read neighbours.
  let ch = i % p.c;
  var at = (i / p.c) * ROWS * p.c + ch;
  if (at >= p.n) { return; }
  let rows = f32(p.rows);
  let g = gamma[ch];
  let m = mean[ch];
  let s = invStd[ch];
  let viaMean = g * dBeta[ch] / rows;        // term 2: through the mean
  let viaVariance = g * dGamma[ch] / rows;   // term 3: through the variance (times xhat)
  for (var r = 0u; r < ROWS && at < p.n; r++) {
    let xhat = (x[at] - m) * s;
    let d = dy[at] * g - viaMean - xhat * viaVariance;  // term 1: through xhat directly
    dx[at] = d * s;                                      // final scale by invStd
    at += p.c;
  }
}
