// winograd4Input.wgsl: the input transform of Winograd F(4x4, 3x3). Each 6x6
// tile of the (padded) input, overlapping its neighbours by 2, becomes
// V = B^T d B, stored as v[e][tile][c4] for its 36 elements e = 6 * row + column:
// the 36 GEMMs' A operands, channels padded with zeros to c4 = 4 * groups. An
// invocation transforms 4 channels of one tile, read as a vec4 where c % 4 == 0
// (VEC4); reads past the input are the padding's zeros. winogradInput.wgsl is
// F(2x2, 3x3); this one needs 2.25 products per output instead of 4.
// p: the uniforms declared with this shader in src/kernels/conv2d/winograd.ts.
//! include lib/invocation.wgsl
//! include lib/winogradInput.wgsl

override VEC4: bool = false;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> x4: array<vec4f>;       // the same buffer as x, viewed as vec4 (VEC4)
@group(0) @binding(3) var<storage, read_write> v: array<vec4f>;  // [36, tiles, groups] vec4s of channels

/** Six rows or columns of a tile, each 4 channels (named fields: SwiftShader keeps them in registers). */
struct Hex { h0: vec4f, h1: vec4f, h2: vec4f, h3: vec4f, h4: vec4f, h5: vec4f }

/** B^T applied to 6 values along one axis of the tile. */
fn bt(d: Hex) -> Hex {
  let a = d.h4 - 4.0 * d.h2;
  let b = d.h3 - 4.0 * d.h1;
  let c = d.h4 - d.h2;
  let e = 2.0 * (d.h3 - d.h1);
  return Hex(4.0 * d.h0 - 5.0 * d.h2 + d.h4, a + b, a - b, c + e, c - e, 4.0 * d.h1 - 5.0 * d.h3 + d.h5);
}

/** One input row of the tile (6 columns from col), transformed along the row. */
fn row(b: u32, r: i32, col: i32, c0: u32) -> Hex {
  return bt(Hex(load(b, r, col, c0), load(b, r, col + 1, c0), load(b, r, col + 2, c0),
                load(b, r, col + 3, c0), load(b, r, col + 4, c0), load(b, r, col + 5, c0)));
}

/** Element column s of every row, transformed down the column. */
fn putColumn(s: u32, tile: u32, c0: u32, col: Hex) {
  let t = bt(col);
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
  let top = i32(4u * ty) - p.padTop;
  let left = i32(4u * tx) - p.padLeft;
  let r0 = row(b, top, left, c0);
  let r1 = row(b, top + 1, left, c0);
  let r2 = row(b, top + 2, left, c0);
  let r3 = row(b, top + 3, left, c0);
  let r4 = row(b, top + 4, left, c0);
  let r5 = row(b, top + 5, left, c0);
  putColumn(0u, tile, c0, Hex(r0.h0, r1.h0, r2.h0, r3.h0, r4.h0, r5.h0));
  putColumn(1u, tile, c0, Hex(r0.h1, r1.h1, r2.h1, r3.h1, r4.h1, r5.h1));
  putColumn(2u, tile, c0, Hex(r0.h2, r1.h2, r2.h2, r3.h2, r4.h2, r5.h2));
  putColumn(3u, tile, c0, Hex(r0.h3, r1.h3, r2.h3, r3.h3, r4.h3, r5.h3));
  putColumn(4u, tile, c0, Hex(r0.h4, r1.h4, r2.h4, r3.h4, r4.h4, r5.h4));
  putColumn(5u, tile, c0, Hex(r0.h5, r1.h5, r2.h5, r3.h5, r4.h5, r5.h5));
}
