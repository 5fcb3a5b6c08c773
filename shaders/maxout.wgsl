// maxout.wgsl: x seen as [outer, c, inner], c = group * units; output
// [outer, units, inner], unit u the maximum of channels u, u + units, ...
// (TensorFlow Addons' Maxout), one invocation per output.
// p: the uniforms declared with this shader in src/kernels/maxout/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn item(t: u32) {
  if (t >= p.total) { return; }
  let i = t % p.inner;
  let u = (t / p.inner) % p.units;
  let o = t / (p.inner * p.units);
  var m = x[(o * p.c + u) * p.inner + i];
  for (var j = 1u; j < p.group; j++) {
    let v = x[(o * p.c + j * p.units + u) * p.inner + i];
    if (v > m) { m = v; }
  }
  y[t] = m;
}
