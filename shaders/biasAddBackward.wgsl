// biasAddBackward.wgsl: db[j] = sum over rows of dy[row, j] (every axis but
// the last is a row), in two dispatches of this one kernel (STAGE), as
// batchNormGrads.wgsl: 0, one invocation per (chunk of CHUNK rows, column)
// sums its chunk, neighbouring lanes reading neighbouring columns of one row;
// 1, one invocation per column adds the chunks. (v1, one workgroup per column
// with a tree reduction, read one float per row per lane, c floats apart: 34 ms
// of the standard model's step on SwiftShader, now a few.)
// p: the uniforms declared with this shader in src/kernels/matmul/webgpu.ts.

override WG: u32 = 256;
override STAGE: u32 = 0;
const CHUNK = 64u;

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;  // [chunks, c]
@group(0) @binding(3) var<storage, read_write> db: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = g.x + g.y * nwg.x * WG;
  if (STAGE == 0u) {
    if (i >= p.chunks * p.c) { return; }
    let j = i % p.c;
    let k = i / p.c;
    var s = 0.0;
    for (var r = k * CHUNK; r < min(p.rows, (k + 1u) * CHUNK); r++) { s += dy[r * p.c + j]; }
    part[i] = s;
    return;
  }
  if (i >= p.c) { return; }
  var s = 0.0;
  for (var k = 0u; k < p.chunks; k++) { s += part[k * p.c + i]; }
  db[i] = s;
}
