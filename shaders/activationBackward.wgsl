// activationBackward.wgsl: dx = dy * f'(x) (lib/activationGrad.wgsl), written
// over the element type T (a float or a vec4 of them: src/kernels/lanes.ts).
// p: the uniforms declared with this shader in src/kernels/activation/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/activationGrad.wgsl

@group(0) @binding(1) var<storage, read> dy: array<T>;
@group(0) @binding(2) var<storage, read> x: array<T>;
@group(0) @binding(3) var<storage, read> y: array<T>;
@group(0) @binding(4) var<storage, read_write> dx: array<T>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  // Both x and y are read for every kind so that the auto layout always has all bindings.
  dx[i] = activationGrad(dy[i], x[i], y[i]);
}
