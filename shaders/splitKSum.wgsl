// splitKSum.wgsl: c[i] = sum over s of part[s * total + i], the second half of
// a split-K GEMM or conv gradient: each split summed its own chunk into its own
// slice of part; this adds the slices in a fixed order, so results are
// deterministic (no atomics).
// p: the uniforms declared with this shader in src/kernels/matmul/splitK.ts.
//! include lib/fusedActivation.wgsl

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> part: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;

fn item(i: u32) {
  if (i >= p.total) { return; }
  var s = 0.0;
  for (var z = 0u; z < p.splits; z++) { s += part[z * p.total + i]; }
  c[i] = fusedActivation1(s);
}
