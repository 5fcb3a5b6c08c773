// lrn.wgsl: local response normalization over the last axis (channels) of an
// NHWC tensor, one invocation per element:
//   y[i] = x[i] * (bias + alpha * sum of x^2 over channels ch - radius ... ch + radius) ** -beta
// p: the uniforms declared with this shader in src/kernels/lrn/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn item(i: u32) {
  if (i >= p.total) { return; }
  let ch = i % p.c;
  let base = i - ch;
  let lo = select(0u, ch - p.radius, ch > p.radius);
  let hi = min(ch + p.radius, p.c - 1u);
  var s = 0.0;
  for (var k = lo; k <= hi; k++) {
    let v = x[base + k];
    s += v * v;
  }
  y[i] = x[i] * pow(p.bias + p.alpha * s, -p.beta);
}
