// winograd4Dw.wgsl: dW's output transform for Winograd F(4x4, 3x3). The 36
// GEMMs' sums m[e][rows4][c4] = v[e]^T . d[e] (the transformed x and dy summed
// over every tile) of each channel pair become its 3x3 kernel gradient
// dW = G^T m G, G the forward's filter transform, written to dw [3, 3, cin, cout].
// An invocation handles 4 output channels of one input channel.
// p: the uniforms declared with this shader in src/kernels/conv2d/winograd.ts.
//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> m: array<vec4f>;     // [36, rows4, groups] vec4s of output channels
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;

/** Three values along one axis of the kernel gradient, each for 4 output channels. */
struct Tri { t0: vec4f, t1: vec4f, t2: vec4f }

/** G^T applied to 6 values along one axis of the transform. */
fn gt(m0: vec4f, m1: vec4f, m2: vec4f, m3: vec4f, m4: vec4f, m5: vec4f) -> Tri {
  let s12 = m1 + m2;
  let d12 = m2 - m1;
  let s34 = m3 + m4;
  let d34 = m3 - m4;
  return Tri(m0 / 4.0 - s12 / 6.0 + s34 / 24.0, d12 / 6.0 + d34 / 12.0, (s34 - s12) / 6.0 + m5);
}

fn load(e: u32, i: u32, j0: u32) -> vec4f {
  return m[(e * p.rows4 + i) * p.groups + j0 / 4u];
}

/** Row r of the transform, transformed along the row. */
fn row(r: u32, i: u32, j0: u32) -> Tri {
  let e = 6u * r;
  return gt(load(e, i, j0), load(e + 1u, i, j0), load(e + 2u, i, j0), load(e + 3u, i, j0), load(e + 4u, i, j0), load(e + 5u, i, j0));
}

fn store(ky: u32, kx: u32, i: u32, j0: u32, value: vec4f) {
  let at = ((ky * 3u + kx) * p.cin + i) * p.cout + j0;
  for (var t = 0u; t < 4u; t++) {
    if (j0 + t < p.cout) { dw[at + t] = value[t]; }
  }
}

/** Kernel column kx: its 3 taps down the column. */
fn storeColumn(kx: u32, i: u32, j0: u32, col: Tri) {
  store(0u, kx, i, j0, col.t0);
  store(1u, kx, i, j0, col.t1);
  store(2u, kx, i, j0, col.t2);
}

fn item(n: u32) {
  if (n >= p.cin * p.groups) { return; }
  let j0 = (n % p.groups) * 4u;
  let i = n / p.groups;
  let r0 = row(0u, i, j0);
  let r1 = row(1u, i, j0);
  let r2 = row(2u, i, j0);
  let r3 = row(3u, i, j0);
  let r4 = row(4u, i, j0);
  let r5 = row(5u, i, j0);
  storeColumn(0u, i, j0, gt(r0.t0, r1.t0, r2.t0, r3.t0, r4.t0, r5.t0));
  storeColumn(1u, i, j0, gt(r0.t1, r1.t1, r2.t1, r3.t1, r4.t1, r5.t1));
  storeColumn(2u, i, j0, gt(r0.t2, r1.t2, r2.t2, r3.t2, r4.t2, r5.t2));
}
