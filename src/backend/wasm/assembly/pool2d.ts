// Max, average, min, sum and L2-norm pooling over NHWC windows, and their
// backwards, in place of src/kernels/pool2d/cpu.ts. Legend: n h w c, kh kw,
// sh sw (strides), oh ow, padTop padLeft. Padded cells ('same') are outside
// the image: each window is clipped to its real pixels [i0, i1) x [j0, j1).
// Channels are contiguous in NHWC, so the channel loop runs four lanes at a time.

import { at } from './lanes';

const MAX = 0;
const MIN = 1;
const AVG = 2;
const SUM = 3;
const L2 = 4;

// The window of the output pixel being visited, clipped to the image.
let i0 = 0;
let i1 = 0;
let j0 = 0;
let j1 = 0;

@inline function clipWindow(oi: i32, oj: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32): void {
  const top = oi * sh - padTop;
  const left = oj * sw - padLeft;
  i0 = max(top, 0);
  i1 = min(top + kh, h);
  j0 = max(left, 0);
  j1 = min(left + kw, w);
}

/**
 * Four lanes of the window's extreme, starting at its first real pixel; a
 * later value replaces it only when strictly greater (max) or less (min), so
 * ties keep the first in row-major order and a NaN never wins after the first.
 */
@inline function better(kind: i32, v: v128, best: v128): v128 {
  return kind == MAX ? f32x4.gt(v, best) : f32x4.lt(v, best);
}

/**
 * The common 2x2 stride-2 unpadded window over channels in fours: the four
 * taps in the general loop's order, without its window bookkeeping.
 */
function extremePool2x2(kind: i32, x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32): void {
  const pixel = <usize>c << 2;
  const row = <usize>(w * c) << 2;
  let dst = y;
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++) {
      let src = x + ((<usize>((b * h + 2 * oi) * w) * c) << 2);
      for (let oj = 0; oj < ow; oj++) {
        for (let ch: usize = 0; ch < pixel; ch += 16) {
          const p = src + ch;
          let best = v128.load(p);
          let v = v128.load(p + pixel);
          best = v128.bitselect(v, best, better(kind, v, best));
          v = v128.load(p + row);
          best = v128.bitselect(v, best, better(kind, v, best));
          v = v128.load(p + row + pixel);
          best = v128.bitselect(v, best, better(kind, v, best));
          v128.store(dst + ch, best);
        }
        src += 2 * pixel;
        dst += pixel;
      }
    }
}

/** Max (kind 0) or min (kind 1) pooling: y [n, oh, ow, c]. */
export function extremePool2d(
  kind: i32, x: usize, y: usize, n: i32, h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, padTop: i32, padLeft: i32,
): void {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && padTop == 0 && padLeft == 0 && 2 * oh <= h && 2 * ow <= w && (c & 3) == 0) {
    extremePool2x2(kind, x, y, n, h, w, c, oh, ow);
    return;
  }
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++)
      for (let oj = 0; oj < ow; oj++, o += c) {
        clipWindow(oi, oj, h, w, kh, kw, sh, sw, padTop, padLeft);
        const first = ((b * h + i0) * w + j0) * c;
        const rowBytes = <usize>(w * c) << 2;
        const pixelBytes = <usize>c << 2;
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          let row = at(x, first + ch);
          let best = v128.load(row);
          for (let i = i0; i < i1; i++, row += rowBytes) {
            let p = row;
            for (let j = j0; j < j1; j++, p += pixelBytes) {
              const v = v128.load(p);
              best = v128.bitselect(v, best, better(kind, v, best));
            }
          }
          v128.store(at(y, o + ch), best);
        }
        for (; ch < c; ch++) {
          let best = load<f32>(at(x, first + ch));
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) {
              const v = load<f32>(at(x, ((b * h + i) * w + j) * c + ch));
              if (kind == MAX ? v > best : v < best) best = v;
            }
          store<f32>(at(y, o + ch), best);
        }
      }
}

/**
 * dx [n, h, w, c]: each dy added to the first maximum (kind 0) or minimum
 * (kind 1) of its window, recomputed from x, in the CPU reference's order.
 */
export function extremePool2dBackward(
  kind: i32, dy: usize, x: usize, dx: usize, n: i32, h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, padTop: i32, padLeft: i32,
): void {
  memory.fill(dx, 0, <usize>n * h * w * c * 4);
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++)
      for (let oj = 0; oj < ow; oj++, o += c) {
        clipWindow(oi, oj, h, w, kh, kw, sh, sw, padTop, padLeft);
        const first = ((b * h + i0) * w + j0) * c;
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          let best = v128.load(at(x, first + ch));
          let where = i32x4.splat(first);
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) {
              const pixel = ((b * h + i) * w + j) * c;
              const v = v128.load(at(x, pixel + ch));
              const wins = better(kind, v, best);
              best = v128.bitselect(v, best, wins);
              where = v128.bitselect(i32x4.splat(pixel), where, wins);
            }
          const g = v128.load(at(dy, o + ch));
          const p0 = at(dx, i32x4.extract_lane(where, 0) + ch);
          store<f32>(p0, load<f32>(p0) + f32x4.extract_lane(g, 0));
          const p1 = at(dx, i32x4.extract_lane(where, 1) + ch + 1);
          store<f32>(p1, load<f32>(p1) + f32x4.extract_lane(g, 1));
          const p2 = at(dx, i32x4.extract_lane(where, 2) + ch + 2);
          store<f32>(p2, load<f32>(p2) + f32x4.extract_lane(g, 2));
          const p3 = at(dx, i32x4.extract_lane(where, 3) + ch + 3);
          store<f32>(p3, load<f32>(p3) + f32x4.extract_lane(g, 3));
        }
        for (; ch < c; ch++) {
          let best = load<f32>(at(x, first + ch));
          let where = first;
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) {
              const pixel = ((b * h + i) * w + j) * c;
              const v = load<f32>(at(x, pixel + ch));
              if (kind == MAX ? v > best : v < best) {
                best = v;
                where = pixel;
              }
            }
          const p = at(dx, where + ch);
          store<f32>(p, load<f32>(p) + load<f32>(at(dy, o + ch)));
        }
      }
}

/**
 * Average (kind 2, divided by the count of real pixels), sum (3) or L2 norm
 * (4, the square root of the sum of squares) of each window: y [n, oh, ow, c].
 */
export function sumPool2d(
  kind: i32, x: usize, y: usize, n: i32, h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, padTop: i32, padLeft: i32,
): void {
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++)
      for (let oj = 0; oj < ow; oj++, o += c) {
        clipWindow(oi, oj, h, w, kh, kw, sh, sw, padTop, padLeft);
        const count = <f32>((i1 - i0) * (j1 - j0));
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          let s = f32x4.splat(0);
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) {
              const v = v128.load(at(x, ((b * h + i) * w + j) * c + ch));
              s = f32x4.add(s, kind == L2 ? f32x4.mul(v, v) : v);
            }
          if (kind == AVG) s = f32x4.div(s, f32x4.splat(count));
          else if (kind == L2) s = f32x4.sqrt(s);
          v128.store(at(y, o + ch), s);
        }
        for (; ch < c; ch++) {
          let s: f32 = 0;
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) {
              const v = load<f32>(at(x, ((b * h + i) * w + j) * c + ch));
              s += kind == L2 ? v * v : v;
            }
          if (kind == AVG) s /= count;
          else if (kind == L2) s = sqrt<f32>(s);
          store<f32>(at(y, o + ch), s);
        }
      }
}

/**
 * dx [n, h, w, c] of average (kind 2: dy / count to each real pixel), sum
 * (3: dy whole) or L2 pooling (4: dy / y summed per pixel, then times x; a
 * window whose norm y is 0 adds 0). x and y are read only for L2.
 */
export function sumPool2dBackward(
  kind: i32, dy: usize, x: usize, y: usize, dx: usize, n: i32, h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, padTop: i32, padLeft: i32,
): void {
  memory.fill(dx, 0, <usize>n * h * w * c * 4);
  const zero = f32x4.splat(0);
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++)
      for (let oj = 0; oj < ow; oj++, o += c) {
        clipWindow(oi, oj, h, w, kh, kw, sh, sw, padTop, padLeft);
        const count = <f32>((i1 - i0) * (j1 - j0));
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          let d = v128.load(at(dy, o + ch));
          if (kind == AVG) d = f32x4.div(d, f32x4.splat(count));
          else if (kind == L2) {
            const norm = v128.load(at(y, o + ch));
            d = v128.andnot(f32x4.div(d, norm), f32x4.eq(norm, zero));
          }
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) {
              const p = at(dx, ((b * h + i) * w + j) * c + ch);
              v128.store(p, f32x4.add(v128.load(p), d));
            }
        }
        for (; ch < c; ch++) {
          let d = load<f32>(at(dy, o + ch));
          if (kind == AVG) d /= count;
          else if (kind == L2) {
            const norm = load<f32>(at(y, o + ch));
            d = norm == 0 ? 0 : d / norm;
          }
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) {
              const p = at(dx, ((b * h + i) * w + j) * c + ch);
              store<f32>(p, load<f32>(p) + d);
            }
        }
      }
  if (kind != L2) return;
  const size = n * h * w * c;
  let i = 0;
  for (; i + 4 <= size; i += 4) v128.store(at(dx, i), f32x4.mul(v128.load(at(dx, i)), v128.load(at(x, i))));
  for (; i < size; i++) store<f32>(at(dx, i), load<f32>(at(dx, i)) * load<f32>(at(x, i)));
}
