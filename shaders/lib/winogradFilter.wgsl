// What both Winograd filter transforms (winogradFilter.wgsl, winograd4Filter.wgsl)
// read and write: a kernel tap for 4 output channels, read rotated with its
// channels swapped when p.flip is 1 (dx); and element e of its transform into u.
// The includer declares w, u and p (cin, cout, flip, rows4, groups).

/** Tap (ky, kx) of the kernels from input channel i to output channels j0..j0+3 (zeros past cin and cout). */
fn tap(ky: u32, kx: u32, i: u32, j0: u32) -> vec4f {
  var out = vec4f(0.0);
  if (i >= p.cin) { return out; }
  for (var t = 0u; t < 4u; t++) {
    let j = j0 + t;
    if (j >= p.cout) { continue; }
    if (p.flip != 0u) {
      out[t] = w[(((2u - ky) * 3u + 2u - kx) * p.cout + j) * p.cin + i];
    } else {
      out[t] = w[((ky * 3u + kx) * p.cin + i) * p.cout + j];
    }
  }
  return out;
}

fn put(e: u32, i: u32, j0: u32, value: vec4f) {
  u[(e * p.rows4 + i) * p.groups + j0 / 4u] = value;
}
