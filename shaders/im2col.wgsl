// im2col.wgsl: unrolls every conv window into a row, so convolution becomes
// one GEMM: col[M = n*oh*ow, K = kh*kw*cin] with
//   col[(b, oy, ox), (ky, kx, ci)] = x[b, oy*sh - padTop + ky*dh, ox*sw - padLeft + kx*dw, ci]
// and zero where that pixel falls in the padding. Column order (ky, kx, ci)
// matches the kernel layout [kh, kw, cin, cout], so the kernel is already the
// GEMM's B matrix [K, cout] with no copy.
// p: the uniforms declared with this shader in src/kernels/conv2d/webgpu.ts.

override WG: u32 = 256;
// c % 4 == 0: runs of c values start 16-byte aligned in x, so they load as vec4s.
// (col is written as floats: WebGPU forbids two writable views of one buffer.)
override VEC4: bool = false;

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> col: array<f32>;
@group(0) @binding(3) var<storage, read> x4: array<vec4f>;  // the same buffer as x, viewed as vec4

/** Copies the c values of x from `src` to col at `dst` (zeros when `inside` is false). */
fn copyRun(src: u32, dst: u32, inside: bool) {
  if (VEC4) {
    for (var q = 0u; q < p.c / 4u; q++) {
      let v = select(vec4f(0.0), x4[src / 4u + q], inside);
      let at = dst + 4u * q;
      col[at] = v.x; col[at + 1u] = v.y; col[at + 2u] = v.z; col[at + 3u] = v.w;
    }
    return;
  }
  for (var ci = 0u; ci < p.c; ci++) { col[dst + ci] = select(0.0, x[src + ci], inside); }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  // One invocation per (output pixel, kernel row): it writes the kw * c
  // contiguous values of col that row of the window covers. Integer division
  // is slow on SwiftShader, and per element it cost more than the copy itself;
  // here it is paid once per kw * c values. Neighbouring invocations still
  // write neighbouring runs of col.
  let i = g.x + g.y * nwg.x * WG;
  let run = p.kw * p.c;
  if (i >= p.total / run) { return; }
  let row = i / p.kh;
  let ky = i - row * p.kh;
  let rb = row / p.ow;
  let ox = row - rb * p.ow;
  let b = rb / p.oh;
  let oy = rb - b * p.oh;
  let iy = i32(oy * p.sh + ky * p.dh) - i32(p.padTop);
  let rowInside = iy >= 0 && iy < i32(p.h);
  var dst = i * run;
  for (var kx = 0u; kx < p.kw; kx++) {
    let ix = i32(ox * p.sw + kx * p.dw) - i32(p.padLeft);
    // TF 'same' and explicit padding: taps outside the image read zeros (from x[0], in bounds).
    let inside = rowInside && ix >= 0 && ix < i32(p.w);
    let src = select(0u, ((b * p.h + u32(iy)) * p.w + u32(ix)) * p.c, inside);
    copyRun(src, dst, inside);
    dst += p.c;
  }
}
