// rmsprop.wgsl: in place, TF.js RMSPropOptimizer (epsilon inside the root):
//   ms = rho * ms + (1 - rho) * g^2
//   plain:    mom = momentum * mom + lr * g / sqrt(ms + epsilon)
//   CENTERED: mg = rho * mg + (1 - rho) * g;
//             mom = momentum * mom + lr * g / sqrt(ms - (mg^2 + epsilon))  (TF.js's sign)
//   w -= mom
// Without CENTERED, mg is bound to a placeholder buffer and never touched.
// p: the uniforms declared with this shader in src/kernels/optimizer/webgpu.ts.

//! include lib/invocation.wgsl
override CENTERED: u32 = 0;

@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> ms: array<f32>;
@group(0) @binding(4) var<storage, read_write> mom: array<f32>;
@group(0) @binding(5) var<storage, read_write> mg: array<f32>;
// set once a training step's loss was NaN or infinite (src/kernels/stepGuard): skip the update
@group(0) @binding(6) var<storage, read> guard: array<f32>;

fn item(i: u32) {
  if (i >= p.n || guard[0] != 0.0) { return; }
  let gi = grad[i];
  let si = p.rho * ms[i] + (1.0 - p.rho) * gi * gi;
  ms[i] = si;
  var denom = si + p.epsilon;
  if (CENTERED == 1u) {
    let ci = p.rho * mg[i] + (1.0 - p.rho) * gi;
    mg[i] = ci;
    denom = si - (ci * ci + p.epsilon);
  }
  let oi = p.momentum * mom[i] + p.lr * gi / sqrt(denom);
  mom[i] = oi;
  w[i] -= oi;
}
