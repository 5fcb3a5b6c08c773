// locallyConnected2dBackwardInput.wgsl: dx[b,i,j,ci] = sum over the positions
// whose window covers (i, j), with ki = i - oi*sh and kj = j - oj*sw, of
// sum_co dy[b,oi,oj,co] * w[pos, (ki*kw + kj)*cin + ci, co]. A gather per input
// element: no atomics.
// p: the uniforms declared with this shader in src/kernels/locallyConnected2d/webgpu.ts.

//! include lib/invocation.wgsl
//! include lib/window.wgsl

@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> kernel: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn item(idx: u32) {
  if (idx >= p.total) { return; }
  let ci = idx % p.c;
  let px = pixelOf(idx / p.c, p.h, p.w);
  let b = px.x;
  let i = px.y;
  let j = px.z;
  let k = p.kh * p.kw * p.c;
  let ois = coveringOutputs(i32(i), p.kh, p.sh, p.oh);
  let ojs = coveringOutputs(i32(j), p.kw, p.sw, p.ow);
  var s = 0.0;
  for (var oi = ois.x; oi <= ois.y; oi++) {
    for (var oj = ojs.x; oj <= ojs.y; oj++) {
      let pos = u32(oi) * p.ow + u32(oj);
      let t = ((i - u32(oi) * p.sh) * p.kw + (j - u32(oj) * p.sw)) * p.c + ci;
      let d = ((b * p.oh + u32(oi)) * p.ow + u32(oj)) * p.cout;
      for (var co = 0u; co < p.cout; co++) {
        s += dy[d + co] * kernel[(pos * k + t) * p.cout + co];
      }
    }
  }
  dx[idx] = s;
}
