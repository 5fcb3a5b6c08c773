// The fused activation of a kernel's epilogue, from its `relu` uniform:
// 0 none, 1 relu, 2 relu6 (src/kernels/fusedActivation.ts's codes).
fn fusedActivation4(v: vec4f) -> vec4f {
  if (p.relu == 0u) { return v; }
  let r = max(v, vec4f(0.0));
  return select(r, min(r, vec4f(6.0)), p.relu == 2u);
}

fn fusedActivation1(v: f32) -> f32 {
  return fusedActivation4(vec4f(v)).x;
}
