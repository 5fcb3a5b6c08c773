// activation.wgsl: y = f(x) element-wise, for the element-wise activations,
// written over the element type T (a float or a vec4 of them: src/kernels/lanes.ts).
// KIND picks f at pipeline creation (an override, so each kind is its own
// specialised pipeline and no branch runs per element):
//   0 linear  1 relu  2 leakyRelu  3 elu  4 sigmoid  5 tanh  6 relu6
// alpha is the leakyRelu slope / elu scale and is a runtime value (a uniform).
// p: the uniforms declared with this shader in src/kernels/activation/webgpu.ts.

//! include lib/invocation.wgsl
override KIND: u32 = 0;

@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> y: array<T>;

fn f(v: T) -> T {
  switch KIND {
    case 1u: { return max(v, T(0.0)); }
    case 2u: { return select(p.alpha * v, v, v > T(0.0)); }
    case 3u: { return select(p.alpha * (exp(v) - 1.0), v, v > T(0.0)); }
    // exp(-v) overflows past |v| ~ 88; clamping keeps the result exact in f32 and never inf/NaN.
    case 4u: { return 1.0 / (1.0 + exp(-clamp(v, T(-88.0), T(88.0)))); }
    // Some drivers compute tanh through exp and return NaN for large |v|; tanh(+-10) is +-1 in f32.
    case 5u: { return tanh(clamp(v, T(-10.0), T(10.0))); }
    case 6u: { return clamp(v, T(0.0), T(6.0)); }
    default: { return v; }
  }
}

fn item(i: u32) {
  if (i >= p.n) { return; }
  y[i] = f(x[i]);
}
