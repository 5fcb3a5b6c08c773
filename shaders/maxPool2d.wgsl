// maxPool2d.wgsl: y[b,oi,oj,ch] = max over the window's real pixels (NHWC);
// padded cells never win, as in TensorFlow. With MIN (the minPool2d pipelines)
// the min instead: firstMax scans -x, and the result is negated back. One
// invocation per output pixel and group of channels (four as a vec4 when
// c % 4 == 0, VEC4), so the integer divisions that locate the pixel are paid
// once per group.
// p: the uniforms declared with this shader in src/kernels/pool2d/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl
//! include lib/firstMax.wgsl
override VEC4: bool = false;  // set only when c % 4 == 0
override MIN: bool = false;   // min pooling

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> x4: array<vec4f>;  // the same buffer as x, viewed as vec4
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn item(o: u32) {
  if (o >= p.total) { return; }
  let pc = pixelAndChannel(o);
  let pix = pc.x;
  let ch = pc.y;
  let px = pixelOf(pix, p.oh, p.ow);
  let b = px.x;
  let oi = px.y;
  let oj = px.z;
  let found = firstMax(b, oi, oj, ch).value;
  let best = select(found, -found, MIN);
  let at = pix * p.c + ch;
  y[at] = best.x;
  if (VEC4) {
    y[at + 1u] = best.y;
    y[at + 2u] = best.z;
    y[at + 3u] = best.w;
  }
}
