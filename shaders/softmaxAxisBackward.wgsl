// softmaxAxisBackward.wgsl: dx of softmaxAxis.wgsl from dy and its output y,
// a line per invocation: softmax dx = y * (dy - sum(dy * y)), log-softmax
// dx = dy - exp(y) * sum(dy), sums along the line.
// p: the uniforms declared with this shader in src/kernels/reduce/webgpu.ts.

override LOG: u32 = 0u;

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn item(line: u32) {
  if (line >= p.outer * p.inner) { return; }
  let base = (line / p.inner) * p.n * p.inner + line % p.inner;
  var s = 0.0;
  for (var k = 0u; k < p.n; k++) {
    let at = base + k * p.inner;
    if (LOG == 1u) { s += dy[at]; } else { s += dy[at] * y[at]; }
  }
  for (var k = 0u; k < p.n; k++) {
    let at = base + k * p.inner;
    if (LOG == 1u) { dx[at] = dy[at] - exp(y[at]) * s; } else { dx[at] = y[at] * (dy[at] - s); }
  }
}
