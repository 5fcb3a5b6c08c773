// batchMatMul.wgsl: c[t] = op(a[batch of t]) . op(b[batch of t]) for every
// output batch t, op a transpose where TA / TB say; `batches` holds, per
// output batch, the batch of a and of b it reads (broadcast batch dimensions).
// A 16 x 16 workgroup computes a 16 x 16 tile of c, staging 16-wide slices of
// op(a) and op(b) in workgroup memory; the grid's z walks the batches.
// p: the uniforms declared with this shader in src/kernels/linalg/webgpu.ts.

override TA: bool = false;
override TB: bool = false;
const TILE = 16u;

@group(0) @binding(1) var<storage, read> batches: array<u32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

var<workgroup> aTile: array<array<f32, 16>, 16>;  // [row of c][k]
var<workgroup> bTile: array<array<f32, 16>, 16>;  // [k][column of c]

// op(a)[i, q] of the batch at aBase, 0 outside the matrix.
fn opA(aBase: u32, i: u32, q: u32) -> f32 {
  if (i >= p.m || q >= p.k) { return 0.0; }
  if (TA) { return a[aBase + q * p.m + i]; }
  return a[aBase + i * p.k + q];
}

// op(b)[q, j] of the batch at bBase, 0 outside the matrix.
fn opB(bBase: u32, q: u32, j: u32) -> f32 {
  if (q >= p.k || j >= p.n) { return 0.0; }
  if (TB) { return b[bBase + j * p.k + q]; }
  return b[bBase + q * p.n + j];
}

@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) l: vec3u, @builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = wg.y * TILE + l.y;
  let j = wg.x * TILE + l.x;
  // More batches than the grid's z holds: each workgroup takes every nwg.z-th.
  for (var t = wg.z; t < p.batches; t += nwg.z) {
    let aBase = batches[2u * t] * p.m * p.k;
    let bBase = batches[2u * t + 1u] * p.k * p.n;
    var s = 0.0;
    for (var k0 = 0u; k0 < p.k; k0 += TILE) {
      aTile[l.y][l.x] = opA(aBase, i, k0 + l.x);
      bTile[l.y][l.x] = opB(bBase, k0 + l.y, j);
      workgroupBarrier();
      for (var q = 0u; q < TILE; q++) { s += aTile[l.y][q] * bTile[q][l.x]; }
      workgroupBarrier();
    }
    if (i < p.m && j < p.n) { c[(t * p.m + i) * p.n + j] = s; }
  }
}
