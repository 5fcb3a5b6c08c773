// stepGuard.wgsl: a training step's non-finite guard, kept on the device so
// that the step never waits for a loss read. guard = [flag, batch, loss, 0]:
// flag turns 1 at the first batch whose loss is NaN or infinite and stays 1,
// so every later update (optimizers, moving statistics, the epoch's sums)
// skips its work until the caller reads the guard.
//   STAGE 0: check one loss (one invocation): the first bad batch's index and loss are kept.
//   STAGE 1: sums[i] += weight * value[i], unless the flag is set.
// p: the uniforms declared with this shader in src/kernels/stepGuard/webgpu.ts.

//! include lib/invocation.wgsl
override STAGE: u32 = 0;

@group(0) @binding(1) var<storage, read> value: array<f32>;
@group(0) @binding(2) var<storage, read_write> sums: array<f32>;
@group(0) @binding(3) var<storage, read_write> guard: array<f32>;

// By the exponent bits: a compiler may fold v == v to true.
fn finite(v: f32) -> bool { return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u; }

fn item(i: u32) {
  if (i >= p.n || guard[0] != 0.0) { return; }
  if (STAGE == 0u) {
    let loss = value[0];
    if (!finite(loss)) {
      guard[0] = 1.0;
      guard[1] = f32(p.batch);
      guard[2] = loss;
    }
    return;
  }
  sums[i] += p.weight * value[i];
}
