// Convolution's data movement (NHWC): im2col and its adjoint col2im over a
// range of output rows, so the convolution runs as GEMMs over chunks of rows
// whose column matrix stays in cache (src/kernels/conv2d/wasm.ts).
//   cols [rows, kh*kw*c]: row r = output pixel (b, oi, oj), column (ki*kw + kj)*c + ci
//   input pixel of tap (ki, kj): (oi*sh + ki*dh - padTop, oj*sw + kj*dw - padLeft)

/** Copies c floats (SIMD where it can). */
@inline function copyRun(dst: usize, src: usize, c: i32): void {
  if (c == 1) {
    store<f32>(dst, load<f32>(src));
    return;
  }
  let i = 0;
  for (; i + 4 <= c; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < c; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** dst[0..c) += src[0..c). */
@inline function addRun(dst: usize, src: usize, c: i32): void {
  let i = 0;
  for (; i + 4 <= c; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < c; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** Rows r0..r0+rows of x's column matrix into cols (rows x kh*kw*c, row-major); padded taps are zeros. */
export function im2col(x: usize, cols: usize, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32, r0: i32, rows: i32): void {
  const runBytes = <usize>c << 2;
  // With dilation 1 the taps of one kernel row read one contiguous run of kw*c values.
  const wholeRow = dw == 1;
  let dst = cols;
  for (let r = r0; r < r0 + rows; r++) {
    const oj = r % ow;
    const oi = (r / ow) % oh;
    const b = r / (ow * oh);
    const j0 = oj * sw - padLeft;
    for (let ki = 0; ki < kh; ki++) {
      const i = oi * sh + ki * dh - padTop;
      if (i < 0 || i >= h) {
        memory.fill(dst, 0, <usize>kw * runBytes);
        dst += <usize>kw * runBytes;
        continue;
      }
      const rowBase = x + ((<usize>((b * h + i) * w) * c) << 2);
      if (wholeRow && j0 >= 0 && j0 + kw <= w) {
        copyRun(dst, rowBase + ((<usize>(j0 * c)) << 2), kw * c);
        dst += <usize>kw * runBytes;
        continue;
      }
      for (let kj = 0; kj < kw; kj++) {
        const j = j0 + kj * dw;
        if (j < 0 || j >= w) memory.fill(dst, 0, runBytes);
        else copyRun(dst, rowBase + ((<usize>(j * c)) << 2), c);
        dst += runBytes;
      }
    }
  }
}

/** The adjoint of im2col for rows r0..r0+rows: adds each column entry onto the input pixel it came from (dx must start zeroed). */
export function col2im(cols: usize, dx: usize, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32, r0: i32, rows: i32): void {
  const runBytes = <usize>c << 2;
  const wholeRow = dw == 1;
  let src = cols;
  for (let r = r0; r < r0 + rows; r++) {
    const oj = r % ow;
    const oi = (r / ow) % oh;
    const b = r / (ow * oh);
    const j0 = oj * sw - padLeft;
    for (let ki = 0; ki < kh; ki++) {
      const i = oi * sh + ki * dh - padTop;
      if (i < 0 || i >= h) {
        src += <usize>kw * runBytes;
        continue;
      }
      const rowBase = dx + ((<usize>((b * h + i) * w) * c) << 2);
      if (wholeRow && j0 >= 0 && j0 + kw <= w) {
        addRun(rowBase + ((<usize>(j0 * c)) << 2), src, kw * c);
        src += <usize>kw * runBytes;
        continue;
      }
      for (let kj = 0; kj < kw; kj++) {
        const j = j0 + kj * dw;
        if (j >= 0 && j < w) addRun(rowBase + ((<usize>(j * c)) << 2), src, c);
        src += runBytes;
      }
    }
  }
}
