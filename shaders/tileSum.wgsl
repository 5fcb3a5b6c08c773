// tileSum.wgsl: dx[j] = the sum of dy over every tile, dy's shape being
// dx's times reps on each axis: the gradient of tile and of broadcastTo. One
// invocation per element of dx; tiles are visited in dy's row-major order.
// p: the uniforms declared with this shader in src/kernels/layout/webgpu.ts.

//! include lib/invocation.wgsl

// Per axis, three numbers: dx's size, reps, dy's stride.
@group(0) @binding(1) var<storage, read> table: array<u32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn item(o: u32) {
  if (o >= p.total) { return; }
  var rem = o;
  var base = 0u;
  for (var d = p.rank; d > 0u; d--) {
    let t = (d - 1u) * 3u;
    base += (rem % table[t]) * table[t + 2u];
    rem = rem / table[t];
  }
  var s = 0.0;
  for (var r = 0u; r < p.tiles; r++) {
    var k = r;
    var at = base;
    for (var d = p.rank; d > 0u; d--) {
      let t = (d - 1u) * 3u;
      at += (k % table[t + 1u]) * table[t] * table[t + 2u];
      k = k / table[t + 1u];
    }
    s += dy[at];
  }
  dx[o] = s;
}
