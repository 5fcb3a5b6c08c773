// The CPU backend's fast GEMM: C[m,n] = op(A) . op(B), four rows of C at a
// time over a block of columns, so each value of B loaded feeds four
// multiply-adds and every inner loop walks contiguous memory (the reference
// loop in matmul.ts reads B down a column, a cache miss per term at 1024^3).
// Sums are kept in doubles per block of C, as the reference keeps them, and
// rounded to float32 once; test/cpu/matmul.test.ts holds the two together.

/** Columns of C per block: 4 rows of doubles (16 KiB) stay in L1 next to the streamed rows of B. */
const COLS = 512;

/** op(B) as a row-major [k, n] array: B itself, or B^T packed once (B stored [n, k]). */
function rowsOfB(b: Float32Array, k: number, n: number, transB: boolean): Float32Array {
  if (!transB) return b;
  const out = new Float32Array(k * n);
  for (let j = 0; j < n; j++) {
    const from = j * k;
    for (let p = 0; p < k; p++) out[p * n + j] = b[from + p];
  }
  return out;
}

export function gemmBlocked(
  a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean,
): Float32Array {
  const c = new Float32Array(m * n);
  const bRows = rowsOfB(b, k, n, transB);
  // A[i, p] = a[i * rowStep + p * kStep], whichever way A is stored.
  const rowStep = transA ? 1 : k;
  const kStep = transA ? m : 1;
  const acc = new Float64Array(4 * Math.min(COLS, n));
  for (let j0 = 0; j0 < n; j0 += COLS) {
    const cols = Math.min(COLS, n - j0);
    for (let i0 = 0; i0 < m; i0 += 4) {
      const rows = Math.min(4, m - i0);
      acc.fill(0);
      // Rows past m multiply by 0 and are never stored.
      const r0 = i0 * rowStep;
      const r1 = rows > 1 ? (i0 + 1) * rowStep : -1;
      const r2 = rows > 2 ? (i0 + 2) * rowStep : -1;
      const r3 = rows > 3 ? (i0 + 3) * rowStep : -1;
      for (let p = 0; p < k; p++) {
        const at = p * kStep;
        const a0 = a[r0 + at];
        const a1 = r1 < 0 ? 0 : a[r1 + at];
        const a2 = r2 < 0 ? 0 : a[r2 + at];
        const a3 = r3 < 0 ? 0 : a[r3 + at];
        const bAt = p * n + j0;
        for (let j = 0; j < cols; j++) {
          const bv = bRows[bAt + j];
          acc[j] += a0 * bv;
          acc[cols + j] += a1 * bv;
          acc[2 * cols + j] += a2 * bv;
          acc[3 * cols + j] += a3 * bv;
        }
      }
      for (let r = 0; r < rows; r++) {
        const to = (i0 + r) * n + j0;
        const from = r * cols;
        for (let j = 0; j < cols; j++) c[to + j] = acc[from + j];
      }
    }
  }
  return c;
}
