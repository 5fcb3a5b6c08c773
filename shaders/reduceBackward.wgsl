// reduceBackward.wgsl: dx of a reduction, an invocation per input element:
// output element o's gradient dy[o] spread over its row, by OP: as it is
// (sum, scaled by p.scale: 1/n for mean), where x equals y[o] (max, min),
// times the product of the row's other elements (prod: exact with zeros), or
// times exp(x - y[o]) (logSumExp, y the log of the row's sum of exp).
// p: the uniforms declared with this shader in src/kernels/reduce/webgpu.ts.

override OP: u32 = 0u;  // 0 sum/mean, 1 max/min, 2 prod, 3 logSumExp

@group(0) @binding(1) var<storage, read> plan: array<u32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;

//! include lib/reduceLayout.wgsl

//! include lib/invocation.wgsl

fn item(i: u32) {
  if (i >= p.outSize * p.redSize) { return; }
  let o = i / p.redSize;
  let r = i % p.redSize;
  let base = keptOffset(o);
  let at = base + reducedOffset(r);
  let g = dy[o];
  switch OP {
    case 1u: { dx[at] = select(0.0, g, x[at] == y[o]); }
    case 2u: {
      var others = 1.0;
      for (var k = 0u; k < p.redSize; k++) {
        if (k != r) { others *= x[base + reducedOffset(k)]; }
      }
      dx[at] = g * others;
    }
    case 3u: { dx[at] = g * exp(x[at] - y[o]); }
    default: { dx[at] = g * p.scale; }
  }
}
