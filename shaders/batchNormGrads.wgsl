// batchNormGrads.wgsl: per-channel dBeta = sum(dy) and dGamma = sum(dy * xhat),
// xhat = (x - mean) * invStd from what the forward saved, in two dispatches of
// this one kernel (STAGE), as batchNormStats.wgsl: 0, one invocation per
// (chunk of CHUNK rows, channel) sums its chunk (neighbouring lanes read
// neighbouring channels of one row); 1, one invocation per channel adds the
// chunks. batchNormBackward.wgsl then uses both for dx.
// p: the uniforms declared with this shader in src/kernels/batchNorm/webgpu.ts.

override WG: u32 = 256;
override STAGE: u32 = 0;
const CHUNK = 64u;

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invStd: array<f32>;
@group(0) @binding(5) var<storage, read_write> part: array<f32>;  // [2, chunks, c]: sums of dy, then of dy * xhat
@group(0) @binding(6) var<storage, read_write> dGamma: array<f32>;
@group(0) @binding(7) var<storage, read_write> dBeta: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = g.x + g.y * nwg.x * WG;
  if (STAGE == 0u) {
    if (i >= p.chunks * p.c) { return; }
    let ch = i % p.c;
    let k = i / p.c;
    let m = mean[ch];
    let s = invStd[ch];
    var a = 0.0;
    var b = 0.0;
    for (var r = k * CHUNK; r < min(p.rows, (k + 1u) * CHUNK); r++) {
      let at = r * p.c + ch;
      a += dy[at];
      b += dy[at] * (x[at] - m) * s;
    }
    part[i] = a;
    part[p.chunks * p.c + i] = b;
    return;
  }
  if (i >= p.c) { return; }
  var a = 0.0;
  var b = 0.0;
  for (var k = 0u; k < p.chunks; k++) {
    a += part[k * p.c + i];
    b += part[p.chunks * p.c + k * p.c + i];
  }
  dBeta[i] = a;
  dGamma[i] = b;
}
