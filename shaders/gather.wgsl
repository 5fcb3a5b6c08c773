// gather.wgsl: gather along one axis, its scatter-add, and one-hot rows, one
// invocation per output element. x is viewed as [batch, outer, dim, inner] and
// indices as [batch, count] (stored as floats, truncated as TF.js's int32
// conversion does). MODE 0: y[b, o, k, s] = x[b, o, indices[b, k], s], 0 for an
// index outside [0, dim) (no readback to throw, as TF.js's webgpu backend).
// MODE 1: dx[b, o, j, s] = sum of dy[b, o, k, s] over the k with indices[b, k] = j
// (no float atomics in WGSL, so each output loops over the indices).
// MODE 2: y[m, j] = on if indices[m] = j, else off.
// p: the uniforms declared with this shader in src/kernels/layout/webgpu.ts.

//! include lib/invocation.wgsl
override MODE: u32 = 0;

@group(0) @binding(1) var<storage, read> indices: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn index(i: u32) -> i32 {
  return i32(indices[i]);
}

fn item(o: u32) {
  if (o >= p.total) { return; }
  if (MODE == 2u) {
    y[o] = select(p.off, p.on, index(o / p.dim) == i32(o % p.dim));
    return;
  }
  let s = o % p.inner;
  let rest = o / p.inner;
  if (MODE == 0u) {
    // o = ((b * outer + q) * count + k) * inner + s
    let k = rest % p.count;
    let bq = rest / p.count;
    let j = index((bq / p.outer) * p.count + k);
    if (j < 0i || j >= i32(p.dim)) {
      y[o] = 0.0;
    } else {
      y[o] = x[(bq * p.dim + u32(j)) * p.inner + s];
    }
    return;
  }
  // MODE 1: o = ((b * outer + q) * dim + j) * inner + s
  let j = i32(rest % p.dim);
  let bq = rest / p.dim;
  let first = (bq / p.outer) * p.count;
  var sum = 0.0;
  for (var k = 0u; k < p.count; k++) {
    if (index(first + k) == j) { sum += x[(bq * p.count + k) * p.inner + s]; }
  }
  y[o] = sum;
}
