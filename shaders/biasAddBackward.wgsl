// biasAddBackward.wgsl: db[j] = sum over rows of dy[row, j] (every axis but
// the last is a row), in the two stages of lib/chunkSum.wgsl: each chunk of
// rows sums its part of a column, then each column adds its chunks.
// p: the uniforms declared with this shader in src/kernels/matmul/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/chunkSum.wgsl

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;  // [chunks, c]
@group(0) @binding(3) var<storage, read_write> db: array<f32>;

fn chunk(i: u32, j: u32, first: u32, end: u32) {
  var s = 0.0;
  for (var r = first; r < end; r++) { s += dy[r * p.c + j]; }
  part[i] = s;
}

fn column(i: u32) {
  var s = 0.0;
  for (var k = 0u; k < p.chunks; k++) { s += part[k * p.c + i]; }
  db[i] = s;
}
