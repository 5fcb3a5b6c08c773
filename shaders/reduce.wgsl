// reduce.wgsl: y[o] = the fold by OP of x's elements in output element o's
// row (the reduced axes, any of them, through the layout table). LANES
// invocations share a row: 1 for short rows (an invocation per output), the
// workgroup for long ones (strided partial folds, then a tree in workgroup
// memory). Every fold carries a pair: the value and, for argMax/argMin, its
// index (the first one on ties), for logSumExp the running sum of exp(x - value).
// p: the uniforms declared with this shader in src/kernels/reduce/webgpu.ts.

override OP: u32 = 0u;     // 0 sum, 1 mean, 2 prod, 3 max, 4 min, 5 argMax, 6 argMin, 7 logSumExp
override LANES: u32 = 1u;  // invocations per output element: 1 or WG (a power of two)
override WG: u32 = 64u;

@group(0) @binding(1) var<storage, read> plan: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

//! include lib/reduceLayout.wgsl

var<workgroup> values: array<f32, WG>;
var<workgroup> seconds: array<f32, WG>;


// +inf, made at run time (a constant infinity does not compile).
fn infinity() -> f32 { return bitcast<f32>(0x7f800000u | (p.outSize & 0u)); }

// The fold's starting pair: what every element combines into unchanged.
fn identity() -> vec2f {
  switch OP {
    case 2u: { return vec2f(1.0, 0.0); }
    case 3u, 7u: { return vec2f(-infinity(), 0.0); }
    case 4u: { return vec2f(infinity(), 0.0); }
    case 5u: { return vec2f(-infinity(), infinity()); }  // any real index beats it on ties
    case 6u: { return vec2f(infinity(), infinity()); }
    default: { return vec2f(0.0, 0.0); }
  }
}

// The pair of the r-th element of a row.
fn element(v: f32, r: u32) -> vec2f {
  switch OP {
    case 5u, 6u: { return vec2f(v, f32(r)); }
    case 7u: { return vec2f(v, 1.0); }  // exp(v - v) = 1 at its own shift
    default: { return vec2f(v, 0.0); }
  }
}

fn combine(a: vec2f, b: vec2f) -> vec2f {
  switch OP {
    case 0u, 1u: { return vec2f(a.x + b.x, 0.0); }
    case 2u: { return vec2f(a.x * b.x, 0.0); }
    case 3u: { return select(a, b, b.x > a.x); }
    case 4u: { return select(a, b, b.x < a.x); }
    case 5u: { return select(a, b, b.x > a.x || (b.x == a.x && b.y < a.y)); }
    case 6u: { return select(a, b, b.x < a.x || (b.x == a.x && b.y < a.y)); }
    default: {
      // logSumExp: both sums rescaled to the larger shift; nothing to add below -inf.
      let m = max(a.x, b.x);
      if (m == -infinity()) { return vec2f(m, 0.0); }
      return vec2f(m, a.y * exp(a.x - m) + b.y * exp(b.x - m));
    }
  }
}

fn finish(a: vec2f) -> f32 {
  switch OP {
    case 1u: { return a.x / f32(p.redSize); }
    case 5u, 6u: { return a.y; }
    case 7u: { return a.x + log(a.y); }
    default: { return a.x; }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let o = (g.x + g.y * nwg.x * WG) / LANES;
  let lane = li % LANES;
  let live = o < p.outSize;
  var acc = identity();
  if (live) {
    let base = keptOffset(o);
    for (var r = lane; r < p.redSize; r += LANES) {
      acc = combine(acc, element(x[base + reducedOffset(r)], r));
    }
  }
  if (LANES > 1u) {
    // Every invocation reaches the barriers; only live lanes' results are written.
    values[li] = acc.x;
    seconds[li] = acc.y;
    for (var s = LANES / 2u; s > 0u; s >>= 1u) {
      workgroupBarrier();
      if (lane < s) {
        acc = combine(acc, vec2f(values[li + s], seconds[li + s]));
        values[li] = acc.x;
        seconds[li] = acc.y;
      }
    }
  }
  if (live && lane == 0u) { y[o] = finish(acc); }
}
