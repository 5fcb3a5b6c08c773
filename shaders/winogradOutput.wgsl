// winogradOutput.wgsl: the output transform of Winograd F(2x2, 3x3). The 16
// GEMMs' products m[e][tile][cout4] (cout padded to 4 * groups) of each tile become its 2x2 output pixels
// Y = A^T m A, plus the bias and the fused activation, written to y
// [n, oh, ow, cout]; pixels past an odd output size are dropped. An invocation
// handles 4 channels of one tile.
// hasBias is a uniform, not an override, so one pipeline serves convs with and without one.
// p: the uniforms declared with this shader in src/kernels/conv2d/winograd.ts.
//! include lib/fusedActivation.wgsl
//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> m: array<vec4f>;        // [16, tiles, groups] vec4s of channels
@group(0) @binding(2) var<storage, read> bias: array<f32>;       // a 16-byte dummy when p.hasBias is 0
// Scalar stores: a vec4 view of y could not sit beside this one (writable bindings may not alias).
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

/** A^T applied to 4 values along one axis of the tile: the 2 outputs. */
struct Pair { o0: vec4f, o1: vec4f }
fn at(m0: vec4f, m1: vec4f, m2: vec4f, m3: vec4f) -> Pair {
  return Pair(m0 + m1 + m2, m1 - m2 - m3);
}

fn load(e: u32, tile: u32, c0: u32) -> vec4f {
  return m[(e * p.tiles + tile) * p.groups + c0 / 4u];
}

/** Row r of the tile's products transformed along the row. */
fn row(r: u32, tile: u32, c0: u32) -> Pair {
  return at(load(4u * r, tile, c0), load(4u * r + 1u, tile, c0), load(4u * r + 2u, tile, c0), load(4u * r + 3u, tile, c0));
}

fn store(b: u32, oy: u32, ox: u32, c0: u32, value: vec4f, bias4: vec4f) {
  if (oy >= p.oh || ox >= p.ow) { return; }
  let out = fusedActivation4(value + bias4);
  let i = ((b * p.oh + oy) * p.ow + ox) * p.cout + c0;
  for (var t = 0u; t < 4u; t++) {
    if (c0 + t < p.cout) { y[i + t] = out[t]; }
  }
}

fn item(i: u32) {
  if (i >= p.tiles * p.groups) { return; }
  let c0 = (i % p.groups) * 4u;
  let tile = i / p.groups;
  let tx = tile % p.tilesW;
  let ty = (tile / p.tilesW) % p.tilesH;
  let b = tile / (p.tilesW * p.tilesH);
  let r0 = row(0u, tile, c0);
  let r1 = row(1u, tile, c0);
  let r2 = row(2u, tile, c0);
  let r3 = row(3u, tile, c0);
  // Down the columns: left output column from the rows' first outputs, right from their second.
  let left = at(r0.o0, r1.o0, r2.o0, r3.o0);
  let right = at(r0.o1, r1.o1, r2.o1, r3.o1);
  var bias4 = vec4f(0.0);
  if (p.hasBias != 0u) {
    for (var t = 0u; t < 4u; t++) {
      if (c0 + t < p.cout) { bias4[t] = bias[c0 + t]; }
    }
  }
  let oy = 2u * ty;
  let ox = 2u * tx;
  store(b, oy, ox, c0, left.o0, bias4);
  store(b, oy, ox + 1u, c0, right.o0, bias4);
  store(b, oy + 1u, ox, c0, left.o1, bias4);
  store(b, oy + 1u, ox + 1u, c0, right.o1, bias4);
}
