// maxoutBackward.wgsl: dx of maxout, one invocation per input element: the
// element takes its unit's dy when it is the unit's first maximum (strict >
// in channel order, as the forward scans), else 0.
// p: the uniforms declared with this shader in src/kernels/maxout/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn item(t: u32) {
  if (t >= p.total) { return; }
  let i = t % p.inner;
  let ch = (t / p.inner) % p.c;
  let o = t / (p.inner * p.c);
  let u = ch % p.units;
  var best = u;
  var m = x[(o * p.c + u) * p.inner + i];
  for (var j = 1u; j < p.group; j++) {
    let k = j * p.units + u;
    let v = x[(o * p.c + k) * p.inner + i];
    if (v > m) { m = v; best = k; }
  }
  dx[t] = select(0.0, dy[(o * p.units + u) * p.inner + i], best == ch);
}
