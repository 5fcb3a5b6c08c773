// activationBackward.wgsl: dx = dy * f'(x), written with whichever of x and
// y = f(x) gives the cheapest exact form (the CPU reference uses the same):
//   relu       dy where x > 0 (strict: x == 0 gets no gradient), else 0
//   relu6      dy where 0 < x <= 6, else 0 (TF.js)
//   leakyRelu  dy where x > 0, else alpha * dy
//   elu        dy where x > 0, else dy * (y + alpha)   (y + alpha = alpha * exp(x))
//   sigmoid    dy * y * (1 - y)
//   tanh       dy * (1 - y * y)
// KIND codes as in activation.wgsl.
// p: the uniforms declared with this shader in src/kernels/activation/webgpu.ts.

//! include lib/invocation.wgsl
override KIND: u32 = 0;

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

fn item(i: u32) {
  if (i >= p.n) { return; }
  // Both x and y are read for every kind so that the auto layout always has all bindings.
  let d = dy[i];
  let xv = x[i];
  let yv = y[i];
  var r = d;
  switch KIND {
    case 1u: { r = select(0.0, d, xv > 0.0); }
    case 2u: { r = select(p.alpha * d, d, xv > 0.0); }
    case 3u: { r = select(d * (yv + p.alpha), d, xv > 0.0); }
    case 4u: { r = d * yv * (1.0 - yv); }
    case 5u: { r = d * (1.0 - yv * yv); }
    case 6u: { r = select(0.0, d, xv > 0.0 && xv <= 6.0); }
    default: {}
  }
  dx[i] = r;
}
