// batchNormBackward.wgsl: dx of batch norm in training mode. The batch
// statistics depend on x, so dx has three terms (as llm.c labels layernorm's),
// with dxhat = dy * gamma and means over the rows:
//   dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
// where mean(dxhat) = gamma * dBeta / rows and mean(dxhat * xhat) = gamma * dGamma / rows.
// Written over the element type T (src/kernels/lanes.ts): p.n and p.c count T's.
// p: the uniforms declared with this shader in src/kernels/batchNorm/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> dy: array<T>;
@group(0) @binding(2) var<storage, read> x: array<T>;
@group(0) @binding(3) var<storage, read> gamma: array<T>;
@group(0) @binding(4) var<storage, read> mean: array<T>;
@group(0) @binding(5) var<storage, read> invStd: array<T>;
@group(0) @binding(6) var<storage, read> dGamma: array<T>;
@group(0) @binding(7) var<storage, read> dBeta: array<T>;
@group(0) @binding(8) var<storage, read_write> dx: array<T>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  let ch = i % p.c;
  let xhat = (x[i] - mean[ch]) * invStd[ch];
  let rows = f32(p.rows);
  var d = dy[i] * gamma[ch];              // term 1: through xhat directly
  d -= gamma[ch] * dBeta[ch] / rows;      // term 2: through the mean
  d -= xhat * gamma[ch] * dGamma[ch] / rows;  // term 3: through the variance
  dx[i] = d * invStd[ch];                 // final scale by invStd
}
