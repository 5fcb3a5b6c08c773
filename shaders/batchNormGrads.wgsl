// batchNormGrads.wgsl: per-channel dBeta = sum(dy) and dGamma = sum(dy * xhat),
// xhat = (x - mean) * invStd from what the forward saved. One workgroup per
// channel. batchNormBackward.wgsl then uses both for dx.

struct Params {
  rows: u32,
  c: u32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invStd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dGamma: array<f32>;
@group(0) @binding(6) var<storage, read_write> dBeta: array<f32>;

var<workgroup> sumDy: array<f32, WG>;
var<workgroup> sumDyXhat: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let ch = wg.x;
  let l = lid.x;
  var a = 0.0;
  var b = 0.0;
  for (var r = l; r < p.rows; r += WG) {
    let i = r * p.c + ch;
    a += dy[i];
    b += dy[i] * (x[i] - mean[ch]) * invStd[ch];
  }
  sumDy[l] = a;
  sumDyXhat[l] = b;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (l < stride) {
      sumDy[l] += sumDy[l + stride];
      sumDyXhat[l] += sumDyXhat[l + stride];
    }
    workgroupBarrier();
  }
  if (l == 0u) {
    dBeta[ch] = sumDy[0];
    dGamma[ch] = sumDyXhat[0];
  }
}
