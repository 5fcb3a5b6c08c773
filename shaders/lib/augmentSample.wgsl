// Where an augmentation output reads and with which weights, shared by
// augmentTransform.wgsl and its backward (as src/kernels/augment/cpu.ts):
// the source position (FLOW = 0: the projective transform aux[8 * b * p.tstride ..];
// FLOW = 1: the pixel plus the displacement aux[2 * pixel ..]), snapped to a
// half pixel within float32's error, mapped by p.fill (0 constant, 1 reflect,
// 2 wrap, 3 nearest: TF.js's mapCoord), then NEAREST or bilinear taps; taps
// outside the image weigh on the fill value instead.

struct Source { ok: bool, y: f32, x: f32 }
struct Taps { rows: vec4i, cols: vec4i, wts: vec4f, fill: f32 }

fn sourceOf(b: u32, oy: u32, ox: u32) -> Source {
  let fy = f32(oy);
  let fx = f32(ox);
  if (FLOW == 1u) {
    let at = ((b * p.oh + oy) * p.ow + ox) * 2u;
    return Source(true, fy + aux[at], fx + aux[at + 1u]);
  }
  let o = 8u * b * p.tstride;
  let proj = aux[o + 6u] * fx + aux[o + 7u] * fy + 1.0;
  if (proj == 0.0) { return Source(false, 0.0, 0.0); }
  return Source(true, (aux[o + 3u] * fx + aux[o + 4u] * fy + aux[o + 5u]) / proj, (aux[o] * fx + aux[o + 1u] * fy + aux[o + 2u]) / proj);
}

fn snapCoord(v: f32) -> f32 {
  let half = round(2.0 * v) * 0.5;
  return select(v, half, abs(v - half) <= 2e-6 * max(1.0, abs(v)));
}

fn mapCoord(v: f32, len: u32) -> f32 {
  let n = f32(len);
  if (p.fill == 0u) { return v; }
  if (p.fill == 3u || len <= 1u) { return clamp(v, 0.0, n - 1.0); }
  var c = v;
  if (p.fill == 1u) {
    let sz2 = 2.0 * n;
    if (c < 0.0) {
      if (c < sz2) { c = sz2 * trunc(-c / sz2) + c; }
      c = select(-c - 1.0, c + sz2, c < -n);
    } else if (c > n - 1.0) {
      c -= sz2 * trunc(c / sz2);
      if (c >= n) { c = sz2 - c - 1.0; }
    }
  } else {
    if (c < 0.0) {
      c += n * (trunc(-c / (n - 1.0)) + 1.0);
    } else if (c > n - 1.0) {
      c -= n * trunc(c / (n - 1.0));
    }
  }
  return clamp(c, 0.0, n - 1.0);
}

fn tapsAt(y0: f32, x0: f32) -> Taps {
  let y = mapCoord(snapCoord(y0), p.h);
  let x = mapCoord(snapCoord(x0), p.w);
  var t: Taps;
  if (NEAREST == 1u) {
    let r = i32(floor(y + 0.5));
    let c = i32(floor(x + 0.5));
    t = Taps(vec4i(r, r, r, r), vec4i(c, c, c, c), vec4f(1.0, 0.0, 0.0, 0.0), 0.0);
  } else {
    let yf = floor(y);
    let xf = floor(x);
    let r = i32(yf);
    let c = i32(xf);
    let dy = y - yf;
    let dx = x - xf;
    t = Taps(vec4i(r, r, r + 1, r + 1), vec4i(c, c + 1, c, c + 1), vec4f((1.0 - dy) * (1.0 - dx), (1.0 - dy) * dx, dy * (1.0 - dx), dy * dx), 0.0);
  }
  for (var k = 0u; k < 4u; k++) {
    if (t.rows[k] < 0 || t.rows[k] >= i32(p.h) || t.cols[k] < 0 || t.cols[k] >= i32(p.w)) {
      t.fill += t.wts[k];
      t.wts[k] = 0.0;
      t.rows[k] = -1;
      t.cols[k] = -1;
    }
  }
  return t;
}
