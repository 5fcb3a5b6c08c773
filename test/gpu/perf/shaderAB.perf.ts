// A/B of a text change to the shaders, on whole training steps of a demo model:
// two backends in one page (the same adapter and tuned choices), one built from
// the shaders as they are and one from the patched text, timed interleaved.
//   WEBCNN_PERF=1 WEBCNN_AB_MODEL=mnistLight npx vitest run --project perf test/gpu/perf/shaderAB.perf.ts
// The patch is PATCHES below: [find, replace] pairs applied to every shader module's source. Then
// each kernel's GPU time, A against B.
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

const PATCHES: [string, string][] = JSON.parse(process.env.WEBCNN_AB_PATCHES ?? '[]');
const MODEL = process.env.WEBCNN_AB_MODEL ?? 'mnistLight';
/** WEBCNN_AB_TUNE=0: both backends untuned (the heuristic kernels, as the bench's cells other than a model's first-step row run). */
const TUNE = process.env.WEBCNN_AB_TUNE !== '0';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('times training steps with the shaders as they are (A) and patched (B)', async () => {
  const rows = await gp.run(async ({ wc, engine }, args) => {
    const { patches, modelName, tune } = args as { patches: [string, string][]; modelName: 'mnistLight' | 'mnistStandard'; tune: boolean };
    type Gpu = import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const w = window as unknown as { abPatch: boolean; abHits: number };
    w.abPatch = false; w.abHits = 0;
    const original = GPUDevice.prototype.createShaderModule;
    GPUDevice.prototype.createShaderModule = function (d: GPUShaderModuleDescriptor) {
      if (!w.abPatch) return original.call(this, d);
      let code = d.code;
      for (const [f, r] of patches) if (code.includes(f)) { code = code.split(f).join(r); w.abHits++; }
      return original.call(this, { ...d, code });
    };
    const setups: { run: () => Promise<void>; name: string }[] = [];
    for (const [name, power] of [['A', 'high-performance'], ['B', 'low-power']] as const) {
      w.abPatch = name === 'B';
      await wc.setBackend('webgpu', { powerPreference: power, autotune: tune });
      const be = engine.backend() as Gpu;
      const model = wc.models[modelName]();
      const optimizer = modelName === 'mnistLight' ? wc.optimizers.sgd({ learningRate: 0.01 }) : wc.optimizers.adam({ learningRate: 0.001 });
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const n = 64 * 2;
      const x = wc.tensor(new Float32Array(n * 784).map((_, i) => (i % 13) / 13), [n, 28, 28, 1]);
      const y = wc.tensor(new Float32Array(n * 10).map((_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)), [n, 10]);
      const xb = wc.ops.gatherRows(x, Int32Array.from({ length: 64 }, (_, i) => i));
      const yb = wc.ops.gatherRows(y, Int32Array.from({ length: 64 }, (_, i) => i));
      await model.fit(x, y, { batchSize: 64, epochs: 1 });
      await be.pipelinesBuilt();
      await model.trainOnBatch(xb, yb);
      setups.push({ name, run: async () => { await wc.setBackend('webgpu', { powerPreference: power, autotune: tune }); await model.trainOnBatch(xb, yb); } });
    }
    w.abPatch = false;
    GPUDevice.prototype.createShaderModule = original;
    const times: Record<string, number[]> = { A: [], B: [] };
    for (let round = 0; round < 6; round++) {
      for (const s of round % 2 ? [...setups].reverse() : setups) {
        await s.run();
        const t0 = performance.now();
        for (let i = 0; i < 3; i++) await s.run();
        times[s.name].push((performance.now() - t0) / 3);
      }
    }
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
    // Each kernel's GPU time (timestamp queries), interleaved too: a change to one kernel shows
    // there even when the step's noise hides it. Medians over the profiled steps.
    const kernels: Record<string, Record<string, number[]>> = { A: {}, B: {} };
    for (let round = 0; round < 5; round++) {
      for (const s of setups) {
        await s.run();  // its backend current when the profile starts
        const prof = await wc.profile(() => s.run());
        for (const k of prof.kernels) (kernels[s.name][k.name] ??= []).push(k.totalMs);
      }
    }
    const lines = Object.keys(kernels.A).map((k) => ({ k, a: med(kernels.A[k]), b: kernels.B[k] ? med(kernels.B[k]) : NaN }))
      .filter((r) => r.a > 0.5).sort((x, y) => y.a - x.a)
      .map((r) => `  ${r.k.padEnd(52)} A ${r.a.toFixed(2).padStart(7)} ms  B ${r.b.toFixed(2).padStart(7)} ms  ${(100 * (r.b / r.a - 1)).toFixed(0).padStart(4)}%`);
    return [`patch hits ${w.abHits}`, ...Object.entries(times).map(([k, v]) => `${k}: median ${med(v).toFixed(1)} ms/step, best ${Math.min(...v).toFixed(1)} (${v.map((t) => t.toFixed(0)).join(' ')})`),
      'kernels (median of 5 profiled steps each):', ...lines];
  }, { patches: PATCHES, modelName: MODEL, tune: TUNE });
  console.log(rows.join('\n'));
}, 900_000);
