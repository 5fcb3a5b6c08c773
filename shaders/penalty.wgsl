// penalty.wgsl: the l1/l2 weight penalty, element-wise.
//   GRAD = 0: out = l1 * |w| + l2 * w^2 (sum.wgsl then adds them up)
//   GRAD = 1: out = l1 * abs'(w) + 2 * l2 * w, abs'(w) = 1 for w > 0 and -1
//   otherwise, as TF.js's Abs gradient step(x, -1) has it.
// p: the uniforms declared with this shader in src/kernels/loss/webgpu.ts.

//! include lib/invocation.wgsl
override GRAD: u32 = 0;

@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  let v = w[i];
  if (GRAD == 1u) {
    out[i] = p.l1 * select(-1.0, 1.0, v > 0.0) + 2.0 * p.l2 * v;
  } else {
    out[i] = p.l1 * abs(v) + p.l2 * v * v;
  }
}
