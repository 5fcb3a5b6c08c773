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

/**
 * Row r of the tile's products transformed along the row: its element e = 6r + k is m[e0 + k * step].
 * Indices are stepped from the tile's first, worked out once: SwiftShader's compiler keeps no product across loads.
 */
fn row(e0: u32, step: u32) -> Quad {
  return at(m[e0], m[e0 + step], m[e0 + 2u * step], m[e0 + 3u * step], m[e0 + 4u * step], m[e0 + 5u * step]);
}

/** Channels c0.. of one output pixel at element `at` of y, where `inside`; `lanes` of the 4 are channels. */
fn store(at: u32, inside: bool, lanes: u32, value: vec4f, bias4: vec4f) {
  if (!inside) { return; }
  let out = fusedActivation4(value + bias4);
  if (lanes == 4u) {
    y[at] = out.x; y[at + 1u] = out.y; y[at + 2u] = out.z; y[at + 3u] = out.w;
    return;
  }
  for (var t = 0u; t < lanes; t++) { y[at + t] = out[t]; }
}

/** An output column of the tile, from element `at` of y down `rows` rows (a row of y is `stride` on). */
fn storeColumn(at: u32, stride: u32, inside: bool, rows: u32, lanes: u32, col: Quad, bias4: vec4f) {
  store(at, inside && rows > 0u, lanes, col.o0, bias4);
  store(at + stride, inside && rows > 1u, lanes, col.o1, bias4);
  store(at + 2u * stride, inside && rows > 2u, lanes, col.o2, bias4);
  store(at + 3u * stride, inside && rows > 3u, lanes, col.o3, bias4);
}

fn item(i: u32) {
  if (i >= p.tiles * p.groups) { return; }
  let c0 = (i % p.groups) * 4u;
  let tile = i / p.groups;
  let tx = tile % p.tilesW;
  let ty = (tile / p.tilesW) % p.tilesH;
  let b = tile / (p.tilesW * p.tilesH);
  let step = p.tiles * p.groups;
  let first = tile * p.groups + c0 / 4u;
  let r0 = row(first, step);
  let r1 = row(first + 6u * step, step);
  let r2 = row(first + 12u * step, step);
  let r3 = row(first + 18u * step, step);
  let r4 = row(first + 24u * step, step);
  let r5 = row(first + 30u * step, step);
  var bias4 = vec4f(0.0);
  if (p.hasBias != 0u) {
    for (var t = 0u; t < 4u; t++) {
      if (c0 + t < p.cout) { bias4[t] = bias[c0 + t]; }
    }
  }
  let oy = 4u * ty;
  let ox = 4u * tx;
  // The tile's pixels inside the output (its last row and column of tiles may hang over), and its channels.
  let rows = min(4u, p.oh - oy);
  let cols = min(4u, p.ow - ox);
  let lanes = min(4u, p.cout - c0);
  let stride = p.ow * p.cout;
  let px = ((b * p.oh + oy) * p.ow + ox) * p.cout + c0;
  // Down the columns: output column k from the rows' k-th outputs.
  storeColumn(px, stride, true, rows, lanes, at(r0.o0, r1.o0, r2.o0, r3.o0, r4.o0, r5.o0), bias4);
  storeColumn(px + p.cout, stride, cols > 1u, rows, lanes, at(r0.o1, r1.o1, r2.o1, r3.o1, r4.o1, r5.o1), bias4);
  storeColumn(px + 2u * p.cout, stride, cols > 2u, rows, lanes, at(r0.o2, r1.o2, r2.o2, r3.o2, r4.o2, r5.o2), bias4);
  storeColumn(px + 3u * p.cout, stride, cols > 3u, rows, lanes, at(r0.o3, r1.o3, r2.o3, r3.o3, r4.o3, r5.o3), bias4);
}
