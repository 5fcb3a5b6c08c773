// activationBiasBackward.wgsl: a layer's activation backward and its bias
// gradient in one pass over dy: dz = dy * f'(x) (lib/activationGrad.wgsl) and
// db[j] = sum over rows of dz[row, j], in the two stages of lib/chunkSum.wgsl.
// Stage 0 writes each dz as its chunk sums it, so dy is read once and dz is
// never read back for the bias. The backend runs only stage 0 from here: the
// chunks are added by biasAddBackward.wgsl's stage 1, the same column sum, so
// one pipeline serves both (column() below is that sum, for the library).
// Written over the element type T (src/kernels/lanes.ts): p.c counts T's, and
// part [chunks, c] holds the same floats either way.
// p: the uniforms declared with this shader in src/kernels/activation/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/chunkSum.wgsl
//! include lib/activationGrad.wgsl

@group(0) @binding(1) var<storage, read> dy: array<T>;
@group(0) @binding(2) var<storage, read> x: array<T>;
@group(0) @binding(3) var<storage, read> y: array<T>;
@group(0) @binding(4) var<storage, read_write> part: array<T>;  // [chunks, c]
@group(0) @binding(5) var<storage, read_write> dz: array<T>;
@group(0) @binding(6) var<storage, read_write> db: array<T>;

fn chunk(i: u32, j: u32, first: u32, end: u32) {
  var s = T(0.0);
  for (var r = first; r < end; r++) {
    let k = r * p.c + j;
    let g = activationGrad(dy[k], x[k], y[k]);
    dz[k] = g;
    s += g;
  }
  part[i] = s;
}

fn column(i: u32) {
  var s = T(0.0);
  for (var k = 0u; k < p.chunks; k++) { s += part[k * p.c + i]; }
  db[i] = s;
}
