// Locally-connected 2-D ('valid', unshared weights) and its gradients, in
// place of src/kernels/locallyConnected2d/cpu.ts. Legend: x [n, h, w, c],
// weights [oh*ow, k, cout] with k = kh*kw*c (tap t = (ki*kw + kj)*c + ci),
// bias [oh, ow, cout], y [n, oh, ow, cout]; sh sw the strides. Every sum runs
// in f64 in the CPU reference's order (float32 products are exact in f64) and
// is rounded to float32 where the reference stores, so all three are
// bit-exact: lanes are output channels (forward, dW) or input channels (dx),
// two per f64x2, and never split a sum.

import { at, demote, maddF64, promoteHigh } from './lanes';

/** v rounded to float32 and widened back: the reference's store into a Float32Array. */
@inline function round32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/**
 * y for output positions [p0, p0 + count) (pos = oi*ow + oj) of every image;
 * bias 0 for none. Per position the images run back to back, so its weights
 * stay in cache; per image the output channels run eight, then four, then one
 * at a time, each pass summing the window's taps in order.
 */
export function locallyConnected2d(
  x: usize, wt: usize, bias: usize, y: usize, n: i32, h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, cout: i32, p0: i32, count: i32,
): void {
  const k = kh * kw * c;
  const wRow = <usize>cout << 2;
  for (let pos = p0; pos < p0 + count; pos++) {
    const oi = pos / ow;
    const oj = pos - oi * ow;
    const wp = at(wt, pos * k * cout);
    const bp = bias ? at(bias, pos * cout) : 0;
    for (let b = 0; b < n; b++) {
      const corner = ((b * h + oi * sh) * w + oj * sw) * c;
      const yp = at(y, ((b * oh + oi) * ow + oj) * cout);
      let co = 0;
      for (; co + 8 <= cout; co += 8) {
        let a0 = f64x2.splat(0);
        let a1 = f64x2.splat(0);
        let a2 = f64x2.splat(0);
        let a3 = f64x2.splat(0);
        if (bp) {
          const b0 = v128.load(at(bp, co));
          const b1 = v128.load(at(bp, co + 4));
          a0 = f64x2.promote_low_f32x4(b0);
          a1 = promoteHigh(b0);
          a2 = f64x2.promote_low_f32x4(b1);
          a3 = promoteHigh(b1);
        }
        let wq = at(wp, co);
        for (let ki = 0; ki < kh; ki++)
          for (let kj = 0; kj < kw; kj++) {
            const xp = at(x, corner + (ki * w + kj) * c);
            for (let ci = 0; ci < c; ci++, wq += wRow) {
              const s = f64x2.splat(<f64>load<f32>(at(xp, ci)));
              const w0 = v128.load(wq);
              const w1 = v128.load(wq, 16);
              a0 = maddF64(a0, s, f64x2.promote_low_f32x4(w0));
              a1 = maddF64(a1, s, promoteHigh(w0));
              a2 = maddF64(a2, s, f64x2.promote_low_f32x4(w1));
              a3 = maddF64(a3, s, promoteHigh(w1));
            }
          }
        v128.store(at(yp, co), demote(a0, a1));
        v128.store(at(yp, co + 4), demote(a2, a3));
      }
      for (; co + 4 <= cout; co += 4) {
        let a0 = f64x2.splat(0);
        let a1 = f64x2.splat(0);
        if (bp) {
          const b0 = v128.load(at(bp, co));
          a0 = f64x2.promote_low_f32x4(b0);
          a1 = promoteHigh(b0);
        }
        let wq = at(wp, co);
        for (let ki = 0; ki < kh; ki++)
          for (let kj = 0; kj < kw; kj++) {
            const xp = at(x, corner + (ki * w + kj) * c);
            for (let ci = 0; ci < c; ci++, wq += wRow) {
              const s = f64x2.splat(<f64>load<f32>(at(xp, ci)));
              const w0 = v128.load(wq);
              a0 = maddF64(a0, s, f64x2.promote_low_f32x4(w0));
              a1 = maddF64(a1, s, promoteHigh(w0));
            }
          }
        v128.store(at(yp, co), demote(a0, a1));
      }
      for (; co < cout; co++) {
        let s: f64 = bp ? <f64>load<f32>(at(bp, co)) : 0;
        let wq = at(wp, co);
        for (let ki = 0; ki < kh; ki++)
          for (let kj = 0; kj < kw; kj++) {
            const xp = at(x, corner + (ki * w + kj) * c);
            for (let ci = 0; ci < c; ci++, wq += wRow) s += <f64>load<f32>(at(xp, ci)) * <f64>load<f32>(wq);
          }
        store<f32>(at(yp, co), <f32>s);
      }
    }
  }
}

/**
 * packed[((kk*blocks + cb)*cout + co)*4 + l] = wp[(kk*c + cb*4 + l)*cout + co]
 * in f64, 0 where cb*4 + l >= c: four weight rows at a time, transposed four
 * output channels at a time.
 */
function pack(wp: usize, packed: usize, taps: i32, c: i32, cout: i32): void {
  const blocks = (c + 3) >> 2;
  const zero = f32x4.splat(0);
  const rowBytes = <usize>cout << 2;
  let q = packed;
  for (let kk = 0; kk < taps; kk++)
    for (let cb = 0; cb < blocks; cb++) {
      const ci = cb * 4;
      const r0 = at(wp, (kk * c + ci) * cout);
      let co = 0;
      for (; co + 4 <= cout; co += 4, q += 128) {
        const p = r0 + (<usize>co << 2);
        const v0 = v128.load(p);
        const v1 = ci + 1 < c ? v128.load(p + rowBytes) : zero;
        const v2 = ci + 2 < c ? v128.load(p + 2 * rowBytes) : zero;
        const v3 = ci + 3 < c ? v128.load(p + 3 * rowBytes) : zero;
        const a = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
        const b = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
        const d = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
        const e = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
        v128.store(q, f64x2.promote_low_f32x4(a));
        v128.store(q, f64x2.promote_low_f32x4(d), 16);
        v128.store(q, promoteHigh(a), 32);
        v128.store(q, promoteHigh(d), 48);
        v128.store(q, f64x2.promote_low_f32x4(b), 64);
        v128.store(q, f64x2.promote_low_f32x4(e), 80);
        v128.store(q, promoteHigh(b), 96);
        v128.store(q, promoteHigh(e), 112);
      }
      for (; co < cout; co++, q += 32) {
        for (let l = 0; l < 4; l++) {
          store<f64>(q + (<usize>l << 3), ci + l < c ? <f64>load<f32>(at(r0, l * cout + co)) : 0);
        }
      }
    }
}

/** dx[p..p + 4) += the four lanes of (lo, hi), each rounded to float32; only `rest` lanes where the channels end. */
@inline function addInto(p: usize, lo: v128, hi: v128, rest: i32): void {
  if (rest >= 4) {
    const d = v128.load(p);
    v128.store(p, demote(f64x2.add(f64x2.promote_low_f32x4(d), lo), f64x2.add(promoteHigh(d), hi)));
    return;
  }
  store<f32>(p, <f32>(<f64>load<f32>(p) + f64x2.extract_lane(lo, 0)));
  if (rest > 1) store<f32>(p + 4, <f32>(<f64>load<f32>(p + 4) + f64x2.extract_lane(lo, 1)));
  if (rest > 2) store<f32>(p + 8, <f32>(<f64>load<f32>(p + 8) + f64x2.extract_lane(hi, 0)));
}

/**
 * dx for images [b0, b0 + count) (dx of those images is written whole).
 * Per position, its weights are packed into scratch, widened to f64, as
 * [kh*kw, c4/4, cout, 4] (c4: c rounded up to 4, the extra lanes 0), so four
 * input channels of a tap read their weights for one output channel in two
 * loads; per image, dy of the position is widened once. Then per tap, each
 * lane sums dy * w over the output channels in order (eight input channels
 * per pass where there are, then four), and the sum is added into dx,
 * rounded to float32. Positions run in order, as the reference's do, so
 * every dx element takes its sums in the reference's order.
 * scratch: kh*kw*c4*cout + cout f64.
 */
export function locallyConnected2dBackwardInput(
  dy: usize, wt: usize, dx: usize, scratch: usize, n: i32, h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, cout: i32, b0: i32, count: i32,
): void {
  const k = kh * kw * c;
  const blocks = (c + 3) >> 2;
  const blockBytes = <usize>cout << 5;
  const g64 = scratch + <usize>kh * kw * blocks * blockBytes;
  const image = h * w * c;
  memory.fill(at(dx, b0 * image), 0, <usize>count * image * 4);
  for (let pos = 0; pos < oh * ow; pos++) {
    const oi = pos / ow;
    const oj = pos - oi * ow;
    pack(at(wt, pos * k * cout), scratch, kh * kw, c, cout);
    for (let b = b0; b < b0 + count; b++) {
      const g = at(dy, ((b * oh + oi) * ow + oj) * cout);
      for (let co = 0; co < cout; co++) store<f64>(g64 + (<usize>co << 3), <f64>load<f32>(at(g, co)));
      const corner = ((b * h + oi * sh) * w + oj * sw) * c;
      let wq = scratch;
      for (let ki = 0; ki < kh; ki++)
        for (let kj = 0; kj < kw; kj++) {
          const xp = at(dx, corner + (ki * w + kj) * c);
          let cb = 0;
          for (; cb + 2 <= blocks; cb += 2, wq += 2 * blockBytes) {
            let a0 = f64x2.splat(0);
            let a1 = f64x2.splat(0);
            let a2 = f64x2.splat(0);
            let a3 = f64x2.splat(0);
            let gq = g64;
            for (let wr = wq; wr < wq + blockBytes; wr += 32, gq += 8) {
              const s = v128.load64_splat(gq);
              a0 = f64x2.add(a0, f64x2.mul(s, v128.load(wr)));
              a1 = f64x2.add(a1, f64x2.mul(s, v128.load(wr, 16)));
              a2 = f64x2.add(a2, f64x2.mul(s, v128.load(wr + blockBytes)));
              a3 = f64x2.add(a3, f64x2.mul(s, v128.load(wr + blockBytes, 16)));
            }
            addInto(at(xp, cb * 4), a0, a1, 4);
            addInto(at(xp, cb * 4 + 4), a2, a3, c - cb * 4 - 4);
          }
          if (cb < blocks) {
            let a0 = f64x2.splat(0);
            let a1 = f64x2.splat(0);
            let gq = g64;
            for (let wr = wq; wr < wq + blockBytes; wr += 32, gq += 8) {
              const s = v128.load64_splat(gq);
              a0 = f64x2.add(a0, f64x2.mul(s, v128.load(wr)));
              a1 = f64x2.add(a1, f64x2.mul(s, v128.load(wr, 16)));
            }
            addInto(at(xp, cb * 4), a0, a1, c - cb * 4);
            wq += blockBytes;
          }
        }
    }
  }
}

/**
 * dW for output positions [p0, p0 + count) (each position's weights are its
 * own, so ranges never share an output): dW[pos, t, co] sums x * dy over the
 * images in order, rounded to float32 after each, as the reference adds
 * into its Float32Array. Output channels eight, then four, then one at a time.
 */
export function locallyConnected2dBackwardFilter(
  x: usize, dy: usize, dw: usize, n: i32, h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, cout: i32, p0: i32, count: i32,
): void {
  const k = kh * kw * c;
  const xImage = h * w * c;
  const dyImage = oh * ow * cout;
  for (let pos = p0; pos < p0 + count; pos++) {
    const oi = pos / ow;
    const oj = pos - oi * ow;
    const corner = ((oi * sh) * w + oj * sw) * c;
    const g0 = (oi * ow + oj) * cout;
    let dq = at(dw, pos * k * cout);
    for (let ki = 0; ki < kh; ki++)
      for (let kj = 0; kj < kw; kj++)
        for (let ci = 0; ci < c; ci++) {
          const tap = corner + (ki * w + kj) * c + ci;
          let co = 0;
          for (; co + 8 <= cout; co += 8) {
            let a0 = f64x2.splat(0);
            let a1 = f64x2.splat(0);
            let a2 = f64x2.splat(0);
            let a3 = f64x2.splat(0);
            for (let b = 0; b < n; b++) {
              const s = f64x2.splat(<f64>load<f32>(at(x, b * xImage + tap)));
              const gp = at(dy, b * dyImage + g0 + co);
              const v0 = v128.load(gp);
              const v1 = v128.load(gp, 16);
              a0 = round32(maddF64(a0, s, f64x2.promote_low_f32x4(v0)));
              a1 = round32(maddF64(a1, s, promoteHigh(v0)));
              a2 = round32(maddF64(a2, s, f64x2.promote_low_f32x4(v1)));
              a3 = round32(maddF64(a3, s, promoteHigh(v1)));
            }
            v128.store(dq, demote(a0, a1));
            v128.store(dq, demote(a2, a3), 16);
            dq += 32;
          }
          for (; co + 4 <= cout; co += 4) {
            let a0 = f64x2.splat(0);
            let a1 = f64x2.splat(0);
            for (let b = 0; b < n; b++) {
              const s = f64x2.splat(<f64>load<f32>(at(x, b * xImage + tap)));
              const v0 = v128.load(at(dy, b * dyImage + g0 + co));
              a0 = round32(maddF64(a0, s, f64x2.promote_low_f32x4(v0)));
              a1 = round32(maddF64(a1, s, promoteHigh(v0)));
            }
            v128.store(dq, demote(a0, a1));
            dq += 16;
          }
          for (; co < cout; co++) {
            let a: f32 = 0;
            for (let b = 0; b < n; b++) {
              a = <f32>(<f64>a + <f64>load<f32>(at(x, b * xImage + tap)) * <f64>load<f32>(at(dy, b * dyImage + g0 + co)));
            }
            store<f32>(dq, a);
            dq += 4;
          }
        }
  }
}
