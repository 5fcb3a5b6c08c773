// col2im.wgsl: the adjoint of im2col, for conv2dBackwardInput:
//   dx[b,iy,ix,ci] = sum over (ky,kx) of dcol[(b,oy,ox), (ky,kx,ci)]
// over the output pixels whose window read (iy, ix) at (ky, kx). A gather: one
// invocation per input pixel (per group of 4 channels, summed in a vec4, when
// c % 4 == 0), so no two invocations write one element and no atomics.
// p: the uniforms declared with this shader in src/kernels/conv2d/webgpu.ts.

//! include lib/invocation.wgsl
override VEC4: bool = false;  // set only when c % 4 == 0

@group(0) @binding(1) var<storage, read> dcol: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<storage, read> dcol4: array<vec4f>;  // the same buffer as dcol, viewed as vec4

/**
 * Along one axis: the output index o whose window reads input index i at
 * kernel offset `tap` (= k * dilation), i.e. o * stride - pad + tap = i, or
 * -1 when no whole o in [0, out) does.
 */
fn outAt(i: u32, pad: u32, tap: u32, stride: u32, out: u32) -> i32 {
  let t = i32(i + pad) - i32(tap);
  if (t < 0 || t % i32(stride) != 0) { return -1; }
  let o = u32(t) / stride;
  return select(-1, i32(o), o < out);
}

/** Along one axis at stride 1: the kernel offsets [first, last] whose output index i + pad - k * dilation lies in [0, out). */
fn tapRange(i: u32, pad: u32, dilation: u32, k: u32, out: u32) -> vec2i {
  let t = i32(i + pad);
  let d = i32(dilation);
  let first = select(0, (t - i32(out)) / d + 1, t >= i32(out));
  return vec2i(first, min(i32(k) - 1, t / d));
}

/**
 * VEC4 at stride 1: the taps whose output pixel exists are a rectangle, worked out once per axis, and
 * dcol's index steps across it (SwiftShader's compiler keeps no product or division across a loop).
 */
fn gather4Stride1(q: u32, b: u32, iy: u32, ix: u32, K4: u32, c4: u32) -> vec4f {
  let ys = tapRange(iy, p.padTop, p.dh, p.kh, p.oh);
  let xs = tapRange(ix, p.padLeft, p.dw, p.kw, p.ow);
  // The element at taps (ys.x, xs.x): output pixel (iy + padTop - ys.x * dh, ix + padLeft - xs.x * dw).
  let oy = i32(iy + p.padTop) - ys.x * i32(p.dh);
  let ox = i32(ix + p.padLeft) - xs.x * i32(p.dw);
  let k4 = i32(K4);
  var rowAt = ((i32(b * p.oh) + oy) * i32(p.ow) + ox) * k4 + (ys.x * i32(p.kw) + xs.x) * i32(c4) + i32(q);
  // A tap to the right: one output pixel dw to the left, c4 columns on; a tap down: dh output rows up, a kernel row on.
  let stepX = i32(c4) - i32(p.dw) * k4;
  let stepY = i32(p.kw * c4) - i32(p.dh * p.ow) * k4;
  var s = vec4f(0.0);
  for (var ky = ys.x; ky <= ys.y; ky++) {
    var at = rowAt;
    for (var kx = xs.x; kx <= xs.y; kx++) {
      s += dcol4[u32(at)];
      at += stepX;
    }
    rowAt += stepY;
  }
  return s;
}

/** VEC4: channels 4q..4q+3 of input pixel `pix`. */
fn gather4(pix: u32, q: u32) {
  let ix = pix % p.w;
  let iy = (pix / p.w) % p.h;
  let b = pix / (p.w * p.h);
  let K4 = p.kh * p.kw * p.c / 4u;
  let c4 = p.c / 4u;
  var s = vec4f(0.0);
  if (p.sh == 1u && p.sw == 1u) {
    s = gather4Stride1(q, b, iy, ix, K4, c4);
  } else {
    for (var ky = 0u; ky < p.kh; ky++) {
      let oy = outAt(iy, p.padTop, ky * p.dh, p.sh, p.oh);
      if (oy < 0) { continue; }
      for (var kx = 0u; kx < p.kw; kx++) {
        let ox = outAt(ix, p.padLeft, kx * p.dw, p.sw, p.ow);
        if (ox < 0) { continue; }
        s += dcol4[((b * p.oh + u32(oy)) * p.ow + u32(ox)) * K4 + (ky * p.kw + kx) * c4 + q];
      }
    }
  }
  // Four float stores: WebGPU forbids a second, writable vec4 view of dx.
  let at = pix * p.c + 4u * q;
  dx[at] = s.x; dx[at + 1u] = s.y; dx[at + 2u] = s.z; dx[at + 3u] = s.w;
}

fn item(i: u32) {
  if (i >= p.total) { return; }
  if (VEC4) {
    let c4 = p.c / 4u;
    gather4(i / c4, i % c4);
    return;
  }
  let ix = i % p.w;
  let iy = (i / p.w) % p.h;
  let b = i / (p.w * p.h);
  let K = p.kh * p.kw * p.c;
  let dst = i * p.c;
  for (var ci = 0u; ci < p.c; ci++) { dx[dst + ci] = 0.0; }
  for (var ky = 0u; ky < p.kh; ky++) {
    let oy = outAt(iy, p.padTop, ky * p.dh, p.sh, p.oh);
    if (oy < 0) { continue; }
    for (var kx = 0u; kx < p.kw; kx++) {
      let ox = outAt(ix, p.padLeft, kx * p.dw, p.sw, p.ow);
      if (ox < 0) { continue; }
      // This pixel's own c values: read-modify-write without races.
      let src = ((b * p.oh + u32(oy)) * p.ow + u32(ox)) * K + (ky * p.kw + kx) * p.c;
      for (var ci = 0u; ci < p.c; ci++) { dx[dst + ci] += dcol[src + ci]; }
    }
  }
}
