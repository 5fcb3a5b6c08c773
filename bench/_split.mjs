import { createServer } from 'vite';
const root = '/work/wt-i23-speed/';
const server = await createServer({ root, logLevel: 'error', server: { hmr: false, watch: { ignored: ['**/*'] } }, optimizeDeps: { noDiscovery: true } });
const wc = await server.ssrLoadModule('/src/index.ts');
const { backend } = await server.ssrLoadModule('/src/engine.ts');
await wc.setBackend('wasm');
const be = backend(); const ctx = be.ctx; const ex = ctx.exports;
console.log('relaxed', be.info().relaxedSimd);
const time = (f, reps = 50) => { for (let i = 0; i < 5; i++) f(); let best = Infinity; for (let r = 0; r < 7; r++) { const t0 = performance.now(); for (let i = 0; i < reps; i++) f(); best = Math.min(best, (performance.now() - t0) / reps); } return best; };
const N = Number(process.env.N ?? 64);
for (const [h, c, cout, kk, pad] of process.env.BIG ? [[14, 128, 128, 3, 1], [7, 256, 256, 3, 1], [56, 64, 64, 3, 1]] : [[28, 1, 8, 5, 0], [12, 8, 16, 5, 0], [28, 1, 32, 3, 0], [26, 32, 32, 3, 0], [13, 32, 64, 3, 0], [28, 3, 16, 3, 1], [14, 16, 32, 3, 1]]) {
  const oh = h - kk + 1 + 2 * pad, rows = N * oh * oh, k = kk * kk * c;
  const x = ctx.heap.alloc(4 * N * h * h * c), w = ctx.heap.alloc(4 * k * cout), y = ctx.heap.alloc(4 * rows * cout), bias = ctx.heap.alloc(4 * cout);
  const size = Math.min(rows, Math.max(16, Math.floor((1 << 20) / (4 * k) / 16) * 16));
  const cols = ctx.heap.alloc(4 * size * k);
  const scr = ctx.heap.alloc(ex.gemmScratchBytes(size, cout, k));
  const packed = ctx.heap.alloc(ex.convPackedBytes(k, cout));
  const f = ctx.f32(); for (let i = 0; i < f.length; i++) f[i] = Math.random();
  const viaGemm = () => { for (let r0 = 0; r0 < rows; r0 += size) { const n = Math.min(size, rows - r0); ex.im2col(x, cols, h, h, c, kk, kk, 1, 1, 1, 1, pad, pad, oh, oh, r0, n); ex.gemm(cols, w, y + 4 * r0 * cout, n, cout, k, k, 1, cout, 1, bias, 1, false, scr); } };
  const direct = () => { ex.convPackWeights(w, bias, k, cout, packed); ex.conv2dDirect(x, packed, y, h, h, c, kk, kk, 1, 1, 1, 1, pad, pad, oh, oh, cout, 1, 0, rows); };
  const tG = time(viaGemm), tD = time(direct);
  const gf = (t) => (2 * rows * cout * k / t / 1e6).toFixed(1);
  console.log(`h${h} c${c} cout${cout} k${kk} pad${pad}: im2col+gemm ${tG.toFixed(3)} ms (${gf(tG)} GF/s), direct ${tD.toFixed(3)} ms (${gf(tD)} GF/s), ${(tG / tD).toFixed(2)}x`);
}
await server.close();
