// The wasm forward convolution two ways at the MNIST models' (and a few
// larger) layer shapes, in Node, one thread: im2col + the packed GEMM over
// chunks of rows (what conv2d ran before) against the direct kernel
// (src/backend/wasm/assembly/convDirect.ts), both with a bias and relu.
// Each figure: the best of 7 rounds of timed calls, after warm-up calls.
//
// node bench/wasmConv.mjs [--batch 64] [--big]     (--big: K up to 2304, where the GEMM wins)

import { createServer } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const batchAt = process.argv.indexOf('--batch');
const N = batchAt > 0 ? Number(process.argv[batchAt + 1]) : 64;
// [h = w, cin, cout, kernel, padding each side]
const SHAPES = process.argv.includes('--big')
  ? [[14, 128, 128, 3, 1], [7, 256, 256, 3, 1], [56, 64, 64, 3, 1]]
  : [[28, 1, 8, 5, 0], [12, 8, 16, 5, 0], [28, 1, 32, 3, 0], [26, 32, 32, 3, 0], [13, 32, 64, 3, 0], [28, 3, 16, 3, 1], [14, 16, 32, 3, 1]];

const server = await createServer({ root, logLevel: 'error', server: { hmr: false, watch: { ignored: ['**/*'] } }, optimizeDeps: { noDiscovery: true } });
try {
  const wc = await server.ssrLoadModule('/src/index.ts');
  const { backend } = await server.ssrLoadModule('/src/engine.ts');
  await wc.setBackend('wasm');
  const be = backend();
  const { heap, exports: ex } = be.ctx;
  console.log(`batch ${N}, relaxed SIMD: ${be.info().relaxedSimd}`);
  const time = (f, reps = 20) => {
    for (let i = 0; i < 5; i++) f();
    let best = Infinity;
    for (let r = 0; r < 7; r++) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) f();
      best = Math.min(best, (performance.now() - t0) / reps);
    }
    return best;
  };
  console.log('| layer | im2col + GEMM ms | direct ms | speed-up |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [h, c, cout, kk, pad] of SHAPES) {
    const oh = h - kk + 1 + 2 * pad, rows = N * oh * oh, k = kk * kk * c;
    const x = heap.alloc(4 * N * h * h * c), w = heap.alloc(4 * k * cout), y = heap.alloc(4 * rows * cout), bias = heap.alloc(4 * cout);
    // conv2d's chunking (src/kernels/conv2d/wasm.ts): 1 MiB of columns per chunk
    const size = Math.min(rows, Math.max(16, Math.floor((1 << 20) / (4 * k) / 16) * 16));
    const cols = heap.alloc(4 * size * k);
    const scratch = heap.alloc(ex.gemmScratchBytes(size, cout, k));
    const packed = heap.alloc(ex.convPackedBytes(k, cout));
    const f = heap.f32();
    for (let i = 0; i < f.length; i++) f[i] = Math.sin(i) * 0.5;
    const viaGemm = () => {
      for (let r0 = 0; r0 < rows; r0 += size) {
        const n = Math.min(size, rows - r0);
        ex.im2col(x, cols, h, h, c, kk, kk, 1, 1, 1, 1, pad, pad, oh, oh, r0, n);
        ex.gemm(cols, w, y + 4 * r0 * cout, n, cout, k, k, 1, cout, 1, bias, 1, false, scratch);
      }
    };
    const direct = () => {
      ex.convPackWeights(w, bias, k, cout, packed);
      ex.conv2dDirect(x, packed, y, h, h, c, kk, kk, 1, 1, 1, 1, pad, pad, oh, oh, cout, 1, 0, rows);
    };
    const tG = time(viaGemm);
    const tD = time(direct);
    const gf = (t) => (2 * rows * cout * k / t / 1e6).toFixed(1);
    console.log(`| ${h}x${h}x${c} -> ${cout} ${kk}x${kk} pad ${pad} | ${tG.toFixed(3)} (${gf(tG)} GFLOP/s) | ${tD.toFixed(3)} (${gf(tD)} GFLOP/s) | ${(tG / tD).toFixed(2)}x |`);
    for (const p of [x, w, y, bias, cols, scratch, packed]) heap.release(p);
  }
} finally {
  await server.close();
}
