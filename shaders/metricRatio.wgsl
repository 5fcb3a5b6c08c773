// metricRatio.wgsl: Keras's precision (RECALL = 0: TP / (TP + FP)) or recall
// (RECALL = 1: TP / (TP + FN)) of the whole batch, threshold 0.5: a prediction
// > 0.5 is positive, a label is positive when it is not 0 (Keras casts it to
// bool); 0 when the denominator is 0. One workgroup, as labelCheck.wgsl:
// counts per invocation, then a tree reduction in workgroup memory.
// p: the uniforms declared with this shader in src/kernels/loss/webgpu.ts.

override WG: u32 = 256;
override RECALL: u32 = 0;

@group(0) @binding(1) var<storage, read> yTrue: array<f32>;
@group(0) @binding(2) var<storage, read> yPred: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

var<workgroup> truePos: array<u32, WG>;
var<workgroup> otherPos: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) l: vec3u) {
  var tp = 0u;
  var other = 0u;
  for (var i = l.x; i < p.n; i += WG) {
    let predicted = yPred[i] > 0.5;
    // not 0 on the bits (-0 is 0, NaN is not): the compiler may assume no NaN
    let actual = (bitcast<u32>(yTrue[i]) & 0x7fffffffu) != 0u;
    if (predicted && actual) { tp += 1u; }
    else if (select(actual, predicted, RECALL == 0u)) { other += 1u; }
  }
  truePos[l.x] = tp;
  otherPos[l.x] = other;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (l.x < stride) {
      truePos[l.x] += truePos[l.x + stride];
      otherPos[l.x] += otherPos[l.x + stride];
    }
    workgroupBarrier();
  }
  if (l.x == 0u) {
    let t = f32(truePos[0]);
    let d = f32(truePos[0] + otherPos[0]);
    y[0] = select(0.0, t / d, truePos[0] + otherPos[0] > 0u);
  }
}
