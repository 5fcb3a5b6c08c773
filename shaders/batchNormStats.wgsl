// batchNormStats.wgsl: per-channel batch mean, biased variance and
// invStd = 1 / sqrt(variance + epsilon) over every row of x [rows, c]
// (rows = n*h*w). One workgroup per channel; two passes (the mean, then the
// squared deviations) so the variance does not cancel as E[x^2] - E[x]^2 would.

struct Params {
  rows: u32,
  c: u32,
  epsilon: f32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> variance: array<f32>;
@group(0) @binding(4) var<storage, read_write> invStd: array<f32>;

var<workgroup> partial: array<f32, WG>;

fn reduce(l: u32, v: f32) -> f32 {
  partial[l] = v;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (l < stride) { partial[l] += partial[l + stride]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let ch = wg.x;
  let l = lid.x;
  var s = 0.0;
  for (var r = l; r < p.rows; r += WG) { s += x[r * p.c + ch]; }
  let m = reduce(l, s) / f32(p.rows);
  var q = 0.0;
  for (var r = l; r < p.rows; r += WG) {
    let d = x[r * p.c + ch] - m;
    q += d * d;
  }
  let v = reduce(l, q) / f32(p.rows);
  if (l == 0u) {
    mean[ch] = m;
    variance[ch] = v;
    invStd[ch] = 1.0 / sqrt(v + p.epsilon);
  }
}
