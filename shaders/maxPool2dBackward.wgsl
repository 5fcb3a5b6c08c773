// maxPool2dBackward.wgsl: dx[pixel] = sum of dy over the windows whose first
// maximum (row-major scan, strict >, as the forward and TensorFlow) is this
// pixel, as a gather: no two invocations write one element, no atomics. One
// invocation per input pixel and channel group (vec4s when c % 4 == 0); where
// windows are disjoint (PER_WINDOW) one per window, which finds its arg-max
// once and writes its whole cell (dy at the arg-max, 0 elsewhere). With MIN
// (the minPool2dBackward pipelines) the first minimum instead (strict <).
// p: the uniforms declared with this shader in src/kernels/pool2d/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl
//! include lib/firstMax.wgsl
override VEC4: bool = false;  // set only when c % 4 == 0
override PER_WINDOW: bool = false;  // set only when sh >= kh and sw >= kw
override MIN: bool = false;  // min pooling: route to the first minimum

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> dy4: array<vec4f>;  // the same buffer as dy, viewed as vec4
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> x4: array<vec4f>;   // the same buffer as x, viewed as vec4
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;

fn loadDy(at: u32) -> vec4f {
  if (VEC4) { return dy4[at / 4u]; }
  return vec4f(dy[at]);
}

fn storeDx(at: u32, v: vec4f) {
  dx[at] = v.x;
  if (VEC4) {
    dx[at + 1u] = v.y;
    dx[at + 2u] = v.z;
    dx[at + 3u] = v.w;
  }
}

/** Window `win` (b, oi, oj) and channel group at `ch`: writes its whole cell of dx. */
fn perWindow(win: u32, ch: u32) {
  let px = pixelOf(win, p.oh, p.ow);
  let b = px.x;
  let oi = px.y;
  let oj = px.z;
  let tap = firstMax(b, oi, oj, ch).tap;
  let d = loadDy(win * p.c + ch);
  // The window's first row and column (negative only in the first window with padding).
  let wi = i32(oi * p.sh) - i32(p.padTop);
  let wj = i32(oj * p.sw) - i32(p.padLeft);
  let i0 = select(u32(max(wi, 0)), 0u, oi == 0u);
  let i1 = select(u32(clamp(wi + i32(p.sh), 0, i32(p.h))), p.h, oi == p.oh - 1u);
  let j0 = select(u32(max(wj, 0)), 0u, oj == 0u);
  let j1 = select(u32(clamp(wj + i32(p.sw), 0, i32(p.w))), p.w, oj == p.ow - 1u);
  // The cell's elements of dx, stepped from its first (a row of the image is w * c on).
  let kh = i32(p.kh);
  let kw = i32(p.kw);
  var rowAt = ((b * p.h + i0) * p.w + j0) * p.c + ch;
  let rowStep = p.w * p.c;
  for (var i = i0; i < i1; i++) {
    let ki = i32(i) - wi;
    var at = rowAt;
    for (var j = j0; j < j1; j++) {
      let kj = i32(j) - wj;
      let inWindow = ki >= 0 && ki < kh && kj >= 0 && kj < kw;
      let hit = (tap == vec4u(u32(ki * kw + kj))) & vec4<bool>(inWindow);
      storeDx(at, select(vec4f(0.0), d, hit));
      at += p.c;
    }
    rowAt += rowStep;
  }
}

fn item(o: u32) {
  if (o >= p.total) { return; }
  let pc = pixelAndChannel(o);
  if (PER_WINDOW) {
    perWindow(pc.x, pc.y);
    return;
  }
  let pix = pc.x;
  let ch = pc.y;
  let px = pixelOf(pix, p.h, p.w);
  let b = px.x;
  let ip = i32(px.y + p.padTop);
  let jp = i32(px.z + p.padLeft);
  let ois = coveringOutputs(ip, p.kh, p.sh, p.oh);
  let ojs = coveringOutputs(jp, p.kw, p.sw, p.ow);
  var s = vec4f(0.0);
  for (var oi = ois.x; oi <= ois.y; oi++) {
    for (var oj = ojs.x; oj <= ojs.y; oj++) {
      // This pixel's tap in window (oi, oj).
      let own = u32(ip - oi * i32(p.sh)) * p.kw + u32(jp - oj * i32(p.sw));
      let hit = firstMax(b, u32(oi), u32(oj), ch).tap == vec4u(own);
      let d = loadDy(((b * p.oh + u32(oi)) * p.ow + u32(oj)) * p.c + ch);
      s += select(vec4f(0.0), d, hit);
    }
  }
  storeDx(pix * p.c + ch, s);
}
