// binary.wgsl: c = f(a, b) element-wise with numpy broadcasting. OP picks f
// at pipeline creation; the codes are BINARY_OPS in
// src/kernels/elementwise/codes.ts, in order. Comparisons give 1.0 or 0.0.
// Where the shapes are equal (p.same == 1) a and b are read at the output's
// index; otherwise `table` (src/kernels/elementwise/broadcast.ts's
// broadcastTable) holds the output shape and each input's strides.
// p: the uniforms declared with this shader in src/kernels/elementwise/webgpu.ts.

//! include lib/invocation.wgsl
override OP: u32 = 0;

@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> table: array<u32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

//! include lib/tableIndex.wgsl

// The offset of output element i in the input whose strides are row `row` of the table (row 0: the output shape).
fn offsetOf(i: u32, row: u32) -> u32 { return tableOffset(i, 0u, row); }

//! include lib/special.wgsl

// JavaScript's Math.pow: a negative base gives a real result only for an integer exponent.
fn powOf(x: f32, e: f32) -> f32 {
  if (e == 0.0) { return 1.0; }
  if (isNan(x) || isNan(e)) { return nan(); }
  if (x == 0.0) { return select(inf(), 0.0, e > 0.0); }
  let m = exp2(e * log2(abs(x)));
  if (x > 0.0) { return m; }
  if (e != floor(e)) { return nan(); }
  let odd = e - 2.0 * floor(e * 0.5) == 1.0;
  return select(m, -m, odd);
}

// a / b with IEEE results for b == 0 (WGSL leaves them to the driver).
fn divOf(x: f32, y: f32) -> f32 {
  if (y != 0.0) { return x / y; }
  if (x == 0.0 || isNan(x)) { return nan(); }
  return select(-inf(), inf(), x > 0.0);
}

fn f(x: f32, y: f32) -> f32 {
  switch OP {
    case 0u: { return x + y; }
    case 1u: { return x - y; }
    case 2u: { return x * y; }
    case 3u: { return divOf(x, y); }
    case 4u: { return select(select(y, x, x >= y), nan(), isNan(x) || isNan(y)); }
    case 5u: { return select(select(y, x, x <= y), nan(), isNan(x) || isNan(y)); }
    case 6u: { return powOf(x, y); }
    case 7u: { return (x - y) * (x - y); }
    case 8u: { return floor(divOf(x, y)); }
    case 9u: { return select(0.0, 1.0, x > y); }
    case 10u: { return select(0.0, 1.0, x >= y); }
    case 11u: { return select(0.0, 1.0, x < y); }
    case 12u: { return select(0.0, 1.0, x <= y); }
    case 13u: { return select(0.0, 1.0, x == y); }
    case 14u: { return select(0.0, 1.0, x != y); }
    case 15u: { return select(0.0, 1.0, x != 0.0 && y != 0.0); }
    case 16u: { return select(x, y * x, x < 0.0); }
    case 17u: { return select(y, 1.0, x > 0.0); }
    default: { return x; }
  }
}

fn item(i: u32) {
  if (i >= p.n) { return; }
  if (p.same == 1u) {
    c[i] = f(a[i], b[i]);
  } else {
    c[i] = f(a[offsetOf(i, 1u)], b[offsetOf(i, 2u)]);
  }
}
