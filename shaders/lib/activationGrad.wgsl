// dy * f'(x) for the activation KIND (codes as in activation.wgsl), written
// with whichever of x and y = f(x) gives the cheapest exact form (the CPU
// reference uses the same):
//   relu       dy where x > 0 (strict: x == 0 gets no gradient), else 0
//   relu6      dy where 0 < x <= 6, else 0 (TF.js)
//   leakyRelu  dy where x > 0, else alpha * dy
//   elu        dy where x > 0, else dy * (y + alpha)   (y + alpha = alpha * exp(x))
//   sigmoid    dy * y * (1 - y)
//   tanh       dy * (1 - y * y)
// Written over the element type T (src/kernels/lanes.ts). Needs the uniform alpha.
override KIND: u32 = 0;

fn activationGrad(d: T, xv: T, yv: T) -> T {
  var r = d;
  switch KIND {
    case 1u: { r = select(T(0.0), d, xv > T(0.0)); }
    case 2u: { r = select(p.alpha * d, d, xv > T(0.0)); }
    case 3u: { r = select(d * (yv + p.alpha), d, xv > T(0.0)); }
    case 4u: { r = d * yv * (1.0 - yv); }
    case 5u: { r = d * (1.0 - yv * yv); }
    case 6u: { r = select(T(0.0), d, (xv > T(0.0)) & (xv <= T(6.0))); }
    default: {}
  }
  return r;
}
