// lossGrad.wgsl: d(batch-mean loss)/d yPred for yPred [rows, k], one
// invocation per row, the exact gradient of lossRows.wgsl's formulas (KIND as
// there), zero where a clip is active; abs'(0) = -1 as TF.js's Abs gradient.
// KIND 7 and 8: the fused softmax + cross-entropy gradient with respect to the
// softmax input, from its output probs (dense / sparse labels):
//   dz = (probs * sum(t) - t) / rows: no division by a probability.
// p: the uniforms declared with this shader in src/kernels/loss/webgpu.ts.

//! include lib/invocation.wgsl
override KIND: u32 = 0;

const EPS: f32 = 1e-7;
const ONE_MINUS_EPS: f32 = 0.99999988079071044921875;

@group(0) @binding(1) var<storage, read> yTrue: array<f32>;
@group(0) @binding(2) var<storage, read> yPred: array<f32>;
@group(0) @binding(3) var<storage, read_write> dPred: array<f32>;

fn sparse() -> bool { return KIND == 1u || KIND == 8u; }

fn labelAt(r: u32, j: u32) -> f32 {
  if (sparse()) { return select(0.0, 1.0, i32(floor(yTrue[r])) == i32(j)); }
  return yTrue[r * p.k + j];
}

fn inside(v: f32, lo: f32, hi: f32) -> f32 { return select(0.0, 1.0, v >= lo && v <= hi); }
fn absGrad(v: f32) -> f32 { return select(-1.0, 1.0, v > 0.0); }

fn elementGrad(t: f32, v: f32) -> f32 {
  switch KIND {
    case 2u: {
      let c = clamp(v, EPS, ONE_MINUS_EPS);
      return inside(v, EPS, ONE_MINUS_EPS) * (c - t) / (c * (1.0 - c));
    }
    case 3u: { return 2.0 * (v - t); }
    case 4u: { return absGrad(v - t); }
    case 5u: {
      let ct = max(abs(t), EPS);
      return -100.0 * absGrad((t - v) / ct) / ct;
    }
    default: {
      let cp = max(v, EPS);
      let d = log(1.0 + cp) - log(1.0 + max(t, EPS));
      return 2.0 * d * select(0.0, 1.0, v >= EPS) / (1.0 + cp);
    }
  }
}

fn item(r: u32) {
  if (r >= p.rows) { return; }
  let o = r * p.k;
  let rows = f32(p.rows);
  if (KIND >= 7u) {
    var st = 0.0;
    for (var j = 0u; j < p.k; j++) { st += labelAt(r, j); }
    for (var j = 0u; j < p.k; j++) { dPred[o + j] = (yPred[o + j] * st - labelAt(r, j)) / rows; }
    return;
  }
  if (KIND <= 1u) {
    // q = p / s (p clipped first when sparse); g_j = -t_j / clip(q_j) where unclipped;
    // dL/dp_j = (g_j - sum_i g_i q_i) / s: the second term is the path through s.
    var s = 0.0;
    for (var j = 0u; j < p.k; j++) {
      var v = yPred[o + j];
      if (KIND == 1u) { v = clamp(v, EPS, ONE_MINUS_EPS); }
      s += v;
    }
    var gq = 0.0;
    for (var j = 0u; j < p.k; j++) {
      var v = yPred[o + j];
      if (KIND == 1u) { v = clamp(v, EPS, ONE_MINUS_EPS); }
      let q = v / s;
      let gj = inside(q, EPS, ONE_MINUS_EPS) * (-labelAt(r, j) / clamp(q, EPS, ONE_MINUS_EPS));
      dPred[o + j] = gj;
      gq += gj * q;
    }
    for (var j = 0u; j < p.k; j++) {
      var d = (dPred[o + j] - gq) / (s * rows);
      if (KIND == 1u) { d *= inside(yPred[o + j], EPS, ONE_MINUS_EPS); }
      dPred[o + j] = d;
    }
    return;
  }
  for (var j = 0u; j < p.k; j++) {
    dPred[o + j] = elementGrad(yTrue[o + j], yPred[o + j]) / (f32(p.k) * rows);
  }
}
