// Builds an IDX file in memory (big-endian header: 0, 0, type 8 = unsigned byte, rank; then the dims; then the bytes).
export function idxFile(rank: number, dims: readonly number[], body: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * rank + body.length);
  out.set([0, 0, 8, rank]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(body, 4 + 4 * rank);
  return out;
}
