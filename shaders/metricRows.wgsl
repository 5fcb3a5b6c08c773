// metricRows.wgsl: each row's metric value; sum.wgsl then takes the batch mean.
// KIND: 0 categoricalAccuracy (argmax equal; the first maximum wins a tie, as
// tf.argMax)  1 sparseCategoricalAccuracy (label == argmax(pred))
// 2 binaryAccuracy (pred > 0.5 equals the label, mean over k)
// 3 meanSquaredError  4 meanAbsoluteError (mean over k).
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
    default: {
      for (var j = 0u; j < p.k; j++) { v += abs(yPred[o + j] - yTrue[o + j]); }
      v /= f32(p.k);
    }
  }
  rowValue[r] = v;
}
