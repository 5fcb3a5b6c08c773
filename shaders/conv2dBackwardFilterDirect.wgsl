// conv2dBackwardFilterDirect.wgsl: the filter gradient without the im2col copy,
// for layers with few input channels (cin % 4 != 0), over conv2dDirect.wgsl's
// tap table (taps: the K = kh*kw*cin terms (ky, kx, ci) of a pixel's window).
//   dW[t, co] = sum over output pixels of x[window origin + offset(t)] * dy[pixel, co]
// Each invocation sums 4 taps (one quad of the table) by 8 output channels (two
// vec4s) over a run of whole output rows: per 4 pixels of a row, 4 gathered
// vec4s of x and 8 vec4s of dy feed 32 multiply-adds, and the quad's offsets
// are loaded once, not per pixel. Runs of rows are split-K slices of part
// [splits, K, cout]; splitKSum.wgsl adds them (fixed order: deterministic).
// Where the device runs 4-lane subgroups and cout % 32 == 0 (SHARE_X), the 4
// lanes of a subgroup take the same quad and rows and consecutive channel
// octets: each gathers 1 of the 4 pixels and subgroupBroadcast hands them
// round (MNIST's 3x3x1->32 dW at batch 32 on SwiftShader: 9.8 -> 6.5 ms).
// The entry point: convEntry.wgsl or convEntrySubgroup.wgsl, put in front.
// The im2col path wrote and re-read the columns and ran its GEMM over m = K
// rows in blocks of 8 (MNIST's K = 9: 7 of 16 rows were padding).
// Needs cout % 4 == 0 (dy and part are read and written as vec4 along cout).

struct Params {
  n: u32, h: u32, w: u32, c: u32,  // input [n, h, w, c]
  kh: u32, kw: u32,                // kernel size
  sh: u32, sw: u32,                // strides
  dh: u32, dw: u32,                // dilations
  oh: u32, ow: u32,                // output size
  padTop: u32, padLeft: u32,       // TF 'same' puts the odd pad at bottom/right: only top/left shift indices
  cout: u32,
  taps: u32,                       // K = kh * kw * cin
  rowsPerSplit: u32,               // output rows (n * oh in all) each slice sums
  splits: u32,
}

override PADDED: bool = false;  // some window reaches into the padding: taps are tested per pixel

@group(0) @binding(0) var<uniform> p: Params;
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

/** One slice's sums for one quad of taps by one octet of channels; nothing past the last item. */
fn workItem(item: u32, lane: u32) {
  let c4 = p.cout / 4u;
  let c8 = (c4 + 1u) / 2u;
  let quads = (p.taps + 3u) / 4u;
  // Under SHARE_X c8 % 4 == 0: the 4 lanes of a subgroup leave together.
  if (item >= p.splits * quads * c8) { return; }
  let oct = item % c8;
  let quad = (item / c8) % quads;
  let split = item / (c8 * quads);
  let qa = 2u * oct;
  let qb = min(qa + 1u, c4 - 1u);
  let offs = tapTable[3u * quad];
  let ty = tapTable[3u * quad + 1u];
  let tx = tapTable[3u * quad + 2u];
  // x index steps per output pixel along a row, and per 4.
  let step = i32(p.sw * p.c);

  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  let rowEnd = min((split + 1u) * p.rowsPerSplit, p.n * p.oh);
  for (var row = split * p.rowsPerSplit; row < rowEnd; row++) {
    let oy = row % p.oh;
    let b = row / p.oh;
    let iy = i32(oy * p.sh) - i32(p.padTop);
    var ix = -i32(p.padLeft);
    var at = (i32(b * p.h) + iy) * i32(p.w * p.c) + ix * i32(p.c);
    var dyAt = row * p.ow * c4;
    for (var ox = 0u; ox < p.ow; ox += 4u) {
      var x0: vec4f; var x1: vec4f; var x2: vec4f; var x3: vec4f;
      if (SHARE_X) {
        // Lane j gathers pixel ox + j for the subgroup.
        let m = share4(gather(at + i32(lane) * step, iy, ix + i32(lane * p.sw), offs, ty, tx, ox + lane < p.ow));
        x0 = m[0]; x1 = m[1]; x2 = m[2]; x3 = m[3];
      } else {
        x0 = gather(at, iy, ix, offs, ty, tx, true);
        x1 = gather(at + step, iy, ix + i32(p.sw), offs, ty, tx, ox + 1u < p.ow);
        x2 = gather(at + 2 * step, iy, ix + 2 * i32(p.sw), offs, ty, tx, ox + 2u < p.ow);
        x3 = gather(at + 3 * step, iy, ix + 3 * i32(p.sw), offs, ty, tx, ox + 3u < p.ow);
      }
      // dy of the 4 pixels (past the row's end: clamped reads, times 0).
      let last = p.n * p.oh * p.ow * c4 - c4;
      let d0 = dy4[dyAt + qa]; let e0 = dy4[dyAt + qb];
      let d1 = dy4[min(dyAt + c4, last) + qa]; let e1 = dy4[min(dyAt + c4, last) + qb];
      let d2 = dy4[min(dyAt + 2u * c4, last) + qa]; let e2 = dy4[min(dyAt + 2u * c4, last) + qb];
      let d3 = dy4[min(dyAt + 3u * c4, last) + qa]; let e3 = dy4[min(dyAt + 3u * c4, last) + qb];
      // Tap j of the quad: the 4 pixels' x at j times their dy.
      a0 = fma(vec4f(x0.x), d0, fma(vec4f(x1.x), d1, fma(vec4f(x2.x), d2, fma(vec4f(x3.x), d3, a0))));
      a1 = fma(vec4f(x0.y), d0, fma(vec4f(x1.y), d1, fma(vec4f(x2.y), d2, fma(vec4f(x3.y), d3, a1))));
      a2 = fma(vec4f(x0.z), d0, fma(vec4f(x1.z), d1, fma(vec4f(x2.z), d2, fma(vec4f(x3.z), d3, a2))));
      a3 = fma(vec4f(x0.w), d0, fma(vec4f(x1.w), d1, fma(vec4f(x2.w), d2, fma(vec4f(x3.w), d3, a3))));
      b0 = fma(vec4f(x0.x), e0, fma(vec4f(x1.x), e1, fma(vec4f(x2.x), e2, fma(vec4f(x3.x), e3, b0))));
      b1 = fma(vec4f(x0.y), e0, fma(vec4f(x1.y), e1, fma(vec4f(x2.y), e2, fma(vec4f(x3.y), e3, b1))));
      b2 = fma(vec4f(x0.z), e0, fma(vec4f(x1.z), e1, fma(vec4f(x2.z), e2, fma(vec4f(x3.z), e3, b2))));
      b3 = fma(vec4f(x0.w), e0, fma(vec4f(x1.w), e1, fma(vec4f(x2.w), e2, fma(vec4f(x3.w), e3, b3))));
      at += 4 * step;
      ix += 4 * i32(p.sw);
      dyAt += 4u * c4;
    }
  }
  // This slice's rows 4 * quad .. + 3 of dW (those below K), channels qa and qb (qb only if it is past qa).
  let t0 = 4u * quad;
  let base = (split * p.taps + t0) * c4;
  part4[base + qa] = a0;
  if (t0 + 1u < p.taps) { part4[base + c4 + qa] = a1; }
  if (t0 + 2u < p.taps) { part4[base + 2u * c4 + qa] = a2; }
  if (t0 + 3u < p.taps) { part4[base + 3u * c4 + qa] = a3; }
  if (qb != qa) {
    part4[base + qb] = b0;
    if (t0 + 1u < p.taps) { part4[base + c4 + qb] = b1; }
    if (t0 + 2u < p.taps) { part4[base + 2u * c4 + qb] = b2; }
    if (t0 + 3u < p.taps) { part4[base + 3u * c4 + qb] = b3; }
  }
}
