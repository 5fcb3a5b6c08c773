// The two-stage column reduction over rows [rows, c] (batch norm's statistics
// and gradients, the bias gradient): STAGE 0 runs chunk(i, ch, first, end) per
// (chunk of CHUNK rows, column), neighbouring lanes on neighbouring columns of
// one row; STAGE 1 runs column(ch) per column to combine the chunks. Needs
// lib/invocation.wgsl and the uniforms rows, c and chunks.
override STAGE: u32 = 0;
const CHUNK = 64u;

fn item(i: u32) {
  if (STAGE == 0u) {
    if (i >= p.chunks * p.c) { return; }
    let k = i / p.c;
    chunk(i, i % p.c, k * CHUNK, min(p.rows, (k + 1u) * CHUNK));
    return;
  }
  if (i < p.c) { column(i); }
}
