// sumToShape.wgsl: y = x summed over the axes y's shape is broadcast along
// (the gradient of a broadcasting op, reduced to its input's shape). One
// invocation per element of y adds its p.count contributions in order.
// `table` rows (MAX_RANK u32s each): 0 y's shape aligned to x's axes (1 on the
// summed axes), 1 x's strides along the kept axes, 2 the summed axes' lengths
// (1 elsewhere), 3 x's strides along the summed axes.
// p: the uniforms declared with this shader in src/kernels/elementwise/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> table: array<u32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

//! include lib/tableIndex.wgsl

fn item(i: u32) {
  if (i >= p.n) { return; }
  let base = tableOffset(i, 0u, 1u);
  var s = 0.0;
  for (var r = 0u; r < p.count; r++) {
    s += x[base + tableOffset(r, 2u, 3u)];
  }
  y[i] = s;
}
