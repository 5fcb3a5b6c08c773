// biasAddBackward.wgsl: db[j] = sum over rows of dy[row, j] (every axis but
// the last is a row). One workgroup per column: its WG invocations each sum a
// strided share of the rows, then a tree reduction in workgroup memory adds
// the partial sums. Rows are many (n * oh * ow for a conv), columns few.

struct Params {
  rows: u32,  // product of all axes but the last
  c: u32,     // length of the last axis
}

override WG: u32 = 64;  // a power of two, for the tree reduction

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  // Column index from a grid folded into 2-D past 65,535 workgroups (uniform across the workgroup).
  let j = wid.x + wid.y * nwg.x;
  var s = 0.0;
  if (j < p.c) {
    for (var r = lid; r < p.rows; r += WG) { s += dy[r * p.c + j]; }
  }
  partial[lid] = s;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) { partial[lid] += partial[lid + half]; }
    workgroupBarrier();
  }
  if (lid == 0u && j < p.c) { db[j] = partial[0]; }
}
