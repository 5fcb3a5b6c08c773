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
  for (var ki = 0u; ki < p.kh; ki++) {
    let i = i32(oi * p.sh + ki) - i32(p.padTop);
    if (i < 0 || i >= i32(p.h)) { continue; }
    for (var kj = 0u; kj < p.kw; kj++) {
      let j = i32(oj * p.sw + kj) - i32(p.padLeft);
      if (j < 0 || j >= i32(p.w)) { continue; }
      let v = loadX(((b * p.h + u32(i)) * p.w + u32(j)) * p.c + ch);
      let wins = (v > best) | vec4<bool>(!found);
      best = select(best, v, wins);
      tap = select(tap, vec4u(ki * p.kw + kj), wins);
      found = true;
    }
  }
  return FirstMax(best, tap);
}
