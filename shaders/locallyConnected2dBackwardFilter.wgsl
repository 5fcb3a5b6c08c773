// locallyConnected2dBackwardFilter.wgsl: dW[pos, t, co] = sum over the batch
// of x(tap t of position pos) * dy[b, pos, co]. One invocation per weight.
// p: the uniforms declared with this shader in src/kernels/locallyConnected2d/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dw: array<f32>;

fn item(o: u32) {
  if (o >= p.total) { return; }
  let k = p.kh * p.kw * p.c;
  let co = o % p.cout;
  let t = (o / p.cout) % k;
  let pos = o / (p.cout * k);
  let ci = t % p.c;
  let kj = (t / p.c) % p.kw;
  let ki = t / (p.c * p.kw);
  let i = (pos / p.ow) * p.sh + ki;
  let j = (pos % p.ow) * p.sw + kj;
  var s = 0.0;
  for (var b = 0u; b < p.n; b++) {
    s += x[((b * p.h + i) * p.w + j) * p.c + ci] * dy[(b * p.oh * p.ow + pos) * p.cout + co];
  }
  dw[o] = s;
}
