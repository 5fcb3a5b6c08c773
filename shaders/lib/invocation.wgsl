// The entry point of a kernel with one invocation per item: WG invocations a
// workgroup, the grid folded into 2-D past 65,535 workgroups (the scheduler's
// grid()). The including shader defines fn item(i: u32) and drops i past its count.
override WG: u32 = 256;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  item(g.x + g.y * nwg.x * WG);
}
