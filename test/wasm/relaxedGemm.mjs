// Run by test/wasm/relaxed.test.ts as `node --experimental-wasm-relaxed-simd`:
// Node 20 validates relaxed SIMD only with that flag, so the relaxed build's
// GEMM is checked here, against a float64 reference, on the shapes of the
// plain build's parity tests. Prints one JSON line.

import { readFileSync } from 'node:fs';

const source = readFileSync(new URL('../../src/backend/wasm/module.generated.ts', import.meta.url), 'utf8');
const bytes = Buffer.from(/WASM_RELAXED_BASE64 =\s*'([^']+)'/.exec(source)[1], 'base64');
const validated = WebAssembly.validate(bytes);
const memory = new WebAssembly.Memory({ initial: 256 });
const { instance } = await WebAssembly.instantiate(bytes, { env: { memory, abort() { throw new Error('abort'); } } });
const ex = instance.exports;
let top = (ex.heapBase() + 63) & ~63;
const alloc = (n) => { const p = top; top += Math.ceil(n / 64) * 64 + 64; return p; };

const failures = [];
let compared = 0;
const shapes = [[1, 1, 1], [3, 5, 7], [4, 8, 256], [13, 17, 300], [133, 9, 513], [129, 33, 257]];
for (const [m, n, k] of shapes) {
  for (const [tA, tB, act, withBias] of [[false, false, 0, false], [true, false, 1, true], [false, true, 2, true], [true, true, 0, false]]) {
    const a = alloc(4 * m * k), b = alloc(4 * k * n), c = alloc(4 * m * n), bias = alloc(4 * n), s = alloc(ex.gemmScratchBytes(m, n, k));
    const f = new Float32Array(memory.buffer);
    for (let i = 0; i < m * k; i++) f[(a >> 2) + i] = Math.sin(i * 1.3) * 2;
    for (let i = 0; i < k * n; i++) f[(b >> 2) + i] = Math.cos(i * 0.7) * 2;
    for (let j = 0; j < n; j++) f[(bias >> 2) + j] = j * 0.5 - 2;
    f.fill(NaN, c >> 2, (c >> 2) + m * n);
    const [aRow, aCol] = tA ? [1, m] : [k, 1];
    const [bRow, bCol] = tB ? [1, k] : [n, 1];
    ex.gemm(a, b, c, m, n, k, aRow, aCol, bRow, bCol, withBias ? bias : 0, act, 0, s);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let want = withBias ? f[(bias >> 2) + j] : 0;
      for (let p = 0; p < k; p++) want += f[(a >> 2) + i * aRow + p * aCol] * f[(b >> 2) + p * bRow + j * bCol];
      if (act === 1) want = Math.max(want, 0);
      if (act === 2) want = Math.min(Math.max(want, 0), 6);
      const got = f[(c >> 2) + i * n + j];
      compared++;
      if (!(Math.abs(got - want) <= 1e-4 + 1e-3 * Math.abs(want))) failures.push(`${m}x${n}x${k} tA=${tA} tB=${tB} act=${act}: c[${i},${j}] = ${got}, expected ${want}`);
    }
  }
}
console.log(JSON.stringify({ validated, compared, failures: failures.slice(0, 5) }));
