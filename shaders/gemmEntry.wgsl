// gemmEntry.wgsl: the entry point of gemm.wgsl (put in front of it) where
// every invocation loads its own operands: any adapter, any workgroup shape.

const SHARE_A = false;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) g: vec3u) {
  gemmBlock(g, 0u);
}

/** Never called (SHARE_A is false): gemm.wgsl names it in a branch this file turns off. */
fn shareRows(m0: vec4f, m1: vec4f) -> Rows8 {
  return Rows8(mat4x4f(m0, m0, m0, m0), mat4x4f(m1, m1, m1, m1));
}
