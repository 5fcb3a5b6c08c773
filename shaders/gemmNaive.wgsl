// gemmNaive.wgsl: C[m,n] = op(A) . op(B) (+ bias[n]), one invocation per
// element of C. The oracle and fallback for gemm.wgsl: too slow to train with,
// simple enough to trust. op(A) = A [m,k], or A^T when A is stored [k,m]
// (TRANS_A); op(B) = B [k,n], or B^T when B is stored [n,k] (TRANS_B).
// p: the uniforms declared with this shader in src/kernels/matmul/webgpu.ts.
//! include lib/fusedActivation.wgsl

//! include lib/invocation.wgsl
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;

@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;  // a 16-byte dummy when !HAS_BIAS
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

fn item(idx: u32) {
  if (idx >= p.m * p.n) { return; }
  let i = idx / p.n;
  let j = idx % p.n;
  var acc = 0.0;
  for (var kk = 0u; kk < p.k; kk++) {
    let av = select(a[i * p.k + kk], a[kk * p.m + i], TRANS_A);
    let bv = select(b[kk * p.n + j], b[j * p.k + kk], TRANS_B);
    acc += av * bv;
  }
  if (HAS_BIAS) { acc += bias[j]; }
  acc = fusedActivation1(acc);
  c[idx] = acc;
}
