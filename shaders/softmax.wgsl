// softmax.wgsl: y = exp(x - max) / sum(exp(x - max)) over the last axis.
// The row maximum is subtracted first so exp never overflows (x = 1000 would
// give inf / inf = NaN otherwise). One invocation per row: rows are short
// (class counts), and there are many of them.
// p: the uniforms declared with this shader in src/kernels/activation/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn item(row: u32) {
  if (row >= p.rows) { return; }
  let base = row * p.c;
  var m = x[base];
  for (var k = 1u; k < p.c; k++) { m = max(m, x[base + k]); }
  var sum = 0.0;
  for (var k = 0u; k < p.c; k++) { sum += exp(x[base + k] - m); }
  for (var k = 0u; k < p.c; k++) { y[base + k] = exp(x[base + k] - m) / sum; }
}
