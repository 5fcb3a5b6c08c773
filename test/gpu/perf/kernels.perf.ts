// Kernel timings on the suite's WebGPU adapter: GEMM (register-blocked against
// the naive oracle) and conv2d forward/backward at MNIST-like sizes. Not part
// of `npm test`; run it with
//   WEBCNN_PERF=1 npx vitest run --project perf
// Each number is the mean of REPS runs after one warm-up, timed from the first
// recorded kernel to the end of queue work (sync), so it includes submit and
// wait overhead (~2.5 ms per wait on SwiftShader).

import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('prints GEMM and conv2d timings', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    const be = engine.backend() as import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const REPS = 3;
    const out: string[] = [];
    const time = async (f: () => { dispose(): void }): Promise<number> => {
      f().dispose();
      await be.sync();
      const t0 = performance.now();
      for (let i = 0; i < REPS; i++) f().dispose();
      await be.sync();
      return (performance.now() - t0) / REPS;
    };
    // GEMM: 2*m*n*k FLOPs (one multiply and one add per term).
    for (const [m, n, k] of [[256, 256, 256], [512, 512, 512], [36864, 8, 25]]) {
      const a = wc.tensor(new Float32Array(m * k).fill(0.5), [m, k]);
      const b = wc.tensor(new Float32Array(k * n).fill(0.25), [k, n]);
      for (const variant of ['blocked', 'naive'] as const) {
        await be.useGemmVariant(variant);
        const ms = await time(() => wc.ops.matmul(a, b, false, false));
        out.push(`gemm ${variant.padEnd(7)} ${m}x${n}x${k}: ${ms.toFixed(1)} ms, ${((2 * m * n * k) / ms / 1e6).toFixed(2)} GFLOP/s`);
      }
      await be.useGemmVariant('blocked');
      a.dispose(); b.dispose();
    }
    // conv2d: 2*n*oh*ow*kh*kw*cin*cout FLOPs for each of forward, dW and dX.
    const p = { strides: [1, 1], padding: 'valid', dilations: [1, 1] } as const;
    const convs: [number[], number[]][] = [[[64, 28, 28, 1], [5, 5, 1, 8]], [[64, 12, 12, 8], [5, 5, 8, 16]]];
    // Each conv twice: im2col with the GEMM pinned to the 8x8 default, then with the variants autotune() picks.
    for (const tuned of [false, true]) for (const [xs, ws] of convs) {
      const size = (s: readonly number[]) => s.reduce((u, v) => u * v, 1);
      const x = wc.tensor(new Float32Array(size(xs)).fill(0.1), xs);
      const w = wc.tensor(new Float32Array(size(ws)).fill(0.1), ws);
      const y = wc.ops.conv2d(x, w, null, p);
      const flops = 2 * size(y.shape) * ws[0] * ws[1] * ws[2];
      const label = `conv2d x[${xs}] w[${ws}] ${tuned ? 'tuned        ' : 'im2col + 8x8 '}`;
      if (!tuned) { await be.pinGemmWorkgroup(8); be.pinConvAlgorithm('im2col'); }
      else {
        await be.pinGemmWorkgroup(null);
        be.pinConvAlgorithm(null);
        for (const f of [() => wc.ops.conv2d(x, w, null, p), () => wc.ops.conv2dBackwardFilter(x, y, ws, p), () => wc.ops.conv2dBackwardInput(y, w, xs, p)]) f().dispose();
        await be.autotune();
      }
      for (const [name, f] of [
        ['forward', () => wc.ops.conv2d(x, w, null, p)],
        ['dW     ', () => wc.ops.conv2dBackwardFilter(x, y, ws, p)],
        ['dX     ', () => wc.ops.conv2dBackwardInput(y, w, xs, p)],
      ] as const) {
        const ms = await time(f);
        out.push(`${label} ${name}: ${ms.toFixed(1)} ms, ${(flops / ms / 1e6).toFixed(2)} GFLOP/s`);
      }
      for (const t of [x, w, y]) t.dispose();
    }
    out.push(...be.kernelChoices().map((c) => `chosen: ${c.shape} -> ${c.variant} (${c.ms.toFixed(1)} ms)`));
    return out;
  }, null);
  console.log(rows.join('\n'));
});
