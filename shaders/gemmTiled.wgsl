// gemmTiled.wgsl: C[m,n] = op(A) . op(B) (+ bias[n]) through 64x64 tiles in
// workgroup memory (lib/gemmTile.wgsl), the tuner's candidate for adapters with
// fast workgroup memory. op(A) = A [m,k], or A^T when A is stored [k,m]
// (TRANS_A); op(B) = B [k,n], or B^T when B is stored [n,k] (TRANS_B). Loads
// run along each operand's stored rows, as vec4s where those rows are whole
// vec4s (VEC_A, VEC_B), else as 4 scalars.
// p: the uniforms declared with this shader in src/kernels/matmul/tiled.ts.

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override VEC_A: bool = false;  // set only when (!TRANS_A and k % 4 == 0) or (TRANS_A and m % 4 == 0)
override VEC_B: bool = false;  // set only when (!TRANS_B and n % 4 == 0) or (TRANS_B and k % 4 == 0)

@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> a4: array<vec4f>;  // the same buffer as a, viewed as vec4
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read> b4: array<vec4f>;  // the same buffer as b, viewed as vec4

// Stored A is [m, k] (rows along k) unless TRANS_A: lib/gemmTile.wgsl loads along the stored rows.
override A_ALONG_K: bool = !TRANS_A;
override B_ALONG_N: bool = !TRANS_B;

fn fetchA(i: u32, kk: u32, kEnd: u32) -> vec4f {
  if (!TRANS_A) {
    if (i >= p.m) { return vec4f(0.0); }
    if (VEC_A && kk < kEnd) { return a4[(i * p.k + kk) / 4u]; }
    var v = vec4f(0.0);
    for (var t = 0u; t < 4u; t++) { if (kk + t < kEnd) { v[t] = a[i * p.k + kk + t]; } }
    return v;
  }
  if (kk >= kEnd) { return vec4f(0.0); }
  if (VEC_A && i < p.m) { return a4[(kk * p.m + i) / 4u]; }
  var v = vec4f(0.0);
  for (var t = 0u; t < 4u; t++) { if (i + t < p.m) { v[t] = a[kk * p.m + i + t]; } }
  return v;
}

fn fetchB(kk: u32, j: u32, kEnd: u32) -> vec4f {
  if (!TRANS_B) {
    if (kk >= kEnd) { return vec4f(0.0); }
    if (VEC_B && j < p.n) { return b4[(kk * p.n + j) / 4u]; }
    var v = vec4f(0.0);
    for (var t = 0u; t < 4u; t++) { if (j + t < p.n) { v[t] = b[kk * p.n + j + t]; } }
    return v;
  }
  if (j >= p.n) { return vec4f(0.0); }
  if (VEC_B && kk < kEnd) { return b4[(j * p.k + kk) / 4u]; }
  var v = vec4f(0.0);
  for (var t = 0u; t < 4u; t++) { if (kk + t < kEnd) { v[t] = b[j * p.k + kk + t]; } }
  return v;
}

//! include lib/fusedActivation.wgsl
//! include lib/gemmTile.wgsl
