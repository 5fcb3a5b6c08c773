// winogradInput.wgsl: the input transform of Winograd F(2x2, 3x3). Each 4x4
// tile of the (padded) input, overlapping its neighbours by 2, becomes
// V = B^T d B, stored as v[e][tile][c4] for its 16 elements e = 4 * row + column:
// the 16 GEMMs' A operands, channels padded with zeros to c4 = 4 * groups. An
// invocation transforms 4 channels of one tile, read as a vec4 where c % 4 == 0
// (VEC4); reads past the input are the padding's zeros.
// p: the uniforms declared with this shader in src/kernels/conv2d/winograd.ts.
//! include lib/invocation.wgsl
//! include lib/winogradInput.wgsl

override VEC4: bool = false;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> x4: array<vec4f>;       // the same buffer as x, viewed as vec4 (VEC4)
@group(0) @binding(3) var<storage, read_write> v: array<vec4f>;  // [16, tiles, groups] vec4s of channels

/** Four rows or columns of a tile, each 4 channels. */
struct Quad { q0: vec4f, q1: vec4f, q2: vec4f, q3: vec4f }

/** B^T applied to 4 values along one axis of the tile. */
fn bt(d: Quad) -> Quad {
  return Quad(d.q0 - d.q2, d.q1 + d.q2, d.q2 - d.q1, d.q1 - d.q3);
}

/** One input row of the tile (4 columns from col), transformed along the row. */
fn row(b: u32, r: i32, col: i32, c0: u32) -> Quad {
  return bt(Quad(load(b, r, col, c0), load(b, r, col + 1, c0), load(b, r, col + 2, c0), load(b, r, col + 3, c0)));
}

/** The 4 transformed columns of the tile at element column s: column s of every row, transformed down the column. */
fn putColumn(s: u32, tile: u32, c0: u32, col: Quad) {
  let t = bt(col);
  put(s, tile, c0, t.q0);
  put(4u + s, tile, c0, t.q1);
  put(8u + s, tile, c0, t.q2);
  put(12u + s, tile, c0, t.q3);
}

fn item(i: u32) {
  if (i >= p.tiles * p.groups) { return; }
  let c0 = (i % p.groups) * 4u;
  let tile = i / p.groups;
  let tx = tile % p.tilesW;
  let ty = (tile / p.tilesW) % p.tilesH;
  let b = tile / (p.tilesW * p.tilesH);
  let top = i32(2u * ty) - p.padTop;
  let left = i32(2u * tx) - p.padLeft;
  let r0 = row(b, top, left, c0);
  let r1 = row(b, top + 1, left, c0);
  let r2 = row(b, top + 2, left, c0);
  let r3 = row(b, top + 3, left, c0);
  putColumn(0u, tile, c0, Quad(r0.q0, r1.q0, r2.q0, r3.q0));
  putColumn(1u, tile, c0, Quad(r0.q1, r1.q1, r2.q1, r3.q1));
  putColumn(2u, tile, c0, Quad(r0.q2, r1.q2, r2.q2, r3.q2));
  putColumn(3u, tile, c0, Quad(r0.q3, r1.q3, r2.q3, r3.q3));
}
