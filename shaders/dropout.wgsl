// dropout.wgsl: y = keep(seed, i) ? x * scale : 0, for the forward (x) and the
// backward (dy) alike: the mask is a pure function of (seed, i), the same PCG
// hash as src/kernels/dropout/mask.ts, so CPU and GPU draw identical masks and
// the backward needs nothing saved.
// keep(seed, i): (pcg(pcg(seed) ^ i) >> 8) >= threshold, threshold = ceil(rate * 2^24),
// an integer comparison equal to the CPU's uniform >= rate.
// p: the uniforms declared with this shader in src/kernels/dropout/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn item(i: u32) {
  if (i >= p.n) { return; }
  let draw = pcg(pcg(p.seed) ^ i) >> 8u;
  y[i] = select(0.0, x[i] * p.scale, draw >= p.threshold);
}
