// gemm.wgsl: C[m,n] = op(A) . op(B) (+ bias[n]), register-blocked.
// v1 (gemmNaive.wgsl): one invocation per element, every operand load from memory.
// v2 (this file): each invocation computes an 8x4 block of C (8 rows, 4
//   columns) in registers; per step of k it loads 8 values of A and 4 of B and
//   does 32 multiply-adds, so loads per FMA drop from 2 to 0.375. B rows load
//   as one vec4 when they are contiguous and aligned (VEC_B: B not transposed,
//   n % 4 == 0). No workgroup memory: on SwiftShader (and on many GPUs with
//   good caches) barriers cost more than they save. ~4 GFLOP/s on SwiftShader
//   against 0.3 for v1.
// Edges: loads clamp their row/column to the last valid one (always in bounds,
// no branch in the inner loop); only in-range elements are stored.
// op(A) = A [m,k], or A^T of A stored [k,m] (TRANS_A); op(B) likewise (TRANS_B).

struct Params {
  m: u32,  // rows of C
  n: u32,  // columns of C
  k: u32,  // the summed dimension
}

override WG_X: u32 = 8;   // workgroup columns: 8 * 4 = 32 columns of C
override WG_Y: u32 = 8;   // workgroup rows:    8 * 8 = 64 rows of C
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override VEC_B: bool = false;  // set only when !TRANS_B and n % 4 == 0

const TM = 8u;  // rows of C per invocation
const TN = 4u;  // columns of C per invocation

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> b4: array<vec4f>;   // the same buffer as b, viewed as vec4
@group(0) @binding(4) var<storage, read> bias: array<f32>;   // a 16-byte dummy when !HAS_BIAS
@group(0) @binding(5) var<storage, read_write> c: array<f32>;

fn loadA(i: u32, kk: u32) -> f32 {
  if (TRANS_A) { return a[kk * p.m + i]; }
  return a[i * p.k + kk];
}

fn loadB(kk: u32, j: u32) -> f32 {
  if (TRANS_B) { return b[j * p.k + kk]; }
  return b[kk * p.n + j];
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let col0 = g.x * TN;
  let row0 = g.y * TM;
  if (row0 >= p.m || col0 >= p.n) { return; }

  // Clamped indices: rows/columns past the edge re-read the last valid one.
  let last = p.m - 1u;
  let r0 = min(row0, last);      let r1 = min(row0 + 1u, last);
  let r2 = min(row0 + 2u, last); let r3 = min(row0 + 3u, last);
  let r4 = min(row0 + 4u, last); let r5 = min(row0 + 5u, last);
  let r6 = min(row0 + 6u, last); let r7 = min(row0 + 7u, last);
  let cols = min(vec4u(col0, col0 + 1u, col0 + 2u, col0 + 3u), vec4u(p.n - 1u));

  // Written out rather than looped: SwiftShader keeps named vec4s in registers,
  // while a dynamically indexed array<vec4f, 8> spills to memory (5x slower).
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  var acc4 = vec4f(0.0); var acc5 = vec4f(0.0); var acc6 = vec4f(0.0); var acc7 = vec4f(0.0);
  for (var kk = 0u; kk < p.k; kk++) {
    var bv: vec4f;
    if (VEC_B) {
      bv = b4[(kk * p.n + col0) / 4u];
    } else {
      bv = vec4f(loadB(kk, cols.x), loadB(kk, cols.y), loadB(kk, cols.z), loadB(kk, cols.w));
    }
    acc0 = fma(vec4f(loadA(r0, kk)), bv, acc0);
    acc1 = fma(vec4f(loadA(r1, kk)), bv, acc1);
    acc2 = fma(vec4f(loadA(r2, kk)), bv, acc2);
    acc3 = fma(vec4f(loadA(r3, kk)), bv, acc3);
    acc4 = fma(vec4f(loadA(r4, kk)), bv, acc4);
    acc5 = fma(vec4f(loadA(r5, kk)), bv, acc5);
    acc6 = fma(vec4f(loadA(r6, kk)), bv, acc6);
    acc7 = fma(vec4f(loadA(r7, kk)), bv, acc7);
  }

  var bias4 = vec4f(0.0);
  if (HAS_BIAS) { bias4 = vec4f(bias[cols.x], bias[cols.y], bias[cols.z], bias[cols.w]); }
  store(row0, col0, acc0 + bias4);
  store(row0 + 1u, col0, acc1 + bias4);
  store(row0 + 2u, col0, acc2 + bias4);
  store(row0 + 3u, col0, acc3 + bias4);
  store(row0 + 4u, col0, acc4 + bias4);
  store(row0 + 5u, col0, acc5 + bias4);
  store(row0 + 6u, col0, acc6 + bias4);
  store(row0 + 7u, col0, acc7 + bias4);
}

/** Stores the in-range part of one row of the block. */
fn store(i: u32, col0: u32, v: vec4f) {
  if (i >= p.m) { return; }
  for (var t = 0u; t < TN; t++) {
    if (col0 + t < p.n) { c[i * p.n + col0 + t] = v[t]; }
  }
}
