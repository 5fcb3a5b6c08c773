// conv2dSweep.wgsl: the forward of a 3x3, stride-1, undilated conv over one
// input channel (a grayscale image's first layer), without the column matrix
// and without reloading w:
//   y[b,oy,ox,co] = sum over (ky,kx) of x[b, oy-padTop+ky, ox-padLeft+kx] * w[ky,kx,0,co]  (+ bias[co])
// An invocation sweeps two output rows for one octet of output channels, the
// 9 taps' weights in registers; x outside the image counts as 0. cout % 4 == 0.
// p: the uniforms declared with this shader in src/kernels/conv2d/webgpu.ts.
//! include lib/fusedActivation.wgsl

override HAS_BIAS: bool = false;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w4: array<vec4f>;    // [3, 3, 1, cout / 4]
@group(0) @binding(3) var<storage, read> bias: array<vec4f>;  // [cout / 4]; a 16-byte dummy when !HAS_BIAS
@group(0) @binding(4) var<storage, read_write> y4: array<vec4f>;  // [n * oh * ow, cout / 4]

/** Two vec4s of output channels. */
struct Pair { a: vec4f, b: vec4f }

fn loadW(ky: u32, kx: u32, qa: u32, qb: u32, c4: u32) -> Pair {
  let at = (ky * 3u + kx) * c4;
  return Pair(w4[at + qa], w4[at + qb]);
}

/** x at (row, ix) of image row `rowAt` (-1: a row outside the image), 0 outside. */
fn loadX(rowAt: i32, ix: i32) -> f32 {
  let ok = rowAt >= 0 && ix >= 0 && ix < i32(p.w);
  return select(0.0, x[select(0, rowAt + ix, ok)], ok);
}

/** Index of input row iy's first value in image b, or -1 outside the image. */
fn rowStart(b: u32, iy: i32) -> i32 {
  return select(-1, (i32(b * p.h) + iy) * i32(p.w), iy >= 0 && iy < i32(p.h));
}

/** acc + the three input rows' values at one column times one column of taps (kx) of w. */
fn taps3(acc: Pair, v0: f32, v1: f32, v2: f32, w0: Pair, w1: Pair, w2: Pair) -> Pair {
  return Pair(fma(vec4f(v0), w0.a, fma(vec4f(v1), w1.a, fma(vec4f(v2), w2.a, acc.a))),
              fma(vec4f(v0), w0.b, fma(vec4f(v1), w1.b, fma(vec4f(v2), w2.b, acc.b))));
}

fn store(pix: u32, qa: u32, qb: u32, c4: u32, v: Pair, bias: Pair) {
  var a = v.a + bias.a;
  var b = v.b + bias.b;
  a = fusedActivation4(a); b = fusedActivation4(b);
  y4[pix * c4 + qa] = a;
  if (qb != qa) { y4[pix * c4 + qb] = b; }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c4 = p.cout / 4u;
  let c8 = (c4 + 1u) / 2u;
  let pairs = (p.oh + 1u) / 2u;  // output rows oy, oy + 1 per invocation
  let item = g.x + g.y * nwg.x * 64u;
  if (item >= p.n * pairs * c8) { return; }
  let oct = item % c8;
  let bPair = item / c8;
  let oy = 2u * (bPair % pairs);
  let b = bPair / pairs;
  let second = oy + 1u < p.oh;  // oh odd: the last pair has one row
  let qa = 2u * oct;
  let qb = min(qa + 1u, c4 - 1u);  // cout % 8 == 4: the last octet has one vec4 (never stored twice)
  let w00 = loadW(0u, 0u, qa, qb, c4); let w01 = loadW(0u, 1u, qa, qb, c4); let w02 = loadW(0u, 2u, qa, qb, c4);
  let w10 = loadW(1u, 0u, qa, qb, c4); let w11 = loadW(1u, 1u, qa, qb, c4); let w12 = loadW(1u, 2u, qa, qb, c4);
  let w20 = loadW(2u, 0u, qa, qb, c4); let w21 = loadW(2u, 1u, qa, qb, c4); let w22 = loadW(2u, 2u, qa, qb, c4);
  var bv = Pair(vec4f(0.0), vec4f(0.0));
  if (HAS_BIAS) { bv = Pair(bias[qa], bias[qb]); }
  // Output row oy reads input rows iy0 .. iy0 + 2, row oy + 1 reads iy0 + 1 .. iy0 + 3.
  let iy0 = i32(oy) - i32(p.padTop);
  let s0 = rowStart(b, iy0); let s1 = rowStart(b, iy0 + 1); let s2 = rowStart(b, iy0 + 2);
  let s3 = select(-1, rowStart(b, iy0 + 3), second);
  let zero = Pair(vec4f(0.0), vec4f(0.0));
  var a1 = zero; var a2 = zero;  // row oy: pixels ox + 1 (taps kx = 0, 1 so far) and ox + 2 (kx = 0)
  var c1 = zero; var c2 = zero;  // row oy + 1: the same
  var pix = (b * p.oh + oy) * p.ow;  // y's pixel index of (oy, 0)
  let first = -i32(p.padLeft);
  let last = i32(p.ow) + 1 - i32(p.padLeft);
  for (var ix = first; ix <= last; ix++) {
    let v0 = loadX(s0, ix); let v1 = loadX(s1, ix); let v2 = loadX(s2, ix); let v3 = loadX(s3, ix);
    // Column ix is tap kx = 2 of pixel ix + padLeft - 2, kx = 1 of the next, kx = 0 of the one after.
    let doneA = taps3(a1, v0, v1, v2, w02, w12, w22);
    a1 = taps3(a2, v0, v1, v2, w01, w11, w21);
    a2 = taps3(zero, v0, v1, v2, w00, w10, w20);
    let doneC = taps3(c1, v1, v2, v3, w02, w12, w22);
    c1 = taps3(c2, v1, v2, v3, w01, w11, w21);
    c2 = taps3(zero, v1, v2, v3, w00, w10, w20);
    if (ix >= first + 2) {
      store(pix, qa, qb, c4, doneA, bv);
      if (second) { store(pix + p.ow, qa, qb, c4, doneC, bv); }
      pix += 1u;
    }
  }
}
