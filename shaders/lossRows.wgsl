// lossRows.wgsl: the loss of each row (sample) of yPred [rows, k], TF.js's
// formulas; sum.wgsl then takes the batch mean. KIND (override):
//   0 categoricalCrossentropy: p normalized by its row sum, clipped to [eps, 1-eps], -sum t*log
//   1 sparseCategoricalCrossentropy: yTrue holds class indices; p clipped first, then as 0
//   2 binaryCrossentropy: through the logit of clip(p), sigmoid CE with logits, mean over k
//   3 meanSquaredError  4 meanAbsoluteError  5 meanAbsolutePercentageError
//   6 meanSquaredLogarithmicError: each the mean over k of its element term
// lossGrad.wgsl holds the matching gradients.
// p: the uniforms declared with this shader in src/kernels/loss/webgpu.ts.

//! include lib/invocation.wgsl
override KIND: u32 = 0;

const EPS: f32 = 1e-7;
const ONE_MINUS_EPS: f32 = 0.99999988079071044921875;  // f32(1 - 1e-7), as TF.js's clip bound

@group(0) @binding(1) var<storage, read> yTrue: array<f32>;
@group(0) @binding(2) var<storage, read> yPred: array<f32>;
@group(0) @binding(3) var<storage, read_write> rowLoss: array<f32>;

// Whether x is finite, judged on its bits: the WGSL compiler may assume floats are
// never NaN or infinite, so clamp() and max() can turn a NaN prediction into a
// finite loss; a row with one gets a NaN loss instead, as on the CPU, so that
// fit's NaN check (src/train/guard.ts) sees it.
fn isFinite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

fn rowIsFinite(r: u32) -> bool {
  for (var j = 0u; j < p.k; j++) {
    if (!isFinite(yPred[r * p.k + j])) { return false; }
    if (KIND != 1u && !isFinite(yTrue[r * p.k + j])) { return false; }
  }
  return KIND != 1u || isFinite(yTrue[r]);
}

// Class r's one-hot target (sparse) or the dense target.
fn labelAt(r: u32, j: u32) -> f32 {
  if (KIND == 1u) { return select(0.0, 1.0, i32(floor(yTrue[r])) == i32(j)); }
  return yTrue[r * p.k + j];
}

fn pred(r: u32, j: u32) -> f32 {
  let v = yPred[r * p.k + j];
  if (KIND == 1u) { return clamp(v, EPS, ONE_MINUS_EPS); }
  return v;
}

fn element(t: f32, v: f32) -> f32 {
  switch KIND {
    case 2u: {
      let c = clamp(v, EPS, ONE_MINUS_EPS);
      let z = log(c / (1.0 - c));
      return max(z, 0.0) - z * t + log(1.0 + exp(-abs(z)));
    }
    case 3u: { return (v - t) * (v - t); }
    case 4u: { return abs(v - t); }
    case 5u: { return 100.0 * abs((t - v) / max(abs(t), EPS)); }
    default: {
      let d = log(1.0 + max(v, EPS)) - log(1.0 + max(t, EPS));
      return d * d;
    }
  }
}

fn item(r: u32) {
  if (r >= p.rows) { return; }
  if (!rowIsFinite(r)) {
    // a quiet NaN; built from a uniform, since a constant NaN is a shader-creation error
    rowLoss[r] = bitcast<f32>(0x7fc00000u | (p.k & 0u));
    return;
  }
  var l = 0.0;
  if (KIND <= 1u) {
    var s = 0.0;
    for (var j = 0u; j < p.k; j++) { s += pred(r, j); }
    for (var j = 0u; j < p.k; j++) { l -= labelAt(r, j) * log(clamp(pred(r, j) / s, EPS, ONE_MINUS_EPS)); }
  } else {
    for (var j = 0u; j < p.k; j++) { l += element(yTrue[r * p.k + j], yPred[r * p.k + j]); }
    l /= f32(p.k);
  }
  rowLoss[r] = l;
}
