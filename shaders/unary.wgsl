// unary.wgsl: y = f(x) element-wise. OP picks f at pipeline creation (an
// override: one specialised pipeline per op, no branch per element); the codes
// are UNARY_OPS in src/kernels/elementwise/codes.ts, in order. alpha and beta
// are the op's scalar parameters (leakyRelu's slope, clip's bounds, ...).
// Edge values are spelled out where WGSL leaves them undefined (log or sqrt
// of 0 or of a negative, pow of a negative base), to give what TF.js gives.
// p: the uniforms declared with this shader in src/kernels/elementwise/webgpu.ts.

//! include lib/invocation.wgsl
override OP: u32 = 0;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const SELU_SCALE: f32 = 1.0507009873554805;
const SELU_SCALEALPHA: f32 = 1.7580993408473769;
// log(float32 epsilon) + 2: past it softplus(v) is v, below its negative exp(v).
const SOFTPLUS_THRESHOLD: f32 = -13.942385152878742;

//! include lib/special.wgsl

fn logOf(v: f32) -> f32 {
  if (v == 0.0) { return -inf(); }
  if (v < 0.0 || isNan(v)) { return nan(); }
  return log(v);
}

fn sqrtOf(v: f32) -> f32 {
  if (v < 0.0 || isNan(v)) { return nan(); }
  return sqrt(v);
}

// log(1 + v) without losing v's digits when |v| is small: the rounding of
// 1 + v is undone by the ratio v / (u - 1).
fn log1pOf(v: f32) -> f32 {
  let u = 1.0 + v;
  if (u == 1.0) { return v; }
  if (u == inf()) { return u; }
  return logOf(u) * (v / (u - 1.0));
}

// JavaScript's Math.pow: a negative base gives a real result only for an integer exponent.
fn powOf(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isNan(a) || isNan(b)) { return nan(); }
  if (a == 0.0) { return select(inf(), 0.0, b > 0.0); }
  let m = exp2(b * log2(abs(a)));
  if (a > 0.0) { return m; }
  if (b != floor(b)) { return nan(); }
  let odd = b - 2.0 * floor(b * 0.5) == 1.0;
  return select(m, -m, odd);
}

fn sigmoidOf(v: f32) -> f32 {
  // exp(-v) overflows past |v| ~ 88; clamping keeps the result exact in f32.
  return 1.0 / (1.0 + exp(-clamp(v, -88.0, 88.0)));
}

fn f(v: f32) -> f32 {
  switch OP {
    case 0u: { return -v; }
    case 1u: { return abs(v); }
    case 2u: { return exp(v); }
    case 3u: { return logOf(v); }
    case 4u: { return select(log1pOf(v), select(nan(), -inf(), v == -1.0), v <= -1.0); }
    case 5u: { return sqrtOf(v); }
    case 6u: { return select(1.0 / sqrtOf(v), inf(), v == 0.0); }
    case 7u: { return v * v; }
    case 8u: { return select(1.0 / v, inf(), v == 0.0); }
    case 9u: { return select(select(0.0, 1.0, v > 0.0), -1.0, v < 0.0); }
    case 10u: { return select(max(v, 0.0), v, isNan(v)); }
    case 11u: { return select(clamp(v, 0.0, 6.0), v, isNan(v)); }
    case 12u: { return sigmoidOf(v); }
    // Some drivers compute tanh through exp and return NaN for large |v|; tanh(+-10) is +-1 in f32.
    case 13u: { return tanh(clamp(v, -10.0, 10.0)); }
    case 14u: {
      if (v < SOFTPLUS_THRESHOLD) { return exp(v); }
      if (v > -SOFTPLUS_THRESHOLD) { return v; }
      return log1pOf(exp(v));
    }
    case 15u: { return select(exp(v) - 1.0, v, v >= 0.0); }
    case 16u: { return select(SELU_SCALEALPHA * (exp(v) - 1.0), SELU_SCALE * v, v >= 0.0); }
    case 17u: { return select(v, p.alpha * v, v < 0.0); }
    case 18u: { return select(select(v, p.alpha, v < p.alpha), p.beta, v > p.beta); }
    case 19u: { return select(select(p.alpha, 1.0, v > 0.0), v, isNan(v)); }
    case 20u: { return p.alpha * v + p.beta; }
    case 21u: { return p.alpha; }
    case 22u: { return powOf(v, p.alpha); }
    case 23u: { return select(0.0, log(v), v > 0.0); }
    case 24u: { return select(0.0, 1.0, v > 0.0 && v <= 6.0); }
    case 25u: { return select(0.0, 1.0, v >= p.alpha && v <= p.beta); }
    case 26u: { return v * (1.0 - v); }
    case 27u: { return 1.0 - v * v; }
    case 28u: { return select(v + 1.0, 1.0, v >= 0.0); }
    case 29u: { return select(SELU_SCALEALPHA * exp(v), SELU_SCALE, v > 0.0); }
    case 30u: { return select(v, 0.0, v > 0.0); }
    default: { return v; }
  }
}

fn item(i: u32) {
  if (i >= p.n) { return; }
  y[i] = f(x[i]);
}
