// batchNormGrads.wgsl: per-channel dBeta = sum(dy) and dGamma = sum(dy * xhat),
// xhat = (x - mean) * invStd from what the forward saved, in two dispatches of
// this one kernel (STAGE), as batchNormStats.wgsl: 0, one invocation per
// (chunk of CHUNK rows, channel) sums its chunk (neighbouring lanes read
// neighbouring channels of one row); 1, one invocation per channel adds the
// chunks. batchNormBackward.wgsl then uses both for dx.
// Written over the element type T (src/kernels/lanes.ts): p.c counts T's.
// p: the uniforms declared with this shader in src/kernels/batchNorm/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/chunkSum.wgsl

@group(0) @binding(1) var<storage, read> dy: array<T>;
@group(0) @binding(2) var<storage, read> x: array<T>;
@group(0) @binding(3) var<storage, read> mean: array<T>;
@group(0) @binding(4) var<storage, read> invStd: array<T>;
@group(0) @binding(5) var<storage, read_write> part: array<T>;  // [2, chunks, c]: sums of dy, then of dy * xhat
@group(0) @binding(6) var<storage, read_write> dGamma: array<T>;
@group(0) @binding(7) var<storage, read_write> dBeta: array<T>;

fn chunk(i: u32, ch: u32, first: u32, end: u32) {
  let m = mean[ch];
  let s = invStd[ch];
  var a = T(0.0);
  var b = T(0.0);
  for (var r = first; r < end; r++) {
    let at = r * p.c + ch;
    a += dy[at];
    b += dy[at] * (x[at] - m) * s;
  }
  part[i] = a;
  part[p.chunks * p.c + i] = b;
}

fn column(i: u32) {
  var a = T(0.0);
  var b = T(0.0);
  for (var k = 0u; k < p.chunks; k++) {
    a += part[k * p.c + i];
    b += part[p.chunks * p.c + k * p.c + i];
  }
  dBeta[i] = a;
  dGamma[i] = b;
}
