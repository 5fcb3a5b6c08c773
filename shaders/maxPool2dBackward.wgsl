// maxPool2dBackward.wgsl: dx[pixel] = sum of dy over the windows whose first
// maximum (row-major scan, strict >, as the forward and TensorFlow) is this
// pixel. Written as a gather: one invocation per input element recomputes the
// arg-max of each window covering it, so no two invocations write one element
// and no atomics are needed.

struct Params {
  n: u32, h: u32, w: u32, c: u32,
  oh: u32, ow: u32, kh: u32, kw: u32,
  sh: u32, sw: u32, padTop: u32, padLeft: u32,
  total: u32,  // n * h * w * c
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

// Flat index into x of the first maximum of window (b, oi, oj) for channel ch.
fn argmax(b: u32, oi: u32, oj: u32, ch: u32) -> u32 {
  var best = 0.0;
  var at = 0xffffffffu;
  for (var ki = 0u; ki < p.kh; ki++) {
    let i = i32(oi * p.sh + ki) - i32(p.padTop);
    if (i < 0 || i >= i32(p.h)) { continue; }
    for (var kj = 0u; kj < p.kw; kj++) {
      let j = i32(oj * p.sw + kj) - i32(p.padLeft);
      if (j < 0 || j >= i32(p.w)) { continue; }
      let idx = ((b * p.h + u32(i)) * p.w + u32(j)) * p.c + ch;
      let v = x[idx];
      if (at == 0xffffffffu || v > best) { best = v; at = idx; }
    }
  }
  return at;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = g.x + g.y * nwg.x * WG;
  if (idx >= p.total) { return; }
  let ch = idx % p.c;
  let j = (idx / p.c) % p.w;
  let i = (idx / (p.c * p.w)) % p.h;
  let b = idx / (p.c * p.w * p.h);
  // Windows covering row i: oi*sh - padTop <= i < oi*sh - padTop + kh.
  let ip = i32(i + p.padTop);
  let jp = i32(j + p.padLeft);
  let oi0 = max((ip - i32(p.kh) + i32(p.sh)) / i32(p.sh), 0);
  let oi1 = min(ip / i32(p.sh), i32(p.oh) - 1);
  let oj0 = max((jp - i32(p.kw) + i32(p.sw)) / i32(p.sw), 0);
  let oj1 = min(jp / i32(p.sw), i32(p.ow) - 1);
  var s = 0.0;
  for (var oi = oi0; oi <= oi1; oi++) {
    for (var oj = oj0; oj <= oj1; oj++) {
      if (argmax(b, u32(oi), u32(oj), ch) == idx) {
        s += dy[((b * p.oh + u32(oi)) * p.ow + u32(oj)) * p.c + ch];
      }
    }
  }
  dx[idx] = s;
}
