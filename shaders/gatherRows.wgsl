// gatherRows.wgsl: y[i, ...] = x[indices[i], ...]: a batch picked from a
// dataset that lives on the GPU, without per-sample uploads.
// p: the uniforms declared with this shader in src/kernels/structure/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn item(o: u32) {
  if (o >= p.total) { return; }
  let row = o / p.rowSize;
  y[o] = x[u32(indices[row]) * p.rowSize + o % p.rowSize];
}
