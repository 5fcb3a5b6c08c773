// winograd4Filter.wgsl: the filter transform of Winograd F(4x4, 3x3). Each 3x3
// kernel g of (input channel i, output channel j) becomes U = G g G^T, stored as
// u[e][i][j] for its 36 elements e = 6 * row + column: the 36 GEMMs' B operands,
// both channel axes padded with zeros to multiples of 4 (rows4, 4 * groups).
// w is the conv's kernel [3, 3, cin, cout]; when p.flip is 1 (dx, a convolution of dy)
// it is [3, 3, cout, cin], read rotated by 180 degrees with its channels swapped.
// An invocation transforms 4 output channels j of one input channel i.
// flip is a uniform, not an override, so forward and dx share one pipeline.
// p: the uniforms declared with this shader in src/kernels/conv2d/winograd.ts.
//! include lib/invocation.wgsl
//! include lib/winogradFilter.wgsl

@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> u: array<vec4f>;  // [36, rows4, groups] vec4s of output channels

/** Six values along one axis of the transformed kernel, each for 4 output channels. */
struct Hex { h0: vec4f, h1: vec4f, h2: vec4f, h3: vec4f, h4: vec4f, h5: vec4f }

/** G applied to 3 values along one axis of the kernel. */
fn gt(g0: vec4f, g1: vec4f, g2: vec4f) -> Hex {
  let s = g0 + g2;
  let q = g0 / 24.0 + g2 / 6.0;
  return Hex(g0 / 4.0, -(s + g1) / 6.0, -(s - g1) / 6.0, q + g1 / 12.0, q - g1 / 12.0, g2);
}

/** Kernel row ky transformed along the row. */
fn kernelRow(ky: u32, i: u32, j0: u32) -> Hex {
  return gt(tap(ky, 0u, i, j0), tap(ky, 1u, i, j0), tap(ky, 2u, i, j0));
}

fn putColumn(s: u32, i: u32, j0: u32, g0: vec4f, g1: vec4f, g2: vec4f) {
  let t = gt(g0, g1, g2);
  put(s, i, j0, t.h0);
  put(6u + s, i, j0, t.h1);
  put(12u + s, i, j0, t.h2);
  put(18u + s, i, j0, t.h3);
  put(24u + s, i, j0, t.h4);
  put(30u + s, i, j0, t.h5);
}

fn item(n: u32) {
  if (n >= p.rows4 * p.groups) { return; }
  let j0 = (n % p.groups) * 4u;
  let i = n / p.groups;
  let r0 = kernelRow(0u, i, j0);
  let r1 = kernelRow(1u, i, j0);
  let r2 = kernelRow(2u, i, j0);
  putColumn(0u, i, j0, r0.h0, r1.h0, r2.h0);
  putColumn(1u, i, j0, r0.h1, r1.h1, r2.h1);
  putColumn(2u, i, j0, r0.h2, r1.h2, r2.h2);
  putColumn(3u, i, j0, r0.h3, r1.h3, r2.h3);
  putColumn(4u, i, j0, r0.h4, r1.h4, r2.h4);
  putColumn(5u, i, j0, r0.h5, r1.h5, r2.h5);
}
