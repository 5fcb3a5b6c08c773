// batchNormStats.wgsl: per-channel batch mean, biased variance and
// invStd = 1 / sqrt(variance + epsilon) over every row of x [rows, c]
// (rows = n*h*w), in two dispatches of this one kernel (STAGE):
//   0 (partials): one invocation per (chunk of CHUNK rows, channel) finds its
//     chunk's mean and the squared deviations from it (a second pass over
//     values it just read, so the variance does not cancel as
//     E[x^2] - E[x]^2 would);
//   1 (finish): one invocation per channel merges the chunks' (mean, M2)
//     pairs (Chan et al.).
// v1 was one workgroup per channel with a tree reduction: its lanes read one
// float per row, c floats apart, each from its own cache line, and a step of
// the standard model spent 65 ms here on SwiftShader. Now the 4 lanes of a
// SIMD group read 4 neighbouring channels of one row (one line), and no
// barrier runs.
// p: the uniforms declared with this shader in src/kernels/batchNorm/webgpu.ts.

override WG: u32 = 256;
override STAGE: u32 = 0;
const CHUNK = 64u;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;  // [2, chunks, c]: means, then M2s
@group(0) @binding(3) var<storage, read_write> mean: array<f32>;
@group(0) @binding(4) var<storage, read_write> variance: array<f32>;
@group(0) @binding(5) var<storage, read_write> invStd: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = g.x + g.y * nwg.x * WG;
  if (STAGE == 0u) {
    if (i >= p.chunks * p.c) { return; }
    let ch = i % p.c;
    let k = i / p.c;
    let first = k * CHUNK;
    let end = min(p.rows, first + CHUNK);
    // Sums of x - x0 (the chunk's first value): small differences, so the
    // mean keeps its digits when every x is large (x ~ 1000, spread 1).
    let x0 = x[first * p.c + ch];
    var s = 0.0;
    for (var r = first; r < end; r++) { s += x[r * p.c + ch] - x0; }
    let m = x0 + s / f32(end - first);
    var q = 0.0;
    for (var r = first; r < end; r++) {
      let d = x[r * p.c + ch] - m;
      q += d * d;
    }
    part[i] = m;
    part[p.chunks * p.c + i] = q;
    return;
  }
  if (i >= p.c) { return; }
  // Chan et al.'s pairwise update, one chunk at a time: the mean moves by
  // differences of means, never through a large sum.
  var n = 0.0;
  var m = 0.0;
  var q = 0.0;
  for (var k = 0u; k < p.chunks; k++) {
    let nk = f32(min(p.rows, (k + 1u) * CHUNK) - k * CHUNK);
    let d = part[k * p.c + i] - m;
    let total = n + nk;
    m += d * (nk / total);
    q += part[p.chunks * p.c + k * p.c + i] + d * d * (n * nk / total);
    n = total;
  }
  let v = q / f32(p.rows);
  mean[i] = m;
  variance[i] = v;
  invStd[i] = 1.0 / sqrt(v + p.epsilon);
}
