// winograd4Dy.wgsl: dW's dy transform for Winograd F(4x4, 3x3). Each 4x4 block
// of dy (zeros past its edge and past cout) becomes D = A dy A^T, A = (A^T)^T of
// the forward's output transform, stored as d[e][tile][c4] for its 36 elements
// e = 6 * row + column: the B operands of dW's 36 GEMMs v[e]^T . d[e], whose
// A operands are the forward's input transform of x over the same tiles.
// An invocation transforms 4 channels of one tile.
// p: the uniforms declared with this shader in src/kernels/conv2d/winograd.ts.
//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> d: array<vec4f>;  // [36, tiles, groups] vec4s of channels

/** Four values along one axis of the block, each 4 channels. */
struct Quad { q0: vec4f, q1: vec4f, q2: vec4f, q3: vec4f }
/** Six values along one axis of the transform (named fields: SwiftShader keeps them in registers). */
struct Hex { h0: vec4f, h1: vec4f, h2: vec4f, h3: vec4f, h4: vec4f, h5: vec4f }

/** A applied to 4 values: the values of their cubic at 0, 1, -1, 2, -2 and its leading coefficient. */
fn a(q: Quad) -> Hex {
  let even = q.q0 + q.q2;
  let odd = q.q1 + q.q3;
  let even2 = q.q0 + 4.0 * q.q2;
  let odd2 = 2.0 * q.q1 + 8.0 * q.q3;
  return Hex(q.q0, even + odd, even - odd, even2 + odd2, even2 - odd2, q.q3);
}

/** Channels c0..c0+3 of dy at (oy, ox) of image b; zeros past the edge and past cout. */
fn load(b: u32, oy: u32, ox: u32, c0: u32) -> vec4f {
  var out = vec4f(0.0);
  if (oy >= p.oh || ox >= p.ow) { return out; }
  let at = ((b * p.oh + oy) * p.ow + ox) * p.cout + c0;
  for (var t = 0u; t < 4u; t++) {
    if (c0 + t < p.cout) { out[t] = dy[at + t]; }
  }
  return out;
}

/** Row oy of the block (4 columns from ox), transformed along the row. */
fn row(b: u32, oy: u32, ox: u32, c0: u32) -> Hex {
  return a(Quad(load(b, oy, ox, c0), load(b, oy, ox + 1u, c0), load(b, oy, ox + 2u, c0), load(b, oy, ox + 3u, c0)));
}

fn put(e: u32, tile: u32, c0: u32, value: vec4f) {
  d[(e * p.tiles + tile) * p.groups + c0 / 4u] = value;
}

/** Element column s of every row, transformed down the column. */
fn putColumn(s: u32, tile: u32, c0: u32, col: Quad) {
  let t = a(col);
  put(s, tile, c0, t.h0);
  put(6u + s, tile, c0, t.h1);
  put(12u + s, tile, c0, t.h2);
  put(18u + s, tile, c0, t.h3);
  put(24u + s, tile, c0, t.h4);
  put(30u + s, tile, c0, t.h5);
}

fn item(i: u32) {
  if (i >= p.tiles * p.groups) { return; }
  let c0 = (i % p.groups) * 4u;
  let tile = i / p.groups;
  let tx = tile % p.tilesW;
  let ty = (tile / p.tilesW) % p.tilesH;
  let b = tile / (p.tilesW * p.tilesH);
  let oy = 4u * ty;
  let ox = 4u * tx;
  let r0 = row(b, oy, ox, c0);
  let r1 = row(b, oy + 1u, ox, c0);
  let r2 = row(b, oy + 2u, ox, c0);
  let r3 = row(b, oy + 3u, ox, c0);
  putColumn(0u, tile, c0, Quad(r0.h0, r1.h0, r2.h0, r3.h0));
  putColumn(1u, tile, c0, Quad(r0.h1, r1.h1, r2.h1, r3.h1));
  putColumn(2u, tile, c0, Quad(r0.h2, r1.h2, r2.h2, r3.h2));
  putColumn(3u, tile, c0, Quad(r0.h3, r1.h3, r2.h3, r3.h3));
  putColumn(4u, tile, c0, Quad(r0.h4, r1.h4, r2.h4, r3.h4));
  putColumn(5u, tile, c0, Quad(r0.h5, r1.h5, r2.h5, r3.h5));
}
