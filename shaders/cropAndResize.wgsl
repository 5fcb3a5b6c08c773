// cropAndResize.wgsl: TF.js's cropAndResize on NHWC and its adjoint with
// respect to the image (TensorFlow's CropAndResizeGradImage).
// BACKWARD = 0: y [numBoxes, cropH, cropW, c] from image [n, h, w, c], boxes
//   [numBoxes, 4] (y1, x1, y2, x2, normalized) and boxInd [numBoxes]; one
//   invocation per output. Samples outside the image are p.extrapolation;
//   boxes whose index is outside [0, n) are 0 (as TF.js's CPU kernel).
// BACKWARD = 1: dImage [n, h, w, c] from dy [numBoxes, cropH, cropW, c], one
//   invocation per image element gathering, over the boxes of its image, the
//   dy of the samples that read it with their weights (no atomics).
// NEAREST = 1: nearest (round half up); 0: bilinear.
// Positions are snapped to the nearest half pixel when within float32's error
// of one (as src/kernels/image/cpu.ts's cropCoord).
// p: the uniforms declared with this shader in src/kernels/image/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl

override NEAREST: u32 = 0;
override BACKWARD: u32 = 0;

@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> boxes: array<f32>;
@group(0) @binding(3) var<storage, read> boxInd: array<f32>;
@group(0) @binding(4) var<storage, read_write> dst: array<f32>;

struct Sample { ok: bool, lo: u32, hi: u32, frac: f32 }

fn snap(v: f32) -> f32 {
  let half = round(2.0 * v) * 0.5;
  return select(v, half, abs(v - half) <= 2e-6 * max(1.0, abs(v)));
}

// Sample k of crop (crop samples) between lo and hi (normalized) of an axis of size pixels.
fn cropSample(k: u32, lo: f32, hi: f32, size: u32, crop: u32) -> Sample {
  let last = f32(size - 1u);
  var v = 0.5 * (lo + hi) * last;
  if (crop > 1u) { v = lo * last + f32(k) * (hi - lo) * last / f32(crop - 1u); }
  v = snap(v);
  if (v < 0.0 || v > last) { return Sample(false, 0u, 0u, 0.0); }
  if (NEAREST == 1u) {
    let near = u32(floor(v + 0.5));
    return Sample(true, near, near, 0.0);
  }
  let f = floor(v);
  return Sample(true, u32(f), u32(ceil(v)), v - f);
}

fn weight(i: u32, s: Sample) -> f32 {
  var wt = 0.0;
  if (s.lo == i) { wt += 1.0 - s.frac; }
  if (s.hi == i) { wt += s.frac; }
  return wt;
}

// The image of box b, or -1 when its index is outside [0, n).
fn imageOf(b: u32) -> i32 {
  let bi = boxInd[b];
  return select(-1, i32(bi), bi >= 0.0 && bi < f32(p.n));
}

fn forward(o: u32) {
  let ch = o % p.c;
  let px = pixelOf(o / p.c, p.cropH, p.cropW);
  let b = px.x;
  let img = imageOf(b);
  if (img < 0) { dst[o] = 0.0; return; }
  let r = cropSample(px.y, boxes[4u * b], boxes[4u * b + 2u], p.h, p.cropH);
  let s = cropSample(px.z, boxes[4u * b + 1u], boxes[4u * b + 3u], p.w, p.cropW);
  if (!r.ok || !s.ok) { dst[o] = p.extrapolation; return; }
  let base = u32(img) * p.h;
  let tl = src[((base + r.lo) * p.w + s.lo) * p.c + ch];
  let tr = src[((base + r.lo) * p.w + s.hi) * p.c + ch];
  let bl = src[((base + r.hi) * p.w + s.lo) * p.c + ch];
  let br = src[((base + r.hi) * p.w + s.hi) * p.c + ch];
  let top = tl + (tr - tl) * s.frac;
  let bottom = bl + (br - bl) * s.frac;
  dst[o] = top + (bottom - top) * r.frac;
}

fn backward(idx: u32) {
  let ch = idx % p.c;
  let px = pixelOf(idx / p.c, p.h, p.w);
  var acc = 0.0;
  for (var b = 0u; b < p.numBoxes; b++) {
    if (imageOf(b) != i32(px.x)) { continue; }
    for (var y = 0u; y < p.cropH; y++) {
      let r = cropSample(y, boxes[4u * b], boxes[4u * b + 2u], p.h, p.cropH);
      if (!r.ok) { continue; }
      let wy = weight(px.y, r);
      if (wy == 0.0) { continue; }
      for (var x = 0u; x < p.cropW; x++) {
        let s = cropSample(x, boxes[4u * b + 1u], boxes[4u * b + 3u], p.w, p.cropW);
        if (!s.ok) { continue; }
        let wx = weight(px.z, s);
        if (wx == 0.0) { continue; }
        acc += wy * wx * src[((b * p.cropH + y) * p.cropW + x) * p.c + ch];
      }
    }
  }
  dst[idx] = acc;
}

fn item(i: u32) {
  if (i >= p.total) { return; }
  if (BACKWARD == 1u) {
    backward(i);
  } else {
    forward(i);
  }
}
