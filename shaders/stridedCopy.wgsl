// stridedCopy.wgsl: one invocation per element of an iteration shape. Each
// iteration axis d reads input position step * (c mod wrap) + shift along one
// input axis (transpose, slice, pad, tile, broadcast and reverse are choices of
// these numbers); a position outside the input reads the fill value. The
// element goes to offset + sum(c * outStride): the output's own strides for a
// plain copy, a larger output's for concatenation (each input into its slot).
// p: the uniforms declared with this shader in src/kernels/layout/webgpu.ts.

//! include lib/invocation.wgsl

// table[0]: the fill value's bits; then per iteration axis, FIELDS numbers:
// size, wrap, step, shift, input size, input stride, output stride.
@group(0) @binding(1) var<storage, read> table: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

const FIELDS = 7u;

fn item(o: u32) {
  if (o >= p.total) { return; }
  var rem = o;
  var src = 0i;
  var dst = p.offset;
  var inside = true;
  for (var d = p.rank; d > 0u; d--) {
    let t = 1u + (d - 1u) * FIELDS;
    let size = u32(table[t]);
    let c = rem % size;
    rem = rem / size;
    let i = table[t + 2u] * i32(c % u32(table[t + 1u])) + table[t + 3u];
    if (i < 0i || i >= table[t + 4u]) { inside = false; }
    src += i * table[t + 5u];
    dst += c * u32(table[t + 6u]);
  }
  if (inside) {
    y[dst] = x[u32(src)];
  } else {
    y[dst] = bitcast<f32>(table[0]);
  }
}
