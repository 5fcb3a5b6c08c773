// metricRows.wgsl: each row's metric value; sum.wgsl then takes the batch mean.
// KIND: 0 categoricalAccuracy (argmax equal; the first maximum wins a tie, as
// tf.argMax)  1 sparseCategoricalAccuracy (label == argmax(pred))
// 2 binaryAccuracy (pred > 0.5 equals the label, mean over k)
// 3 meanSquaredError  4 meanAbsoluteError (mean over k)
// 5 topKCategoricalAccuracy (argmax of the label in the top p.top, as
// tf.math.in_top_k)  6 sparseTopKCategoricalAccuracy (the label truncated to
// an integer, in the top p.top). precision and recall: metricRatio.wgsl.
// p: the uniforms declared with this shader in src/kernels/loss/webgpu.ts.

//! include lib/invocation.wgsl
override KIND: u32 = 0;

@group(0) @binding(1) var<storage, read> yTrue: array<f32>;
@group(0) @binding(2) var<storage, read> yPred: array<f32>;
@group(0) @binding(3) var<storage, read_write> rowValue: array<f32>;

fn argmaxTrue(o: u32) -> u32 {
  var best = 0u;
  for (var j = 1u; j < p.k; j++) { if (yTrue[o + j] > yTrue[o + best]) { best = j; } }
  return best;
}

fn argmaxPred(o: u32) -> u32 {
  var best = 0u;
  for (var j = 1u; j < p.k; j++) { if (yPred[o + j] > yPred[o + best]) { best = j; } }
  return best;
}

// Judged on the bits: the compiler may assume floats are never NaN or infinite.
fn isFinite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

// tf.math.in_top_k: fewer than p.top classes score strictly higher than the
// target (ties at the boundary are in); never when a score in the row is NaN
// or infinite.
fn inTopK(o: u32, c: u32) -> bool {
  let v = yPred[o + c];
  if (!isFinite(v)) { return false; }
  var higher = 0u;
  for (var j = 0u; j < p.k; j++) {
    let q = yPred[o + j];
    if (!isFinite(q)) { return false; }
    if (q > v) { higher += 1u; }
  }
  return higher < p.top;
}

// A sparse label as Keras casts it (truncation), when that is a class of the row.
fn sparseTarget(label: f32) -> i32 {
  if (!isFinite(label) || label <= -1.0 || label >= f32(p.k)) { return -1; }
  return i32(trunc(label));
}

fn item(r: u32) {
  if (r >= p.rows) { return; }
  let o = r * p.k;
  var v = 0.0;
  switch KIND {
    case 0u: { v = select(0.0, 1.0, argmaxTrue(o) == argmaxPred(o)); }
    case 1u: { v = select(0.0, 1.0, yTrue[r] == f32(argmaxPred(o))); }
    case 2u: {
      for (var j = 0u; j < p.k; j++) { v += select(0.0, 1.0, yTrue[o + j] == select(0.0, 1.0, yPred[o + j] > 0.5)); }
      v /= f32(p.k);
    }
    case 3u: {
      for (var j = 0u; j < p.k; j++) { let d = yPred[o + j] - yTrue[o + j]; v += d * d; }
      v /= f32(p.k);
    }
    case 5u: { v = select(0.0, 1.0, inTopK(o, argmaxTrue(o))); }
    case 6u: {
      let c = sparseTarget(yTrue[r]);
      v = select(0.0, 1.0, c >= 0 && inTopK(o, u32(c)));
    }
    default: {
      for (var j = 0u; j < p.k; j++) { v += abs(yPred[o + j] - yTrue[o + j]); }
      v /= f32(p.k);
    }
  }
  rowValue[r] = v;
}
