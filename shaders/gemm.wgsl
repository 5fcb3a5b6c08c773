// gemm.wgsl: C[m,n] = op(A) . op(B) (+ bias[n], relu), op(A) = A [m,k] or A^T
// (TRANS_A), likewise B. Each invocation keeps an 8x4 block of C in registers
// (named vec4s: indexed arrays spill), loading A and B as vec4s where contiguous
// (VEC_A, VEC_B; 4x4 register transposes for the transposed cases); no
// workgroup memory. Workgroup z sums its own chunk of k into a slice of C where
// C is too small to fill the device (split-K, added by splitKSum.wgsl), or,
// under BATCHED, multiplies its own matrices of a batch packed back to back in
// A, B and C (Winograd's 16 products; no split-K then). Loads
// clamp to the last valid row/column; only in-range elements are stored. The
// entry point is put in front: gemmEntry.wgsl, or gemmEntrySubgroup.wgsl.
// p: the uniforms declared with this shader in src/kernels/matmul/webgpu.ts.
//! include lib/fusedActivation.wgsl

override WG_X: u32 = 8;   // workgroup columns: 8 * 4 = 32 columns of C
override WG_Y: u32 = 8;   // workgroup rows:    8 * 8 = 64 rows of C
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override VEC_B: bool = false;  // set only when (!TRANS_B and n % 4 == 0) or (TRANS_B and !TRANS_A and k % 4 == 0)
override VEC_A: bool = false;  // set only when (!TRANS_A and k % 4 == 0) or (TRANS_A and m % 4 == 0)
override BATCHED: bool = false;
// Set only when m % 8 == 0 and n % 4 == 0: every row of a block inside C is whole and starts a vec4, so
// a store needs no test but, under SHARE_A, whether this lane's columns exist (SwiftShader stores lane
// by lane under any test that varies per lane, a large part of a short-k GEMM).
override ALIGNED: bool = false; // workgroup z walks matrices [m,k] . [k,n] -> [m,n] packed back to back (no bias, no split-K)

/** The block's 8 vec4s of A, as the columns of two matrices: lo[0..3] and hi[0..3]. */
struct Rows8 { lo: mat4x4f, hi: mat4x4f }

const TM = 8u;  // rows of C per invocation
const TN = 4u;  // columns of C per invocation

@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> a4: array<vec4f>;   // the same buffer as a, viewed as vec4
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read> b4: array<vec4f>;   // the same buffer as b, viewed as vec4
@group(0) @binding(5) var<storage, read> bias: array<f32>;   // a 16-byte dummy when !HAS_BIAS
// [splits, m, n] as vec4s: a row's whole 4 columns go in one store where they are aligned (the
// buffer holds whole vec4s: matmul's webgpu.ts checks); a WebGPU buffer has no second, writable view.
@group(0) @binding(6) var<storage, read_write> c: array<vec4f>;

/** Where this invocation's matrices start in a and b (0 unless BATCHED). */
var<private> aBase: u32;
var<private> bBase: u32;

/**
 * op(B)'s row at the block's 4 (clamped) columns, the row's elements at b[at + {0, 1, 2, 3} * colStep]:
 * as one vec4 where VEC_B and !TRANS_B (the block's first column, colLoad, is aligned).
 */
fn loadB4At(at: vec4u) -> vec4f {
  if (VEC_B && !TRANS_B) { return b4[at.x / 4u]; }
  return vec4f(b[at.x], b[at.y], b[at.z], b[at.w]);
}

/**
 * acc + a.x * b0 + a.y * b1 + a.z * b2 + a.w * b3: four steps of k for one row, as a
 * matrix-vector product, which SwiftShader runs faster than a chain of fma (test/gpu/perf/gemmConfigs.perf.ts, patched).
 */
fn mac4(acc: vec4f, a: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> vec4f {
  return acc + mat4x4f(b0, b1, b2, b3) * a;
}

/**
 * The 8x4 block of C at invocation g of the grid (as global_invocation_id);
 * `lane` is its index in the 4 lanes that share A (SHARE_A, set by the entry file).
 */
fn gemmBlock(g: vec3u, lane: u32) {
  let col0 = g.x * TN;
  let row0 = g.y * TM;
  // Shared loads need every lane of the subgroup to the end: a subgroup leaves
  // only when all of it is past the edge (its rows, or its first lane's
  // columns); a lane past the edge beside others computes on clamped indices
  // and stores nothing. (Without sharing, lane is 0: each leaves on its own.)
  if (row0 >= p.m || col0 - lane * TN >= p.n) { return; }
  // This split's range of k and its slice of the output, or (BATCHED) this matrix's operands and product.
  let kBegin = select(g.z * p.kChunk, 0u, BATCHED);
  let kEnd = min(p.k, kBegin + p.kChunk);
  let slice = g.z * p.m * p.n;
  aBase = select(0u, g.z * p.m * p.k, BATCHED);
  bBase = select(0u, g.z * p.k * p.n, BATCHED);
  // The same bases in vec4s: a batch's A and B are whole vec4s wherever VEC_A / VEC_B allow vec4 views.
  let aBase4 = aBase / 4u;
  let bBase4 = bBase / 4u;

  // Clamped indices: rows/columns past the edge re-read the last valid one.
  let last = p.m - 1u;
  let r0 = min(row0, last);      let r1 = min(row0 + 1u, last);
  let r2 = min(row0 + 2u, last); let r3 = min(row0 + 3u, last);
  let r4 = min(row0 + 4u, last); let r5 = min(row0 + 5u, last);
  let r6 = min(row0 + 6u, last); let r7 = min(row0 + 7u, last);
  let cols = min(vec4u(col0, col0 + 1u, col0 + 2u, col0 + 3u), vec4u(p.n - 1u));
  // The block's first column for aligned vec4 loads of B: col0 itself inside C.
  let colLoad = min(col0, (p.n - 1u) & ~3u);
  // The rows this lane loads for the others under SHARE_A: lane and lane + 4 of the block.
  let mine0 = min(row0 + lane, last);
  let mine1 = min(row0 + 4u + lane, last);

  // Written out rather than looped: SwiftShader keeps named vec4s in registers,
  // while a dynamically indexed array<vec4f, 8> spills to memory (5x slower).
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  var acc4 = vec4f(0.0); var acc5 = vec4f(0.0); var acc6 = vec4f(0.0); var acc7 = vec4f(0.0);
  // Every index the loops read advances by a fixed step, worked out here: SwiftShader's compiler
  // (Subzero) moves nothing out of a loop, so a product inside an index costs every iteration.
  // op(B)'s row kk at the block's columns is b[bCols + kk * bStepK] (as vec4s where VEC_B and !TRANS_B).
  let bCols = bBase + cols * select(1u, p.k, TRANS_B);
  let bStepK = select(p.n, 1u, TRANS_B);
  if (VEC_A && !TRANS_A) {
    // A rows are contiguous along k: one vec4 of A per row covers 4 steps of k.
    let k4 = p.k / 4u;
    let q0 = kBegin / 4u;
    let steps = kEnd / 4u - q0;
    // The vec4 of each row (or of the 2 this lane loads under SHARE_A) at step i is at its start + i;
    // TRANS_B: the block's 4 columns of op(B) are runs along k, likewise.
    let aLo = aBase4 + vec4u(r0, r1, r2, r3) * k4 + q0;
    let aHi = aBase4 + vec4u(r4, r5, r6, r7) * k4 + q0;
    let aMine = aBase4 + vec2u(mine0, mine1) * k4 + q0;
    let bRuns = bBase4 + cols * k4 + q0;
    // !TRANS_B with VEC_B: 4 rows of B from bAt, a row n / 4 vec4s on; 4 rows (n floats) on per step.
    let n4 = p.n / 4u;
    let n4x2 = 2u * n4;
    let n4x3 = 3u * n4;
    var bAt = (bBase + kBegin * p.n + colLoad) / 4u;
    for (var i = 0u; i < steps; i++) {
      var b0: vec4f; var b1: vec4f; var b2: vec4f; var b3: vec4f;
      if (TRANS_B && VEC_B) {
        // Columns cols.x..w of op(B) over 4 steps of k, transposed into 4 rows.
        let t = transpose(mat4x4f(b4[bRuns.x + i], b4[bRuns.y + i], b4[bRuns.z + i], b4[bRuns.w + i]));
        b0 = t[0]; b1 = t[1]; b2 = t[2]; b3 = t[3];
      } else if (VEC_B) {
        b0 = b4[bAt]; b1 = b4[bAt + n4]; b2 = b4[bAt + n4x2]; b3 = b4[bAt + n4x3];
        bAt += p.n;
      } else {
        let at = bCols + (kBegin + 4u * i) * bStepK;
        b0 = loadB4At(at);                b1 = loadB4At(at + bStepK);
        b2 = loadB4At(at + 2u * bStepK); b3 = loadB4At(at + 3u * bStepK);
      }
      var rows: Rows8;
      if (SHARE_A) {
        rows = shareRows(a4[aMine.x + i], a4[aMine.y + i]);
      } else {
        rows = Rows8(mat4x4f(a4[aLo.x + i], a4[aLo.y + i], a4[aLo.z + i], a4[aLo.w + i]),
                     mat4x4f(a4[aHi.x + i], a4[aHi.y + i], a4[aHi.z + i], a4[aHi.w + i]));
      }
      acc0 = mac4(acc0, rows.lo[0], b0, b1, b2, b3);
      acc1 = mac4(acc1, rows.lo[1], b0, b1, b2, b3);
      acc2 = mac4(acc2, rows.lo[2], b0, b1, b2, b3);
      acc3 = mac4(acc3, rows.lo[3], b0, b1, b2, b3);
      acc4 = mac4(acc4, rows.hi[0], b0, b1, b2, b3);
      acc5 = mac4(acc5, rows.hi[1], b0, b1, b2, b3);
      acc6 = mac4(acc6, rows.hi[2], b0, b1, b2, b3);
      acc7 = mac4(acc7, rows.hi[3], b0, b1, b2, b3);
    }
  } else {
    var kk = kBegin;
    // VEC_A here is A^T stored [k, m] with m % 4 == 0: the block's 8 rows are the vec4
    // columns loCol and hiCol of each stored row (past the edge, m % 8 == 4, the upper
    // half re-reads the lower one and is never stored).
    let m4 = p.m / 4u;
    let loCol = min(row0, p.m - 4u) / 4u;
    let hiCol = min(row0 + 4u, p.m - 4u) / 4u;
    let toHi = hiCol - loCol;
    if (VEC_A) {
      // A^T, four steps of k per iteration (conv's dW = col^T . dY, k = pixels): the
      // block's 8 rows of A for k..k+3 transposed in registers, then mac4 as above.
      // Stored row kk of A at the block's lower vec4 column is aAt; under SHARE_A lane j loads row kk + j.
      var aAt = aBase4 + kk * m4 + loCol + select(0u, lane * m4, SHARE_A);
      let m4x2 = 2u * m4;
      let m4x3 = 3u * m4;
      // op(B)'s rows as in loadB4At, or (VEC_B, !TRANS_B) as the vec4 at bAt4, a row n / 4 vec4s on.
      var bAt = bCols + kk * bStepK;
      let bStepK2 = 2u * bStepK;
      let bStepK3 = 3u * bStepK;
      let bStepK4 = 4u * bStepK;
      var bAt4 = (bBase + kk * p.n + colLoad) / 4u;
      let n4 = p.n / 4u;
      let n4x2 = 2u * n4;
      let n4x3 = 3u * n4;
      for (; kk + 4u <= kEnd; kk += 4u) {
        var b0: vec4f; var b1: vec4f; var b2: vec4f; var b3: vec4f;
        if (VEC_B && !TRANS_B) {
          b0 = b4[bAt4]; b1 = b4[bAt4 + n4]; b2 = b4[bAt4 + n4x2]; b3 = b4[bAt4 + n4x3];
          bAt4 += p.n;
        } else {
          b0 = loadB4At(bAt);           b1 = loadB4At(bAt + bStepK);
          b2 = loadB4At(bAt + bStepK2); b3 = loadB4At(bAt + bStepK3);
          bAt += bStepK4;
        }
        var t: Rows8;
        if (SHARE_A) {
          t = shareRows(a4[aAt], a4[aAt + toHi]);
        } else {
          t = Rows8(mat4x4f(a4[aAt], a4[aAt + m4], a4[aAt + m4x2], a4[aAt + m4x3]),
                    mat4x4f(a4[aAt + toHi], a4[aAt + toHi + m4], a4[aAt + toHi + m4x2], a4[aAt + toHi + m4x3]));
        }
        aAt += p.m;
        let lo = transpose(t.lo);
        let hi = transpose(t.hi);
        acc0 = mac4(acc0, lo[0], b0, b1, b2, b3);
        acc1 = mac4(acc1, lo[1], b0, b1, b2, b3);
        acc2 = mac4(acc2, lo[2], b0, b1, b2, b3);
        acc3 = mac4(acc3, lo[3], b0, b1, b2, b3);
        acc4 = mac4(acc4, hi[0], b0, b1, b2, b3);
        acc5 = mac4(acc5, hi[1], b0, b1, b2, b3);
        acc6 = mac4(acc6, hi[2], b0, b1, b2, b3);
        acc7 = mac4(acc7, hi[3], b0, b1, b2, b3);
      }
    }
    // One step of k at a time: every other layout, and the last k % 4 steps of A^T.
    // Row i of op(A) at step kk is a[aRows[i] + kk * aStepK].
    let aStride = select(p.k, 1u, TRANS_A);
    let aStepK = select(1u, p.m, TRANS_A);
    let aRowsLo = aBase + vec4u(r0, r1, r2, r3) * aStride;
    let aRowsHi = aBase + vec4u(r4, r5, r6, r7) * aStride;
    for (; kk < kEnd; kk++) {
      let bv = loadB4At(bCols + kk * bStepK);
      var lo: vec4f;
      var hi: vec4f;
      if (VEC_A) {
        lo = a4[aBase4 + kk * m4 + loCol];
        hi = a4[aBase4 + kk * m4 + hiCol];
      } else {
        let o = kk * aStepK;
        lo = vec4f(a[aRowsLo.x + o], a[aRowsLo.y + o], a[aRowsLo.z + o], a[aRowsLo.w + o]);
        hi = vec4f(a[aRowsHi.x + o], a[aRowsHi.y + o], a[aRowsHi.z + o], a[aRowsHi.w + o]);
      }
      acc0 = fma(vec4f(lo.x), bv, acc0);
      acc1 = fma(vec4f(lo.y), bv, acc1);
      acc2 = fma(vec4f(lo.z), bv, acc2);
      acc3 = fma(vec4f(lo.w), bv, acc3);
      acc4 = fma(vec4f(hi.x), bv, acc4);
      acc5 = fma(vec4f(hi.y), bv, acc5);
      acc6 = fma(vec4f(hi.z), bv, acc6);
      acc7 = fma(vec4f(hi.w), bv, acc7);
    }
  }

  // The bias goes into the first slice only: splitKSum adds the slices.
  if (HAS_BIAS && g.z == 0u) {
    let bias4 = vec4f(bias[cols.x], bias[cols.y], bias[cols.z], bias[cols.w]);
    acc0 += bias4; acc1 += bias4; acc2 += bias4; acc3 += bias4;
    acc4 += bias4; acc5 += bias4; acc6 += bias4; acc7 += bias4;
  }
  let at = slice + row0 * p.n + col0;
  store(at, row0, col0, acc0);
  store(at + p.n, row0 + 1u, col0, acc1);
  store(at + 2u * p.n, row0 + 2u, col0, acc2);
  store(at + 3u * p.n, row0 + 3u, col0, acc3);
  store(at + 4u * p.n, row0 + 4u, col0, acc4);
  store(at + 5u * p.n, row0 + 5u, col0, acc5);
  store(at + 6u * p.n, row0 + 6u, col0, acc6);
  store(at + 7u * p.n, row0 + 7u, col0, acc7);
}

/** Stores the in-range part of row i of the block, which starts at element `at` of c. */
fn store(at: u32, i: u32, col0: u32, v: vec4f) {
  if (ALIGNED) {
    // Without SHARE_A a lane past the last column has left at the start.
    if (!SHARE_A || col0 < p.n) { c[at >> 2u] = fusedActivation4(v); }
    return;
  }
  if (i >= p.m) { return; }
  let out = fusedActivation4(v);
  if (col0 + 3u < p.n && (at & 3u) == 0u) {
    c[at >> 2u] = out;
    return;
  }
  for (var t = 0u; t < TN; t++) {
    if (col0 + t < p.n) { c[(at + t) >> 2u][(at + t) & 3u] = out[t]; }
  }
}
