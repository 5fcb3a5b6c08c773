// maxPool2d.wgsl: y[b,oi,oj,ch] = max over the window's real pixels (NHWC);
// padded cells never win, as in TensorFlow. One invocation per output pixel
// and group of channels (four as a vec4 when c % 4 == 0, VEC4), so the
// integer divisions that locate the pixel are paid once per group.
// p: the uniforms declared with this shader in src/kernels/pool2d/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl
override VEC4: bool = false;  // set only when c % 4 == 0

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> x4: array<vec4f>;  // the same buffer as x, viewed as vec4
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn load(at: u32) -> vec4f {
  if (VEC4) { return x4[at / 4u]; }
  return vec4f(x[at]);
}

fn item(o: u32) {
  if (o >= p.total) { return; }
  let lanes = select(1u, 4u, VEC4);
  let groups = p.c / lanes;
  let ch = (o % groups) * lanes;
  let pix = o / groups;
  let px = pixelOf(pix, p.oh, p.ow);
  let b = px.x;
  let oi = px.y;
  let oj = px.z;
  var best = vec4f(0.0);
  var found = false;
  for (var ki = 0u; ki < p.kh; ki++) {
    let i = i32(oi * p.sh + ki) - i32(p.padTop);
    if (i < 0 || i >= i32(p.h)) { continue; }
    for (var kj = 0u; kj < p.kw; kj++) {
      let j = i32(oj * p.sw + kj) - i32(p.padLeft);
      if (j < 0 || j >= i32(p.w)) { continue; }
      let v = load(((b * p.h + u32(i)) * p.w + u32(j)) * p.c + ch);
      // Strict >: the first maximum in row-major order is kept (the backward relies on it).
      best = select(best, v, (v > best) | vec4<bool>(!found));
      found = true;
    }
  }
  let at = pix * p.c + ch;
  y[at] = best.x;
  if (VEC4) {
    y[at + 1u] = best.y;
    y[at + 2u] = best.z;
    y[at + 3u] = best.w;
  }
}
