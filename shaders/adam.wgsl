// adam.wgsl: in place, TF.js AdamOptimizer plus Keras AdamW's decoupled decay:
//   w -= lr * weightDecay * w
//   m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g^2
//   w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + epsilon)
// The bias corrections 1 - b^t arrive as uniforms: the step count lives on the CPU.
// p: the uniforms declared with this shader in src/kernels/optimizer/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
// set once a training step's loss was NaN or infinite (src/kernels/stepGuard): skip the update
@group(0) @binding(5) var<storage, read> guard: array<f32>;

fn item(i: u32) {
  if (i >= p.n || guard[0] != 0.0) { return; }
  let gi = grad[i];
  let w0 = w[i] - p.lr * p.weightDecay * w[i];
  let mi = p.beta1 * m[i] + (1.0 - p.beta1) * gi;
  let vi = p.beta2 * v[i] + (1.0 - p.beta2) * gi * gi;
  m[i] = mi;
  v[i] = vi;
  w[i] = w0 - p.lr * (mi / p.correction1) / (sqrt(vi / p.correction2) + p.epsilon);
}
