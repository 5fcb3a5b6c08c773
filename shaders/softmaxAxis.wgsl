// softmaxAxis.wgsl: softmax (LOG = 0) or log-softmax (LOG = 1) along one axis
// of x seen as [outer, n, inner]: an invocation per line of n elements, inner
// apart. The line's maximum is subtracted first, so exp never overflows.
// p: the uniforms declared with this shader in src/kernels/reduce/webgpu.ts.

override LOG: u32 = 0u;

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn item(line: u32) {
  if (line >= p.outer * p.inner) { return; }
  let base = (line / p.inner) * p.n * p.inner + line % p.inner;
  var m = x[base];
  for (var k = 1u; k < p.n; k++) { m = max(m, x[base + k * p.inner]); }
  var s = 0.0;
  for (var k = 0u; k < p.n; k++) { s += exp(x[base + k * p.inner] - m); }
  let logS = log(s);
  for (var k = 0u; k < p.n; k++) {
    let at = base + k * p.inner;
    if (LOG == 1u) { y[at] = x[at] - m - logS; } else { y[at] = exp(x[at] - m) / s; }
  }
}
