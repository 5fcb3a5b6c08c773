// locallyConnected2d.wgsl: a convolution whose weights are not shared across
// output positions (Keras LocallyConnected2D, 'valid'). Position pos = oi*ow + oj
// owns w[pos] of shape [k, cout], k = kh*kw*cin indexed t = (ki*kw + kj)*cin + ci:
//   y[b,oi,oj,co] = sum_t x[b, oi*sh+ki, oj*sw+kj, ci] * w[pos, t, co] + bias[oi,oj,co]
// One invocation per output element. HAS_BIAS = 0 binds a placeholder for bias.
// p: the uniforms declared with this shader in src/kernels/locallyConnected2d/webgpu.ts.

//! include lib/invocation.wgsl
override HAS_BIAS: u32 = 1;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> kernel: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

fn item(o: u32) {
  if (o >= p.total) { return; }
  let co = o % p.cout;
  let pos = (o / p.cout) % (p.oh * p.ow);
  let b = o / (p.cout * p.oh * p.ow);
  let oi = pos / p.ow;
  let oj = pos % p.ow;
  let k = p.kh * p.kw * p.c;
  var s = 0.0;
  if (HAS_BIAS == 1u) { s = bias[pos * p.cout + co]; }
  for (var ki = 0u; ki < p.kh; ki++) {
    for (var kj = 0u; kj < p.kw; kj++) {
      let src = ((b * p.h + oi * p.sh + ki) * p.w + oj * p.sw + kj) * p.c;
      let t0 = (ki * p.kw + kj) * p.c;
      for (var ci = 0u; ci < p.c; ci++) {
        s += x[src + ci] * kernel[(pos * k + t0 + ci) * p.cout + co];
      }
    }
  }
  y[o] = s;
}
