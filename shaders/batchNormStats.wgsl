// batchNormStats.wgsl: per-channel batch mean, biased variance and invStd
// over the rows of x [rows, c], in two dispatches of this kernel (STAGE):
// 0, one invocation per (chunk of CHUNK rows, channel) finds its chunk's mean
// and squared deviations (a second pass, so the variance does not cancel as
// E[x^2] - E[x]^2 would); 1, one per channel merges the chunks (Chan et al.).
// Neighbouring lanes read neighbouring channels of one row: one cache line.
// Written over the element type T (src/kernels/lanes.ts): p.c counts T's.
// p: the uniforms declared with this shader in src/kernels/batchNorm/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/chunkSum.wgsl

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> part: array<T>;  // [2, chunks, c]: means, then M2s
@group(0) @binding(3) var<storage, read_write> mean: array<T>;
@group(0) @binding(4) var<storage, read_write> variance: array<T>;
@group(0) @binding(5) var<storage, read_write> invStd: array<T>;

fn chunk(i: u32, ch: u32, first: u32, end: u32) {
  // Sums of x - x0 (the chunk's first value): small differences, so the
  // mean keeps its digits when every x is large (x ~ 1000, spread 1).
  let x0 = x[first * p.c + ch];
  var s = T(0.0);
  for (var r = first; r < end; r++) { s += x[r * p.c + ch] - x0; }
  let m = x0 + s / f32(end - first);
  var q = T(0.0);
  for (var r = first; r < end; r++) {
    let d = x[r * p.c + ch] - m;
    q += d * d;
  }
  part[i] = m;
  part[p.chunks * p.c + i] = q;
}

fn column(i: u32) {
  // Chan et al.'s pairwise update, one chunk at a time: the mean moves by
  // differences of means, never through a large sum.
  var n = 0.0;
  var m = T(0.0);
  var q = T(0.0);
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
