// fromPixels.wgsl: raw RGBA bytes (ImageData, { data, width, height }) to the
// [height, width, channels] tensor of values 0-255. The bytes arrive packed,
// one u32 a pixel (little-endian: red in the low byte); channel c of pixel i
// is byte c of word i (channels 1: red only, as TF.js takes it).
// p: the uniforms declared with this shader in src/kernels/pixels/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> rgba: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  let pixel = i / p.channels;
  let c = i % p.channels;
  y[i] = f32((rgba[pixel] >> (8u * c)) & 255u);
}
