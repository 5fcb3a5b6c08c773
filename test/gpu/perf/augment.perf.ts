// The augmentation's share of a training step of the standard MNIST model
// (batch 64) on WebGPU: the model with random rotation (±10°), translation
// (±10%) and zoom (±10%) layers in front, and with the elastic distortion
// too, against the plain model; wall time per trainOnBatch after warm-up, and
// the augmentation kernels' share of one profiled step.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/augment.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('times the augmentation layers against a training step of the standard model', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    const be = engine.backend() as import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    type L = import('../../../src/index.js').Layer;
    const l = wc.layers;
    // wc.models.mnistStandard()'s layers, after the given augmentation layers
    const standard = (front: L[]) => wc.sequential({ layers: [
      ...front,
      l.conv2d({ ...(front.length ? {} : { inputShape: [28, 28, 1] }), filters: 32, kernelSize: 3, useBias: false }), l.batchNormalization(), l.reLU(),
      l.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }), l.maxPooling2d({ poolSize: 2, strides: 2 }),
      l.conv2d({ filters: 64, kernelSize: 3, useBias: false }), l.batchNormalization(), l.reLU(), l.maxPooling2d({ poolSize: 2, strides: 2 }),
      l.flatten(), l.dense({ units: 128, activation: 'relu' }), l.dropout({ rate: 0.25 }), l.dense({ units: 10, activation: 'softmax' }),
    ] });
    const affine = (): L[] => [
      l.randomRotation({ inputShape: [28, 28, 1], factor: 10 / 360, seed: 1 }),
      l.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 2 }),
      l.randomZoom({ heightFactor: 0.1, seed: 3 }),
    ];
    const x = wc.tensor(new Float32Array(64 * 784).map((_, i) => (i % 13) / 13), [64, 28, 28, 1]);
    const y = wc.tensor(new Float32Array(640).map((_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)), [64, 10]);
    const out: string[] = [JSON.stringify(wc.backendInfo().adapter ?? wc.getBackend())];
    const variants: [string, () => L[]][] = [
      ['plain', () => []],
      ['rotation+translation+zoom', affine],
      ['rotation+translation+zoom+elastic', () => [...affine(), l.randomElasticDeformation({ seed: 4 })]],
    ];
    let plain = 0;
    for (const [name, front] of variants) {
      const model = standard(front());
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      await model.fit(x, y, { batchSize: 64, epochs: 1 }); // warm-up: pipelines and autotuning
      const steps = 5;
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
      await be.sync();
      const ms = (performance.now() - t0) / steps;
      const vsPlain = plain ? `${ms >= plain ? '+' : ''}${(100 * (ms / plain - 1)).toFixed(1)}% wall` : 'baseline';
      if (name === 'plain') plain = ms;
      const prof = await wc.profile(() => model.trainOnBatch(x, y));
      const aug = prof.kernels.filter((k) => /^(transform|displace)/.test(k.name));
      const augMs = aug.reduce((s, k) => s + k.totalMs, 0);
      out.push(`${name}: ${ms.toFixed(1)} ms/step (${vsPlain}); profiled (${prof.timing}) kernels ${prof.totalMs.toFixed(1)} ms, augmentation kernels ${augMs.toFixed(2)} ms (${(100 * augMs / prof.totalMs).toFixed(1)}%)`);
      model.dispose?.();
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 600_000);
