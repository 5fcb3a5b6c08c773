// conv2dBackwardInputDirect.wgsl: dx of a 3x3, stride-1, undilated conv with
// few input channels (cin % 4 != 0), without the column matrix:
//   dx[b,iy,ix,ci] = sum over (ky,kx,co) of dy[b, iy+padTop-ky, ix+padLeft-kx, co] * w[ky,kx,ci,co]
// Nothing reuses a load of dy across channels here, so the reuse is across
// taps: an invocation sweeps two input rows for one channel and one octet of
// output channels, the 9 taps' weights in registers. Octets write slices that
// splitKSum.wgsl adds (4 octets add theirs with subgroupAdd where lanes share).
// Entry point in front: convEntry.wgsl or convEntrySubgroup.wgsl; cout % 4 == 0.
// p: the uniforms declared with this shader in src/kernels/conv2d/webgpu.ts.

@group(0) @binding(1) var<storage, read> dy4: array<vec4f>;  // [n * oh * ow, cout / 4]
@group(0) @binding(2) var<storage, read> w4: array<vec4f>;   // [3, 3, cin, cout / 4]
@group(0) @binding(3) var<storage, read_write> part: array<f32>;  // [octets, n * h * w * cin], or dx under SHARE_X

/** Two vec4s of channels of dy at (row, ox): 0 outside the output (row < 0 marks a row outside). */
struct Pair { a: vec4f, b: vec4f }

fn loadDy(row: i32, ox: i32, qa: u32, qb: u32, c4: u32) -> Pair {
  let ok = row >= 0 && ox >= 0 && ox < i32(p.ow);
  let at = select(0u, (u32(row) * p.ow + u32(ox)) * c4, ok);
  return Pair(select(vec4f(0.0), dy4[at + qa], ok), select(vec4f(0.0), dy4[at + qb], ok));
}

/** Weights of tap (ky, kx) for input channel ci at the two vec4s of channels. */
fn loadW(ky: u32, kx: u32, ci: u32, qa: u32, qb: u32, c4: u32) -> Pair {
  let at = ((ky * 3u + kx) * p.c + ci) * c4;
  return Pair(w4[at + qa], w4[at + qb]);
}

fn dot2(d: Pair, w: Pair) -> vec4f {
  return fma(d.a, w.a, d.b * w.b);
}

/** Row b * oh + oy of dy, or -1 where oy is outside the output. */
fn dyRow(b: u32, oy: i32) -> i32 {
  return select(-1, i32(b * p.oh) + oy, oy >= 0 && oy < i32(p.oh));
}

/** Two input rows for one input channel and one octet of output channels; nothing past the last item. */
fn workItem(item: u32, lane: u32) {
  let c4 = p.cout / 4u;
  let c8 = (c4 + 1u) / 2u;
  let pairs = (p.h + 1u) / 2u;  // input rows iy, iy + 1 per invocation
  // Under SHARE_X c8 % 4 == 0: the 4 lanes of a subgroup leave together.
  if (item >= p.n * pairs * p.c * c8) { return; }
  // Item: (b, row pair, ci, octet), octet fastest: a subgroup's 4 lanes are 4 octets of the same rows.
  let oct = item % c8;
  let rest = item / c8;
  let ci = rest % p.c;
  let bPair = rest / p.c;
  let iy = 2u * (bPair % pairs);
  let b = bPair / pairs;
  let second = iy + 1u < p.h;  // h odd: the last pair has one row
  let qa = 2u * oct;
  let qb = min(qa + 1u, c4 - 1u);
  // The second vec4 of channels counts only inside cout (cout % 8 == 4: the last octet has one).
  let keepB = select(0.0, 1.0, qa + 1u < c4);
  let w00 = loadW(0u, 0u, ci, qa, qb, c4); let w01 = loadW(0u, 1u, ci, qa, qb, c4); let w02 = loadW(0u, 2u, ci, qa, qb, c4);
  let w10 = loadW(1u, 0u, ci, qa, qb, c4); let w11 = loadW(1u, 1u, ci, qa, qb, c4); let w12 = loadW(1u, 2u, ci, qa, qb, c4);
  let w20 = loadW(2u, 0u, ci, qa, qb, c4); let w21 = loadW(2u, 1u, ci, qa, qb, c4); let w22 = loadW(2u, 2u, ci, qa, qb, c4);
  // Row iy reads dy rows oy, oy - 1, oy - 2 (taps ky = 0, 1, 2) with oy = iy + padTop; row iy + 1 reads oy + 1, oy, oy - 1.
  let oy = i32(iy + p.padTop);
  let rUp = select(-1, dyRow(b, oy + 1), second);
  let r0 = dyRow(b, oy);
  let r1 = dyRow(b, oy - 1);
  let r2 = dyRow(b, oy - 2);
  // Pixel ix reads dy columns ix + padLeft - kx: sweeping ox upwards it gets kx = 2, then 1, then 0 (done).
  var acc1 = vec4f(0.0); var acc2 = vec4f(0.0);  // row iy: pixels ox - padLeft and ox - padLeft + 1 so far
  var bcc1 = vec4f(0.0); var bcc2 = vec4f(0.0);  // row iy + 1: the same
  let rowLen = p.w * p.c;
  // Index of pixel (iy, 0) in this octet's slice of part; under SHARE_X a subgroup adds its 4 octets into one slice.
  let slice = select(oct, oct / 4u, SHARE_X);
  var out = (slice * p.n * p.h + b * p.h + iy) * rowLen + ci;
  let first = i32(p.padLeft) - 2;
  let last = i32(p.w) - 1 + i32(p.padLeft);
  for (var ox = first; ox <= last; ox++) {
    var du = loadDy(rUp, ox, qa, qb, c4);
    var d0 = loadDy(r0, ox, qa, qb, c4);
    var d1 = loadDy(r1, ox, qa, qb, c4);
    var d2 = loadDy(r2, ox, qa, qb, c4);
    du.b *= keepB; d0.b *= keepB; d1.b *= keepB; d2.b *= keepB;
    let doneA = acc1 + dot2(d0, w00) + dot2(d1, w10) + dot2(d2, w20);
    acc1 = acc2 + dot2(d0, w01) + dot2(d1, w11) + dot2(d2, w21);
    acc2 = dot2(d0, w02) + dot2(d1, w12) + dot2(d2, w22);
    let doneB = bcc1 + dot2(du, w00) + dot2(d0, w10) + dot2(d1, w20);
    bcc1 = bcc2 + dot2(du, w01) + dot2(d0, w11) + dot2(d1, w21);
    bcc2 = dot2(du, w02) + dot2(d0, w12) + dot2(d1, w22);
    if (ox >= i32(p.padLeft)) {
      var sumA = doneA.x + doneA.y + doneA.z + doneA.w;
      var sumB = doneB.x + doneB.y + doneB.z + doneB.w;
      if (SHARE_X) {
        sumA = laneSum(sumA);
        sumB = laneSum(sumB);
      }
      if (!SHARE_X || lane == 0u) {
        part[out] = sumA;
        if (second) { part[out + rowLen] = sumB; }
      }
      out += p.c;
    }
  }
}
