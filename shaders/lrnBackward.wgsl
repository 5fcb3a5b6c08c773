// lrnBackward.wgsl: dx of local response normalization, gathered per input
// element j (channel ch of a pixel starting at base). With N_i = bias + alpha *
// (the window sum of x^2 around channel i), and the windows symmetric:
//   dx[j] = dy[j] * N_j^-beta - 2 alpha beta x[j] * sum over i in j's window of dy[i] x[i] N_i^(-beta-1)
// p: the uniforms declared with this shader in src/kernels/lrn/webgpu.ts.

//! include lib/invocation.wgsl

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn lo(ch: u32) -> u32 { return select(0u, ch - p.radius, ch > p.radius); }
fn hi(ch: u32) -> u32 { return min(ch + p.radius, p.c - 1u); }

/** N of channel ch of the pixel starting at base. */
fn norm(base: u32, ch: u32) -> f32 {
  var s = 0.0;
  for (var k = lo(ch); k <= hi(ch); k++) {
    let v = x[base + k];
    s += v * v;
  }
  return p.bias + p.alpha * s;
}

fn item(j: u32) {
  if (j >= p.total) { return; }
  let ch = j % p.c;
  let base = j - ch;
  var acc = 0.0;
  for (var i = lo(ch); i <= hi(ch); i++) {
    acc += dy[base + i] * x[base + i] * pow(norm(base, i), -p.beta - 1.0);
  }
  dx[j] = dy[j] * pow(norm(base, ch), -p.beta) - 2.0 * p.alpha * p.beta * x[j] * acc;
}
