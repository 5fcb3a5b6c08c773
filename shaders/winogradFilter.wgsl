// winogradFilter.wgsl: the filter transform of Winograd F(2x2, 3x3). Each 3x3
// kernel g of (input channel i, output channel j) becomes U = G g G^T, stored as
// u[e][i][j] for its 16 elements e = 4 * row + column: the 16 GEMMs' B operands,
// both channel axes padded with zeros to multiples of 4 (rows4, 4 * groups).
// w is the conv's kernel [3, 3, cin, cout]; when p.flip is 1 (dx, a convolution of dy)
// it is [3, 3, cout, cin], read rotated by 180 degrees with its channels swapped.
// An invocation transforms 4 output channels j of one input channel i.
// flip is a uniform, not an override, so forward and dx share one pipeline.
// p: the uniforms declared with this shader in src/kernels/conv2d/winograd.ts.
//! include lib/invocation.wgsl
//! include lib/winogradFilter.wgsl

@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> u: array<vec4f>;  // [16, rows4, groups] vec4s of output channels

/** Four values along one axis of the transformed kernel, each for 4 output channels. */
struct Quad { q0: vec4f, q1: vec4f, q2: vec4f, q3: vec4f }

/** G applied to 3 values along one axis of the kernel. */
fn gt(g0: vec4f, g1: vec4f, g2: vec4f) -> Quad {
  let h = 0.5 * (g0 + g2);
  return Quad(g0, h + 0.5 * g1, h - 0.5 * g1, g2);
}

/** Kernel row ky transformed along the row. */
fn kernelRow(ky: u32, i: u32, j0: u32) -> Quad {
  return gt(tap(ky, 0u, i, j0), tap(ky, 1u, i, j0), tap(ky, 2u, i, j0));
}

fn putColumn(s: u32, i: u32, j0: u32, g0: vec4f, g1: vec4f, g2: vec4f) {
  let t = gt(g0, g1, g2);
  put(s, i, j0, t.q0);
  put(4u + s, i, j0, t.q1);
  put(8u + s, i, j0, t.q2);
  put(12u + s, i, j0, t.q3);
}

fn item(n: u32) {
  if (n >= p.rows4 * p.groups) { return; }
  let j0 = (n % p.groups) * 4u;
  let i = n / p.groups;
  let r0 = kernelRow(0u, i, j0);
  let r1 = kernelRow(1u, i, j0);
  let r2 = kernelRow(2u, i, j0);
  putColumn(0u, i, j0, r0.q0, r1.q0, r2.q0);
  putColumn(1u, i, j0, r0.q1, r1.q1, r2.q1);
  putColumn(2u, i, j0, r0.q2, r1.q2, r2.q2);
  putColumn(3u, i, j0, r0.q3, r1.q3, r2.q3);
}
