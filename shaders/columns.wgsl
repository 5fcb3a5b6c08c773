// columns.wgsl: copies a block of columns between a narrow [rows, width] and a
// wide [rows, total] matrix at column `offset`: concatenation along the last
// axis writes each input into its slice (SLICE = 0), and its backward reads
// each slice back out (SLICE = 1). One invocation per element of the narrow one.
// p: the uniforms declared with this shader in src/kernels/structure/webgpu.ts.

//! include lib/invocation.wgsl
override SLICE: u32 = 0;

@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

fn item(k: u32) {
  if (k >= p.rows * p.width) { return; }
  let wide = (k / p.width) * p.total + p.offset + k % p.width;
  if (SLICE == 1u) { dst[k] = src[wide]; } else { dst[wide] = src[k]; }
}
