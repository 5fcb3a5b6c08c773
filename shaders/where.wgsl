// where.wgsl: y = condition != 0 ? a : b element-wise, the three broadcast
// together. Where all shapes are equal (p.same == 1) each is read at the
// output's index; otherwise `table` (src/kernels/elementwise/broadcast.ts's
// broadcastTable) holds the output shape and the strides of condition, a, b.
// p: the uniforms declared with this shader in src/kernels/elementwise/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> condition: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read> table: array<u32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;

//! include lib/tableIndex.wgsl

// The offset of output element i in the input whose strides are row `row` of the table (row 0: the output shape).
fn offsetOf(i: u32, row: u32) -> u32 { return tableOffset(i, 0u, row); }

fn item(i: u32) {
  if (i >= p.n) { return; }
  if (p.same == 1u) {
    y[i] = select(b[i], a[i], condition[i] != 0.0);
  } else {
    y[i] = select(b[offsetOf(i, 3u)], a[offsetOf(i, 2u)], condition[offsetOf(i, 1u)] != 0.0);
  }
}
