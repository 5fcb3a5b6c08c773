// The workgroup-memory tiled GEMM's entry point, tile loop and epilogue, shared
// by gemmTiled.wgsl (matrices) and convTiled.wgsl (implicit-GEMM convolution).
// A 16x16 workgroup computes a 64x64 tile of C[m, n], each invocation a 4x4
// block; K advances 8 at a time through two buffers in workgroup memory, so
// the global loads of the next K tile overlap the product of this one and one
// barrier per K tile suffices. No subgroup operations: any subgroup size.
//
// The including shader declares a, a4, b, b4 (bindings 1 to 4, scalar and vec4
// views of A and B) and defines, for 4 values along each operand's contiguous
// direction, zeros outside [0, m) x [kBegin, kEnd) x [0, n):
//   fn fetchA(i: u32, kk: u32, kEnd: u32) -> vec4f  A[i][kk..kk+3] if A_ALONG_K, else A[i..i+3][kk]
//   fn fetchB(kk: u32, j: u32, kEnd: u32) -> vec4f  B[kk][j..j+3] if B_ALONG_N, else B[kk..kk+3][j]
// It also sets A_ALONG_K and B_ALONG_N (override expressions of its own
// variant flags). p holds m, n, k, kChunk (k per split-K slice, a multiple of
// KT; the grid's z walks slices), hasBias and relu (uniforms, not overrides:
// the epilogue runs once per stored value, and each override would double
// the pipelines to compile), and it includes lib/fusedActivation.wgsl
// (includes do not nest).

const TILE = 64u;   // rows and columns of C per workgroup
const KT = 8u;      // steps of k per tile of A and B
const SIDE = 16u;   // invocations per side of the workgroup (TILE / 4)
const HALF = 128u;  // invocations that load A; the other half load B (one vec4 each per K tile)

@group(0) @binding(5) var<storage, read> bias: array<f32>;       // a 16-byte dummy when hasBias is 0
@group(0) @binding(6) var<storage, read_write> c: array<f32>;    // [splits, m, n]

// [buffer][kk * SIDE + q]: rows (columns) 4q..4q+3 of the tile at step kk, so the product reads
// vec4s. 8 KiB in all: SwiftShader's compile time grows with workgroup memory, hardware occupancy too.
var<workgroup> tileA: array<array<vec4f, 128>, 2>;
var<workgroup> tileB: array<array<vec4f, 128>, 2>;

/** The 4 values this invocation loads for the K tile at k0: of A (li < HALF) or of B. */
fn stage(li: u32, row0: u32, col0: u32, k0: u32, kEnd: u32) -> vec4f {
  let q = li % HALF;
  if (li < HALF) {
    if (A_ALONG_K) { return fetchA(row0 + q / 2u, k0 + (q % 2u) * 4u, kEnd); }
    return fetchA(row0 + (q % SIDE) * 4u, k0 + q / SIDE, kEnd);
  }
  if (B_ALONG_N) { return fetchB(k0 + q / SIDE, col0 + (q % SIDE) * 4u, kEnd); }
  return fetchB(k0 + (q % 2u) * 4u, col0 + q / 2u, kEnd);
}

/** Writes what stage() loaded into buffer `buf` of the tiles. */
fn store(li: u32, buf: u32, v: vec4f) {
  let q = li % HALF;
  // Along k, 4 steps of one row (column): a component of 4 vec4s; across, one vec4.
  let along = q / 2u;
  let kq = (q % 2u) * 4u;
  if (li < HALF) {
    if (A_ALONG_K) {
      for (var t = 0u; t < 4u; t++) { tileA[buf][(kq + t) * SIDE + along / 4u][along % 4u] = v[t]; }
    } else {
      tileA[buf][q] = v;
    }
  } else if (B_ALONG_N) {
    tileB[buf][q] = v;
  } else {
    for (var t = 0u; t < 4u; t++) { tileB[buf][(kq + t) * SIDE + along / 4u][along % 4u] = v[t]; }
  }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  // This split's range of k and its slice of the output.
  let kBegin = wg.z * p.kChunk;
  let kEnd = min(p.k, kBegin + p.kChunk);
  let tiles = select(0u, (kEnd - kBegin + KT - 1u) / KT, kEnd > kBegin);

  // Rows 4 * lid.y.. and columns 4 * lid.x.. of the tile; written out, not an array (kept in registers).
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  var staged = vec4f(0.0);
  if (tiles > 0u) { staged = stage(li, row0, col0, kBegin, kEnd); }
  for (var t = 0u; t < tiles; t++) {
    let buf = t % 2u;
    // Buffer `buf` was last read two K tiles ago, before the previous barrier: free to fill.
    store(li, buf, staged);
    workgroupBarrier();
    // The next K tile's global loads are issued before this one's product.
    if (t + 1u < tiles) { staged = stage(li, row0, col0, kBegin + (t + 1u) * KT, kEnd); }
    for (var kk = 0u; kk < KT; kk++) {
      let av = tileA[buf][kk * SIDE + lid.y];
      let bv = tileB[buf][kk * SIDE + lid.x];
      acc0 = fma(vec4f(av.x), bv, acc0);
      acc1 = fma(vec4f(av.y), bv, acc1);
      acc2 = fma(vec4f(av.z), bv, acc2);
      acc3 = fma(vec4f(av.w), bv, acc3);
    }
  }

  let col = col0 + lid.x * 4u;
  var bias4 = vec4f(0.0);
  // The bias goes into the first slice only: splitKSum adds the slices.
  if (p.hasBias != 0u && wg.z == 0u) {
    for (var t = 0u; t < 4u; t++) { if (col + t < p.n) { bias4[t] = bias[col + t]; } }
  }
  let slice = wg.z * p.m * p.n;
  let row = row0 + lid.y * 4u;
  storeRow(slice, row, col, acc0 + bias4);
  storeRow(slice, row + 1u, col, acc1 + bias4);
  storeRow(slice, row + 2u, col, acc2 + bias4);
  storeRow(slice, row + 3u, col, acc3 + bias4);
}

/** Stores the in-range part of one row of the block, after the fused activation. */
fn storeRow(slice: u32, i: u32, j: u32, v: vec4f) {
  if (i >= p.m) { return; }
  let out = fusedActivation4(v);
  for (var t = 0u; t < 4u; t++) {
    if (j + t < p.n) { c[slice + i * p.n + j + t] = out[t]; }
  }
}
