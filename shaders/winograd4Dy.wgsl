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

/**
 * Channels c0.. of the dy pixel at element `at` where `inside` (`lanes` of the 4 are channels), else zeros.
 * Indices are stepped from the block's first pixel, worked out once: SwiftShader's compiler keeps
 * no product across loads.
 */
fn load(at: u32, inside: bool, lanes: u32) -> vec4f {
  var out = vec4f(0.0);
  if (!inside) { return out; }
  if (lanes == 4u) { return vec4f(dy[at], dy[at + 1u], dy[at + 2u], dy[at + 3u]); }
  for (var t = 0u; t < lanes; t++) { out[t] = dy[at + t]; }
  return out;
}

/** A row of the block (its 4 pixels from element `at`, p.cout apart; `cols` inside), transformed along the row. */
fn row(at: u32, inside: bool, cols: u32, lanes: u32) -> Hex {
  let c = p.cout;
  return a(Quad(load(at, inside, lanes), load(at + c, inside && cols > 1u, lanes), load(at + 2u * c, inside && cols > 2u, lanes),
                load(at + 3u * c, inside && cols > 3u, lanes)));
}

/** Element column s of every row, transformed down the column. */
fn putColumn(s: u32, tile: u32, c0: u32, col: Quad) {
  let t = a(col);
  // Element e of the tile's transform goes to d[e * step + first], stepped.
  let step = p.tiles * p.groups;
  let at = s * step + tile * p.groups + c0 / 4u;
  d[at] = t.h0;
  d[at + 6u * step] = t.h1;
  d[at + 12u * step] = t.h2;
  d[at + 18u * step] = t.h3;
  d[at + 24u * step] = t.h4;
  d[at + 30u * step] = t.h5;
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
  // The block's pixels inside dy (the last row and column of tiles may hang over), and its channels.
  let rows = min(4u, p.oh - oy);
  let cols = min(4u, p.ow - ox);
  let lanes = min(4u, p.cout - c0);
  let stride = p.ow * p.cout;
  let px = ((b * p.oh + oy) * p.ow + ox) * p.cout + c0;
  let r0 = row(px, true, cols, lanes);
  let r1 = row(px + stride, rows > 1u, cols, lanes);
  let r2 = row(px + 2u * stride, rows > 2u, cols, lanes);
  let r3 = row(px + 3u * stride, rows > 3u, cols, lanes);
  putColumn(0u, tile, c0, Quad(r0.h0, r1.h0, r2.h0, r3.h0));
  putColumn(1u, tile, c0, Quad(r0.h1, r1.h1, r2.h1, r3.h1));
  putColumn(2u, tile, c0, Quad(r0.h2, r1.h2, r2.h2, r3.h2));
  putColumn(3u, tile, c0, Quad(r0.h3, r1.h3, r2.h3, r3.h3));
  putColumn(4u, tile, c0, Quad(r0.h4, r1.h4, r2.h4, r3.h4));
  putColumn(5u, tile, c0, Quad(r0.h5, r1.h5, r2.h5, r3.h5));
}
