// conv2dBackwardFilterSweep.wgsl: dW of a 3x3, stride-1, undilated conv over one
// input channel (conv2dSweep.wgsl's layers):
//   dW[ky,kx,0,co] = sum over output pixels of x[b, oy-padTop+ky, ox-padLeft+kx] * dy[b,oy,ox,co]
// An invocation sums a slice of whole output rows for one octet of channels,
// all 9 taps in registers; slices are split-K slices that splitKSum.wgsl adds
// in a fixed order (deterministic). cout % 4 == 0.
// p: the uniforms declared with this shader in src/kernels/conv2d/webgpu.ts.

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy4: array<vec4f>;        // [n * oh * ow, cout / 4]
@group(0) @binding(3) var<storage, read_write> part4: array<vec4f>;  // [splits, 9, cout / 4]

/** Two vec4s of output channels. */
struct Pair { a: vec4f, b: vec4f }

/** x at (row, ix) of image row `rowAt` (-1: a row outside the image), 0 outside. */
fn loadX(rowAt: i32, ix: i32) -> f32 {
  let ok = rowAt >= 0 && ix >= 0 && ix < i32(p.w);
  return select(0.0, x[select(0, rowAt + ix, ok)], ok);
}

/** Index of input row iy's first value in image b, or -1 outside the image. */
fn rowStart(b: u32, iy: i32) -> i32 {
  return select(-1, (i32(b * p.h) + iy) * i32(p.w), iy >= 0 && iy < i32(p.h));
}

fn mac(acc: Pair, v: f32, d: Pair) -> Pair {
  return Pair(fma(vec4f(v), d.a, acc.a), fma(vec4f(v), d.b, acc.b));
}

fn store(split: u32, t: u32, qa: u32, qb: u32, c4: u32, v: Pair) {
  let at = (split * 9u + t) * c4;
  part4[at + qa] = v.a;
  if (qb != qa) { part4[at + qb] = v.b; }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c4 = p.cout / 4u;
  let c8 = (c4 + 1u) / 2u;
  let item = g.x + g.y * nwg.x * 64u;
  if (item >= p.splits * c8) { return; }
  let oct = item % c8;
  let split = item / c8;
  let qa = 2u * oct;
  let qb = min(qa + 1u, c4 - 1u);  // cout % 8 == 4: the last octet has one vec4 (stored once)
  let zero = Pair(vec4f(0.0), vec4f(0.0));
  // Tap (ky, kx) is tky_kx.
  var t00 = zero; var t01 = zero; var t02 = zero;
  var t10 = zero; var t11 = zero; var t12 = zero;
  var t20 = zero; var t21 = zero; var t22 = zero;
  let rowEnd = min((split + 1u) * p.rowsPerSplit, p.n * p.oh);
  for (var row = split * p.rowsPerSplit; row < rowEnd; row++) {
    let oy = row % p.oh;
    let b = row / p.oh;
    let iy = i32(oy) - i32(p.padTop);
    let s0 = rowStart(b, iy); let s1 = rowStart(b, iy + 1); let s2 = rowStart(b, iy + 2);
    // The window's columns kx = 0, 1 (rows ky = 0, 1, 2) for the first pixel, then slide.
    let ix0 = -i32(p.padLeft);
    var u0 = loadX(s0, ix0); var u1 = loadX(s1, ix0); var u2 = loadX(s2, ix0);
    var v0 = loadX(s0, ix0 + 1); var v1 = loadX(s1, ix0 + 1); var v2 = loadX(s2, ix0 + 1);
    var dyAt = row * p.ow * c4;
    for (var ox = 0u; ox < p.ow; ox++) {
      let ix = ix0 + i32(ox) + 2;
      let z0 = loadX(s0, ix); let z1 = loadX(s1, ix); let z2 = loadX(s2, ix);
      let d = Pair(dy4[dyAt + qa], dy4[dyAt + qb]);
      t00 = mac(t00, u0, d); t01 = mac(t01, v0, d); t02 = mac(t02, z0, d);
      t10 = mac(t10, u1, d); t11 = mac(t11, v1, d); t12 = mac(t12, z1, d);
      t20 = mac(t20, u2, d); t21 = mac(t21, v2, d); t22 = mac(t22, z2, d);
      u0 = v0; u1 = v1; u2 = v2;
      v0 = z0; v1 = z1; v2 = z2;
      dyAt += c4;
    }
  }
  store(split, 0u, qa, qb, c4, t00); store(split, 1u, qa, qb, c4, t01); store(split, 2u, qa, qb, c4, t02);
  store(split, 3u, qa, qb, c4, t10); store(split, 4u, qa, qb, c4, t11); store(split, 5u, qa, qb, c4, t12);
  store(split, 6u, qa, qb, c4, t20); store(split, 7u, qa, qb, c4, t21); store(split, 8u, qa, qb, c4, t22);
}
