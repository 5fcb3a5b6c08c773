// Window arithmetic the NHWC window kernels share (pooling, locally connected).

// Batch, row and column (x, y, z) of pixel `pix` in a batch of h x w images.
fn pixelOf(pix: u32, h: u32, w: u32) -> vec3u {
  let row = pix / w;
  return vec3u(row / h, row % h, pix % w);
}

// The outputs along one axis whose windows (kernel k, stride s, `outs` of them)
// cover position `at` of the padded input: [first, last], empty when first > last.
fn coveringOutputs(at: i32, k: u32, s: u32, outs: u32) -> vec2i {
  return vec2i(max((at - i32(k) + i32(s)) / i32(s), 0), min(at / i32(s), i32(outs) - 1));
}
