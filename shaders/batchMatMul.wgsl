// batchMatMul.wgsl: c[t] = op(a[batch of t]) . op(b[batch of t]) for every
// output batch t, op a transpose where TA / TB say; `batches` holds, per
// output batch, the batch of a and of b it reads (broadcast batch dimensions).
// An invocation per output element, a dot product over k.
// p: the uniforms declared with this shader in src/kernels/linalg/webgpu.ts.

override TA: bool = false;
override TB: bool = false;

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> batches: array<u32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

fn item(idx: u32) {
  let mn = p.m * p.n;
  if (idx >= p.batches * mn) { return; }
  let t = idx / mn;
  let i = (idx % mn) / p.n;
  let j = idx % p.n;
  let aBase = batches[2u * t] * p.m * p.k;
  let bBase = batches[2u * t + 1u] * p.k * p.n;
  var s = 0.0;
  for (var q = 0u; q < p.k; q++) {
    let av = a[aBase + select(i * p.k + q, q * p.m + i, TA)];
    let bv = b[bBase + select(q * p.n + j, j * p.k + q, TB)];
    s += av * bv;
  }
  c[idx] = s;
}
