// fromPixelsTexture.wgsl: an image source copied into an rgba8unorm texture
// (copyExternalImageToTexture, straight alpha) to the [height, width, channels]
// tensor of values 0-255: texel values are k / 255, so round(v * 255) is the byte.
// p: the uniforms declared with this shader in src/kernels/pixels/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var image: texture_2d<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  let pixel = i / p.channels;
  let c = i % p.channels;
  let texel = textureLoad(image, vec2u(pixel % p.width, pixel / p.width), 0);
  y[i] = round(texel[c] * 255.0);
}
