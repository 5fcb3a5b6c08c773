// winograd4Output.wgsl: the output transform of Winograd F(4x4, 3x3). The 36
// GEMMs' products m[e][tile][cout4] (cout padded to 4 * groups) of each tile
// become its 4x4 output pixels Y = A^T m A, plus the bias and the fused
// activation, written to y [n, oh, ow, cout]; pixels past the output's edge are
// dropped. An invocation handles 4 channels of one tile.
// hasBias is a uniform, not an override, so one pipeline serves convs with and without one.
// p: the uniforms declared with this shader in src/kernels/conv2d/winograd.ts.
//! include lib/fusedActivation.wgsl
//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> m: array<vec4f>;        // [36, tiles, groups] vec4s of channels
@group(0) @binding(2) var<storage, read> bias: array<f32>;       // a 16-byte dummy when p.hasBias is 0
// Scalar stores: a vec4 view of y could not sit beside this one (writable bindings may not alias).
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

/** A^T applied to 6 values along one axis of the tile: the 4 outputs. */
struct Quad { o0: vec4f, o1: vec4f, o2: vec4f, o3: vec4f }
fn at(m0: vec4f, m1: vec4f, m2: vec4f, m3: vec4f, m4: vec4f, m5: vec4f) -> Quad {
  let s12 = m1 + m2;
  let d12 = m1 - m2;
  let s34 = m3 + m4;
  let d34 = m3 - m4;
  return Quad(m0 + s12 + s34, d12 + 2.0 * d34, s12 + 4.0 * s34, d12 + 8.0 * d34 + m5);
}

fn load(e: u32, tile: u32, c0: u32) -> vec4f {
  return m[(e * p.tiles + tile) * p.groups + c0 / 4u];
}

/** Row r of the tile's products transformed along the row. */
fn row(r: u32, tile: u32, c0: u32) -> Quad {
  let e = 6u * r;
  return at(load(e, tile, c0), load(e + 1u, tile, c0), load(e + 2u, tile, c0),
            load(e + 3u, tile, c0), load(e + 4u, tile, c0), load(e + 5u, tile, c0));
}

fn store(b: u32, oy: u32, ox: u32, c0: u32, value: vec4f, bias4: vec4f) {
  if (oy >= p.oh || ox >= p.ow) { return; }
  let out = fusedActivation4(value + bias4);
  let i = ((b * p.oh + oy) * p.ow + ox) * p.cout + c0;
  for (var t = 0u; t < 4u; t++) {
    if (c0 + t < p.cout) { y[i + t] = out[t]; }
  }
}

/** Output column ox of the tile: its 4 pixels down the column. */
fn storeColumn(b: u32, oy: u32, ox: u32, c0: u32, col: Quad, bias4: vec4f) {
  store(b, oy, ox, c0, col.o0, bias4);
  store(b, oy + 1u, ox, c0, col.o1, bias4);
  store(b, oy + 2u, ox, c0, col.o2, bias4);
  store(b, oy + 3u, ox, c0, col.o3, bias4);
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
  let r4 = row(4u, tile, c0);
  let r5 = row(5u, tile, c0);
  var bias4 = vec4f(0.0);
  if (p.hasBias != 0u) {
    for (var t = 0u; t < 4u; t++) {
      if (c0 + t < p.cout) { bias4[t] = bias[c0 + t]; }
    }
  }
  let oy = 4u * ty;
  let ox = 4u * tx;
  // Down the columns: output column k from the rows' k-th outputs.
  storeColumn(b, oy, ox, c0, at(r0.o0, r1.o0, r2.o0, r3.o0, r4.o0, r5.o0), bias4);
  storeColumn(b, oy, ox + 1u, c0, at(r0.o1, r1.o1, r2.o1, r3.o1, r4.o1, r5.o1), bias4);
  storeColumn(b, oy, ox + 2u, c0, at(r0.o2, r1.o2, r2.o2, r3.o2, r4.o2, r5.o2), bias4);
  storeColumn(b, oy, ox + 3u, c0, at(r0.o3, r1.o3, r2.o3, r3.o3, r4.o3, r5.o3), bias4);
}
