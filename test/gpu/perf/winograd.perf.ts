// Winograd F(2x2, 3x3) and F(4x4, 3x3) against the other conv algorithms on the standard model's 3x3 convs
// (x [64,26,26,32] -> 32 and x [64,12,12,32] -> 64, 'valid'), forward and dx, per call, with
// each call's kernels; then the standard model's training images/s at batch 64 without Winograd,
// with it where the unmeasured heuristic takes it, and pinned wherever it applies (autotune off).
// Every comparison is interleaved round by round; best and median per row.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/winograd.perf.ts   (WEBCNN_PERF_TRAINING=0: the per-call rows only)
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('times Winograd against im2col and direct, per call and in training', async () => {
  const rows = await gp.run(async ({ wc, engine }, args) => {
    type Gpu = import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    engine.forgetBackend(engine.backend());
    await wc.setBackend('webgpu', { autotune: false });
    const be = engine.backend() as Gpu;
    const out: string[] = [];
    const size = (v: number[]) => v.reduce((a, b) => a * b, 1);
    const fill = (n: number, s: number) => Float32Array.from({ length: n }, (_, i) => ((i * s) % 17) / 17 - 0.5);
    const summary = (name: string, ms: number[], unit = 'ms') => {
      const sorted = [...ms].sort((a, b) => a - b);
      return `${name.padEnd(44)} best ${sorted[0].toFixed(1)} median ${sorted[sorted.length >> 1].toFixed(1)} ${unit} (${ms.map((v) => v.toFixed(0)).join(' ')})`;
    };
    const once = async (f: () => { dispose(): void }) => {
      const t0 = performance.now(); f().dispose(); await be.sync(); return performance.now() - t0;
    };
    const ROUNDS = 5;
    const p = { strides: [1, 1], padding: 'valid', dilations: [1, 1] } as const;
    for (const [hw, cin, cout] of [[26, 32, 32], [12, 32, 64]] as const) {
      const xs = [64, hw, hw, cin], ws = [3, 3, cin, cout], ys = [64, hw - 2, hw - 2, cout];
      const x = wc.tensor(fill(size(xs), 3), xs), w = wc.tensor(fill(size(ws), 5), ws), dy = wc.tensor(fill(size(ys), 7), ys);
      const runs: [string, () => { dispose(): void }][] = [
        ...(['im2col', 'direct', 'winograd', 'winograd4'] as const).map((a) => [`forward ${a}`, () => { be.pinConvAlgorithm(a); return wc.ops.conv2d(x, w, null, p); }] as [string, () => { dispose(): void }]),
        ...(['im2col', 'winograd', 'winograd4'] as const).map((a) => [`dx ${a}`, () => { be.pinConvAlgorithm(a); return wc.ops.conv2dBackwardInput(dy, w, xs, p); }] as [string, () => { dispose(): void }]),
      ];
      const ms: number[][] = runs.map(() => []);
      for (const [, f] of runs) await once(f); // compile and warm up
      for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < runs.length; i++) ms[i].push(await once(runs[i][1]));
      runs.forEach(([name], i) => out.push(summary(`x [${xs}] -> ${cout} ${name}`, ms[i])));
      // float32 error of Winograd against the direct kernel (forward) and GEMM + col2im (dx), relative to the largest value.
      for (const [name, ref, wino] of [
        ['F(2x2) forward vs direct', runs[1][1], runs[2][1]], ['F(4x4) forward vs direct', runs[1][1], runs[3][1]],
        ['F(2x2) dx vs im2col', runs[4][1], runs[5][1]], ['F(4x4) dx vs im2col', runs[4][1], runs[6][1]],
      ] as const) {
        const a = ref() as unknown as { data(): Promise<Float32Array>; dispose(): void }, b = wino() as unknown as typeof a;
        const [av, bv] = [await a.data(), await b.data()];
        let worst = 0, scale = 0;
        for (let i = 0; i < av.length; i++) { worst = Math.max(worst, Math.abs(av[i] - bv[i])); scale = Math.max(scale, Math.abs(av[i])); }
        out.push(`  Winograd ${name}: max |diff| ${worst.toExponential(2)}, max |value| ${scale.toFixed(2)}, relative ${(worst / scale).toExponential(2)}`);
        a.dispose(); b.dispose();
      }
      // Where each call's time goes, kernel by kernel.
      for (const [name, f] of runs) {
        const prof = await wc.profile(async () => { f().dispose(); await be.sync(); });
        out.push(`  ${name}: ` + prof.kernels.map((k) => `${k.name} ${k.totalMs.toFixed(1)}`).join(', ') + ' ms');
      }
      for (const t of [x, w, dy]) t.dispose();
    }
    be.pinConvAlgorithm(null);
    if (!args.training) return out;

    const model = wc.models.mnistStandard();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = wc.tensor(new Float32Array(64 * 784).map((_, i) => (i % 13) / 13), [64, 28, 28, 1]);
    const y = wc.tensor(new Float32Array(640).map((_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)), [64, 10]);
    // Without Winograd; with it where the heuristic takes it (dx); pinned wherever it applies (forward too).
    const variants = ['without', 'heuristic', 'pinned'] as const;
    const steps = async (v: typeof variants[number], n: number) => {
      be.offerWinograd(v !== 'without');
      be.pinConvAlgorithm(v === 'pinned' ? 'winograd' : null);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await model.trainOnBatch(x, y);
      await be.sync();
      return (64 * n * 1000) / (performance.now() - t0);
    };
    for (const v of variants) await steps(v, 2); // compile and warm up
    const ips: number[][] = variants.map(() => []);
    for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < variants.length; i++) ips[i].push(await steps(variants[i], 3));
    variants.forEach((v, i) => {
      const sorted = [...ips[i]].sort((a, b) => b - a);
      out.push(`standard model training, batch 64, Winograd ${v}: best ${sorted[0].toFixed(1)} median ${sorted[sorted.length >> 1].toFixed(1)} images/s (${ips[i].map((n) => n.toFixed(1)).join(' ')})`);
    });
    be.offerWinograd(true);
    be.pinConvAlgorithm(null);
    x.dispose(); y.dispose(); model.dispose();
    return out;
  }, { training: process.env.WEBCNN_PERF_TRAINING !== '0' });
  console.log(rows.join('\n'));
}, 900_000);
