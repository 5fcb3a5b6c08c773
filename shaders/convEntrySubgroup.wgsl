// convEntrySubgroup.wgsl: the entry point of the direct conv kernels (put in
// front of one) where the 4 lanes of a subgroup share their gathers of x: only
// for subgroups of exactly 4 and cout % 32 == 0 (choose.ts checks both), so the
// lanes are 4 channel octets of the same pixels. The body defines workItem; the
// work item comes from subgroup_id, however the device groups invocations.

enable subgroups;
// Every lane reaches every broadcast: the bodies return early only for a whole
// subgroup, and their loops run to bounds every lane of a subgroup shares.
diagnostic(off, subgroup_uniformity);

const SHARE_X = true;

/** 8 pixels' values of 4 taps, as the columns of two matrices: pixels 0..3 and 4..7. */
struct Rows8 { lo: mat4x4f, hi: mat4x4f }

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(subgroup_id) sg: u32, @builtin(subgroup_invocation_id) lane: u32) {
  workItem((wg.x + wg.y * nwg.x) * 64u + sg * 4u + lane, lane);
}

/** Lane j gathered pixel j (m0) and pixel 4 + j (m1) of the block; every lane gets all 8. */
fn shareX(m0: vec4f, m1: vec4f) -> Rows8 {
  return Rows8(share4(m0), share4(m1));
}

/** One tap: lane j's values of pixels j and 4 + j; every lane gets all 8 (pixels 0..3, 4..7). */
fn shareX1(v0: f32, v1: f32) -> array<vec4f, 2> {
  return array<vec4f, 2>(
    vec4f(subgroupBroadcast(v0, 0u), subgroupBroadcast(v0, 1u), subgroupBroadcast(v0, 2u), subgroupBroadcast(v0, 3u)),
    vec4f(subgroupBroadcast(v1, 0u), subgroupBroadcast(v1, 1u), subgroupBroadcast(v1, 2u), subgroupBroadcast(v1, 3u)));
}

/** Lane j's v as column j, in every lane. */
fn share4(v: vec4f) -> mat4x4f {
  return mat4x4f(subgroupBroadcast(v, 0u), subgroupBroadcast(v, 1u), subgroupBroadcast(v, 2u), subgroupBroadcast(v, 3u));
}

/** The sum of v over the subgroup's 4 lanes, in every lane. */
fn laneSum(v: f32) -> f32 {
  return subgroupAdd(v);
}
