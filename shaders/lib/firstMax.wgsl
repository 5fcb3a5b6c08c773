// The first maximum of pooling window (b, oi, oj) over its real pixels, in
// row-major order with a strict > (as TensorFlow), per lane of a channel
// group: its value and its tap ki * kw + kj. Needs the pool uniforms, the
// overrides VEC4 and MIN and x bound both as f32s (x) and as vec4s (x4).
// MIN (min pooling) scans -x instead: its first maximum is x's first minimum
// (strict <), and the value it returns is -min; negation is exact.
struct FirstMax { value: vec4f, tap: vec4u }

// Item o of a kernel over (pixel, channel group): the pixel and the group's first channel.
fn pixelAndChannel(o: u32) -> vec2u {
  let lanes = select(1u, 4u, VEC4);
  let groups = p.c / lanes;
  return vec2u(o / groups, (o % groups) * lanes);
}

fn loadX(at: u32) -> vec4f {
  var v: vec4f;
  if (VEC4) { v = x4[at / 4u]; } else { v = vec4f(x[at]); }
  return select(v, -v, MIN);
}

fn firstMax(b: u32, oi: u32, oj: u32, ch: u32) -> FirstMax {
  var best = vec4f(0.0);
  var tap = vec4u(0xffffffffu);
  var found = false;
  // The window's first row and column (negative in the padding), and the element of x of that
  // tap; the others are stepped from it: SwiftShader's compiler keeps no product across a loop.
  let i0 = i32(oi * p.sh) - i32(p.padTop);
  let j0 = i32(oj * p.sw) - i32(p.padLeft);
  let h = i32(p.h);
  let w = i32(p.w);
  let c = i32(p.c);
  let kw = p.kw;
  let rowStep = w * c;
  var rowAt = ((i32(b) * h + i0) * w + j0) * c + i32(ch);
  var rowTap = 0u;
  for (var i = i0; i < i0 + i32(p.kh); i++) {
    if (i >= 0 && i < h) {
      var at = rowAt;
      for (var kj = 0u; kj < kw; kj++) {
        let j = j0 + i32(kj);
        if (j >= 0 && j < w) {
          let v = loadX(u32(at));
          let wins = (v > best) | vec4<bool>(!found);
          best = select(best, v, wins);
          tap = select(tap, vec4u(rowTap + kj), wins);
          found = true;
        }
        at += c;
      }
    }
    rowAt += rowStep;
    rowTap += kw;
  }
  return FirstMax(best, tap);
}
