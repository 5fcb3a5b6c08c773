// What the F(2x2) Winograd input transform (winogradInput.wgsl)
// read and write: input pixels 4 channels at a time, zeros outside the image
// (the padding) and past c; and element e of a tile's transform into v.
// The includer declares VEC4, x, x4, v and p (h, w, c, tiles, groups).

/** Channels c0..c0+3 of input pixel (row, col) of image b; zeros outside the image and past c. */
fn load(b: u32, row: i32, col: i32, c0: u32) -> vec4f {
  if (row < 0 || col < 0 || u32(row) >= p.h || u32(col) >= p.w) { return vec4f(0.0); }
  let at = ((b * p.h + u32(row)) * p.w + u32(col)) * p.c + c0;
  if (VEC4) { return x4[at / 4u]; }
  var out = vec4f(0.0);
  for (var t = 0u; t < 4u; t++) {
    if (c0 + t < p.c) { out[t] = x[at + t]; }
  }
  return out;
}

fn put(e: u32, tile: u32, c0: u32, value: vec4f) {
  v[(e * p.tiles + tile) * p.groups + c0 / 4u] = value;
}
