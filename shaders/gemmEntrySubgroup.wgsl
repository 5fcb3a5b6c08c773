// gemmEntrySubgroup.wgsl: the entry point of gemm.wgsl (put in front of it)
// where the 4 lanes of a subgroup share their loads of A: only for subgroups of
// exactly 4 and workgroups WG_X wide with WG_X % 4 == 0 (matmul's webgpu.ts
// checks both). The grid position comes from subgroup_id, so a subgroup's lanes
// are 4 consecutive column blocks of one row block however lanes are grouped.

enable subgroups;
// Every lane reaches every broadcast: gemm.wgsl returns early only for a whole
// subgroup (its test reads lane 0's column), and its loops run to bounds the
// whole workgroup shares.
diagnostic(off, subgroup_uniformity);

const SHARE_A = true;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(subgroup_id) sg: u32, @builtin(subgroup_invocation_id) lane: u32) {
  let flat = sg * 4u + lane;
  gemmBlock(vec3u(wg.x * WG_X + flat % WG_X, wg.y * WG_Y + flat / WG_X, wg.z), lane);
}

/** Lane j loaded m0 = item j and m1 = item 4 + j of 8; every lane gets all 8. */
fn shareRows(m0: vec4f, m1: vec4f) -> Rows8 {
  return Rows8(
    mat4x4f(subgroupBroadcast(m0, 0u), subgroupBroadcast(m0, 1u), subgroupBroadcast(m0, 2u), subgroupBroadcast(m0, 3u)),
    mat4x4f(subgroupBroadcast(m1, 0u), subgroupBroadcast(m1, 1u), subgroupBroadcast(m1, 2u), subgroupBroadcast(m1, 3u)));
}
