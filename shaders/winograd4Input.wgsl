// winograd4Input.wgsl: the input transform of Winograd F(4x4, 3x3). Each 6x6
// tile of the (padded) input, overlapping its neighbours by 2, becomes
// V = B^T d B, stored as v[e][tile][c4] for its 36 elements e = 6 * row + column:
// the 36 GEMMs' A operands, channels padded with zeros to c4 = 4 * groups. An
// invocation transforms 4 channels of one tile, read as a vec4 where c % 4 == 0
// (VEC4); reads past the input are the padding's zeros. winogradInput.wgsl is
// F(2x2, 3x3); this one needs 2.25 products per output instead of 4.
// p: the uniforms declared with this shader in src/kernels/conv2d/winograd.ts.
//! include lib/invocation.wgsl

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

fn within(i: i32, n: i32) -> bool {
  return i >= 0 && i < n;
}

/** Which of a tile's 6 columns lie inside the image. */
struct Span { k0: bool, k1: bool, k2: bool, k3: bool, k4: bool, k5: bool }

/**
 * Channels c0..c0+3 of the pixel at element `at` of x where `inside`, else zeros (the padding).
 * The index is worked out by the caller, stepped from the tile's first pixel: SwiftShader's compiler
 * keeps no product across loads, so per pixel one costs what the transform's arithmetic does.
 */
fn pixel(at: i32, inside: bool, c0: u32) -> vec4f {
  let safe = u32(select(0, at, inside));
  if (VEC4) { return select(vec4f(0.0), x4[safe / 4u], inside); }
  var out = vec4f(0.0);
  for (var t = 0u; t < 4u; t++) {
    if (inside && c0 + t < p.c) { out[t] = x[safe + t]; }
  }
  return out;
}

/** One input row of the tile (its 6 columns from element `at`, p.c apart), transformed along the row. */
fn row(at: i32, inside: bool, cols: Span, c0: u32) -> Hex {
  let c = i32(p.c);
  return bt(Hex(pixel(at, inside && cols.k0, c0), pixel(at + c, inside && cols.k1, c0), pixel(at + 2 * c, inside && cols.k2, c0),
                pixel(at + 3 * c, inside && cols.k3, c0), pixel(at + 4 * c, inside && cols.k4, c0), pixel(at + 5 * c, inside && cols.k5, c0)));
}

/** Element column s of every row, transformed down the column. */
fn putColumn(s: u32, tile: u32, c0: u32, col: Hex) {
  let t = bt(col);
  // Element e of the tile's transform goes to v[e * step + first] (put's index, stepped).
  let step = p.tiles * p.groups;
  let at = s * step + tile * p.groups + c0 / 4u;
  v[at] = t.h0;
  v[at + 6u * step] = t.h1;
  v[at + 12u * step] = t.h2;
  v[at + 18u * step] = t.h3;
  v[at + 24u * step] = t.h4;
  v[at + 30u * step] = t.h5;
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
  let w = i32(p.w);
  let h = i32(p.h);
  let cols = Span(within(left, w), within(left + 1, w), within(left + 2, w), within(left + 3, w), within(left + 4, w), within(left + 5, w));
  // Element of x of the tile's first pixel (maybe in the padding), and a row of the image on.
  let stride = w * i32(p.c);
  let at = ((i32(b) * h + top) * w + left) * i32(p.c) + i32(c0);
  let r0 = row(at, within(top, h), cols, c0);
  let r1 = row(at + stride, within(top + 1, h), cols, c0);
  let r2 = row(at + 2 * stride, within(top + 2, h), cols, c0);
  let r3 = row(at + 3 * stride, within(top + 3, h), cols, c0);
  let r4 = row(at + 4 * stride, within(top + 4, h), cols, c0);
  let r5 = row(at + 5 * stride, within(top + 5, h), cols, c0);
  putColumn(0u, tile, c0, Hex(r0.h0, r1.h0, r2.h0, r3.h0, r4.h0, r5.h0));
  putColumn(1u, tile, c0, Hex(r0.h1, r1.h1, r2.h1, r3.h1, r4.h1, r5.h1));
  putColumn(2u, tile, c0, Hex(r0.h2, r1.h2, r2.h2, r3.h2, r4.h2, r5.h2));
  putColumn(3u, tile, c0, Hex(r0.h3, r1.h3, r2.h3, r3.h3, r4.h3, r5.h3));
  putColumn(4u, tile, c0, Hex(r0.h4, r1.h4, r2.h4, r3.h4, r4.h4, r5.h4));
  putColumn(5u, tile, c0, Hex(r0.h5, r1.h5, r2.h5, r3.h5, r4.h5, r5.h5));
}
