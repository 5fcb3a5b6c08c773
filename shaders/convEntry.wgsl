// convEntry.wgsl: the entry point of the direct conv kernels (conv2dDirect.wgsl,
// conv2dBackwardFilterDirect.wgsl; put in front of one) where every invocation
// gathers its own values of x: any adapter. The body defines workItem.

const SHARE_X = false;

/** 8 pixels' values of 4 taps, as the columns of two matrices: pixels 0..3 and 4..7. */
struct Rows8 { lo: mat4x4f, hi: mat4x4f }

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  workItem(g.x + g.y * nwg.x * 64u, 0u);
}

// Never called (SHARE_X is false): the bodies name them in branches this file turns off.
fn shareX(m0: vec4f, m1: vec4f) -> Rows8 {
  return Rows8(mat4x4f(m0, m0, m0, m0), mat4x4f(m1, m1, m1, m1));
}
fn shareX1(v0: f32, v1: f32) -> array<vec4f, 2> {
  return array<vec4f, 2>(vec4f(v0), vec4f(v1));
}
fn share4(v: vec4f) -> mat4x4f {
  return mat4x4f(v, v, v, v);
}
fn laneSum(v: f32) -> f32 {
  return v;
}
