// labelCheck.wgsl: how many of n sparse labels are not class indices, that
// is not an integer in [0, classes) (NaN and infinities are not); 0 when all
// are. fit reads this one number before training on labels a kernel made
// (src/train/labels.ts). One workgroup, as sum.wgsl: counts per invocation,
// then a tree reduction in workgroup memory.
// p: the uniforms declared with this shader in src/kernels/loss/webgpu.ts.

override WG: u32 = 256;

@group(0) @binding(1) var<storage, read> labels: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

var<workgroup> partial: array<u32, WG>;

// Judged on the bits: the compiler may assume floats are never NaN or infinite.
fn isFinite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

fn isClass(v: f32) -> bool {
  return isFinite(v) && v == floor(v) && v >= 0.0 && v < f32(p.classes);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) l: vec3u) {
  var bad = 0u;
  for (var i = l.x; i < p.n; i += WG) {
    if (!isClass(labels[i])) { bad += 1u; }
  }
  partial[l.x] = bad;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (l.x < stride) { partial[l.x] += partial[l.x + stride]; }
    workgroupBarrier();
  }
  if (l.x == 0u) { y[0] = f32(partial[0]); }
}
