// conv2dDirectEntry.wgsl: the entry point of conv2dDirect.wgsl (put in front
// of it) where every invocation gathers its own pixels: any adapter.

const SHARE_X = false;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  directItem(g.x + g.y * nwg.x * 64u, 0u);
}

/** Never called (SHARE_X is false): conv2dDirect.wgsl names them in branches this file turns off. */
fn shareX(m0: vec4f, m1: vec4f) -> Rows8 {
  return Rows8(mat4x4f(m0, m0, m0, m0), mat4x4f(m1, m1, m1, m1));
}
fn shareX1(v0: f32, v1: f32) -> array<vec4f, 2> {
  return array<vec4f, 2>(vec4f(v0), vec4f(v1));
}
