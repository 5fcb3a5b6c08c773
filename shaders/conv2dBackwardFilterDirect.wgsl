// conv2dBackwardFilterDirect.wgsl: dW without im2col's copy, for few input
// channels (cin % 4 != 0), over conv2dDirect.wgsl's tap table:
//   dW[t, co] = sum over output pixels of x[window origin + offset(t)] * dy[pixel, co]
// An invocation sums 1 to 3 quads of taps (QPL, sharing each load of dy) by 8
// output channels over a run of whole output rows; runs are split-K slices that
// splitKSum.wgsl adds in a fixed order (deterministic). Entry point in front:
// convEntry.wgsl or convEntrySubgroup.wgsl (lanes share gathers); cout % 4 == 0.
// p: the uniforms declared with this shader in src/kernels/conv2d/webgpu.ts.

override PADDED: bool = false;  // some window reaches into the padding: taps are tested per pixel
override QPL: u32 = 1;          // quads of taps per invocation (1 to 3): they share its loads of dy

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy4: array<vec4f>;      // [n * oh * ow, cout / 4]
@group(0) @binding(3) var<storage, read> tapTable: array<vec4i>; // conv2dDirect.wgsl's: per quad [offset, ky*dh, kx*dw]
@group(0) @binding(4) var<storage, read_write> part4: array<vec4f>;  // [splits, K, cout / 4]

/** One pixel's values at the quad's 4 taps: 0 in the padding (PADDED) and past the row's end (`live` false). */
fn gather(at: i32, iy: i32, ix: i32, offs: vec4i, ty: vec4i, tx: vec4i, live: bool) -> vec4f {
  let i = vec4i(at) + offs;
  if (!PADDED) { return select(vec4f(0.0), vec4f(x[i.x], x[i.y], x[i.z], x[i.w]), live); }
  let y = vec4i(iy) + ty;
  let xx = vec4i(ix) + tx;
  let ok = (y >= vec4i(0)) & (y < vec4i(i32(p.h))) & (xx >= vec4i(0)) & (xx < vec4i(i32(p.w))) & vec4<bool>(live);
  let safe = select(vec4i(0), i, ok);
  return select(vec4f(0.0), vec4f(x[safe.x], x[safe.y], x[safe.z], x[safe.w]), ok);
}

/** Taps 4q..4q+3 of the table: offsets in x from the window origin, ky * dh, kx * dw. */
struct Quad { offs: vec4i, ty: vec4i, tx: vec4i }

fn quadAt(q: u32) -> Quad {
  // A quad past the table (the last group's spare quads) re-reads the last one; it is never stored.
  let k = 3u * min(q, (p.taps + 3u) / 4u - 1u);
  return Quad(tapTable[k], tapTable[k + 1u], tapTable[k + 2u]);
}

/** Sums of 4 taps (columns) at the invocation's two vec4s of channels. */
struct Acc { a: mat4x4f, b: mat4x4f }

/** dy of 4 pixels (columns) at the two vec4s of channels. */
struct Dy4 { d: mat4x4f, e: mat4x4f }

/** Where 4 pixels of a row start (the first one's x index, window row and column) and which exist. */
struct Run { at: i32, iy: i32, ix: i32, step: i32, ox: u32 }

/** The run's 4 pixels' values at a quad's taps, as columns (0 past the row's end and in the padding). */
fn pixels4(r: Run, qd: Quad, lane: u32) -> mat4x4f {
  if (SHARE_X) {
    // Lane j gathers pixel ox + j for the subgroup.
    return share4(gather(r.at + i32(lane) * r.step, r.iy, r.ix + i32(lane * p.sw), qd.offs, qd.ty, qd.tx, r.ox + lane < p.ow));
  }
  let sw = i32(p.sw);
  return mat4x4f(gather(r.at, r.iy, r.ix, qd.offs, qd.ty, qd.tx, true),
                 gather(r.at + r.step, r.iy, r.ix + sw, qd.offs, qd.ty, qd.tx, r.ox + 1u < p.ow),
                 gather(r.at + 2 * r.step, r.iy, r.ix + 2 * sw, qd.offs, qd.ty, qd.tx, r.ox + 2u < p.ow),
                 gather(r.at + 3 * r.step, r.iy, r.ix + 3 * sw, qd.offs, qd.ty, qd.tx, r.ox + 3u < p.ow));
}

/** Tap j's sum plus the 4 pixels' x at tap j (row j of xs) times their dy. */
fn tap(acc: vec4f, x0: f32, x1: f32, x2: f32, x3: f32, d: mat4x4f) -> vec4f {
  return acc + d * vec4f(x0, x1, x2, x3);
}

fn accumulate(acc: Acc, xs: mat4x4f, dy: Dy4) -> Acc {
  return Acc(
    mat4x4f(tap(acc.a[0], xs[0].x, xs[1].x, xs[2].x, xs[3].x, dy.d), tap(acc.a[1], xs[0].y, xs[1].y, xs[2].y, xs[3].y, dy.d),
            tap(acc.a[2], xs[0].z, xs[1].z, xs[2].z, xs[3].z, dy.d), tap(acc.a[3], xs[0].w, xs[1].w, xs[2].w, xs[3].w, dy.d)),
    mat4x4f(tap(acc.b[0], xs[0].x, xs[1].x, xs[2].x, xs[3].x, dy.e), tap(acc.b[1], xs[0].y, xs[1].y, xs[2].y, xs[3].y, dy.e),
            tap(acc.b[2], xs[0].z, xs[1].z, xs[2].z, xs[3].z, dy.e), tap(acc.b[3], xs[0].w, xs[1].w, xs[2].w, xs[3].w, dy.e)));
}

/** Stores quad q's sums (the taps below K) into the slice, channels qa and qb (qb only past qa). */
fn storeQuad(split: u32, q: u32, qa: u32, qb: u32, c4: u32, acc: Acc) {
  let t0 = 4u * q;
  if (t0 >= p.taps) { return; }
  let base = (split * p.taps + t0) * c4;
  for (var j = 0u; j < 4u; j++) {
    if (t0 + j < p.taps) {
      part4[base + j * c4 + qa] = acc.a[j];
      if (qb != qa) { part4[base + j * c4 + qb] = acc.b[j]; }
    }
  }
}

/** One slice's sums for QPL quads of taps by one octet of channels; nothing past the last item. */
fn workItem(item: u32, lane: u32) {
  let c4 = p.cout / 4u;
  let c8 = (c4 + 1u) / 2u;
  let groups = ((p.taps + 3u) / 4u + QPL - 1u) / QPL;
  // Under SHARE_X c8 % 4 == 0: the 4 lanes of a subgroup leave together.
  if (item >= p.splits * groups * c8) { return; }
  let oct = item % c8;
  let q0 = ((item / c8) % groups) * QPL;
  let split = item / (c8 * groups);
  let qa = 2u * oct;
  let qb = min(qa + 1u, c4 - 1u);
  let quad0 = quadAt(q0);
  let quad1 = quadAt(q0 + 1u);
  let quad2 = quadAt(q0 + 2u);
  let zero = Acc(mat4x4f(), mat4x4f());
  var acc0 = zero; var acc1 = zero; var acc2 = zero;
  let last = p.n * p.oh * p.ow * c4 - c4;
  let rowEnd = min((split + 1u) * p.rowsPerSplit, p.n * p.oh);
  for (var row = split * p.rowsPerSplit; row < rowEnd; row++) {
    let oy = row % p.oh;
    let b = row / p.oh;
    let iy = i32(oy * p.sh) - i32(p.padTop);
    let step = i32(p.sw * p.c);
    var r = Run((i32(b * p.h) + iy) * i32(p.w * p.c) - i32(p.padLeft * p.c), iy, -i32(p.padLeft), step, 0u);
    var dyAt = row * p.ow * c4;
    for (; r.ox < p.ow; r.ox += 4u) {
      // dy of the 4 pixels (past the row's end: clamped reads, times 0).
      let at1 = min(dyAt + c4, last); let at2 = min(dyAt + 2u * c4, last); let at3 = min(dyAt + 3u * c4, last);
      let dy = Dy4(mat4x4f(dy4[dyAt + qa], dy4[at1 + qa], dy4[at2 + qa], dy4[at3 + qa]),
                   mat4x4f(dy4[dyAt + qb], dy4[at1 + qb], dy4[at2 + qb], dy4[at3 + qb]));
      acc0 = accumulate(acc0, pixels4(r, quad0, lane), dy);
      if (QPL > 1u) { acc1 = accumulate(acc1, pixels4(r, quad1, lane), dy); }
      if (QPL > 2u) { acc2 = accumulate(acc2, pixels4(r, quad2, lane), dy); }
      r.at += 4 * step;
      r.ix += 4 * i32(p.sw);
      dyAt += 4u * c4;
    }
  }
  storeQuad(split, q0, qa, qb, c4, acc0);
  if (QPL > 1u) { storeQuad(split, q0 + 1u, qa, qb, c4, acc1); }
  if (QPL > 2u) { storeQuad(split, q0 + 2u, qa, qb, c4, acc2); }
}
