// Soak: 300 training steps of the standard MNIST model on WebGPU. After
// warm-up nothing grows: live tensors and their bytes (wc.memory()), the
// buffer pool (buffers and bytes held), staging buffers and pipelines stay
// flat, checkpoints and repeated fit calls included; disposing the model
// returns wc.memory() to its baseline.
//
// Batch 4: on SwiftShader (no GPU) the standard model costs about 2 s per step
// at batch 64, nearly all of it per image. Measured on this project's 2-core
// machine while other suites ran (load average ~13): a step costs a fixed part
// (~70 dispatches, the loss read each step) of about 0.35 s plus about 0.08 s
// per image, so batch 4 took 0.8 s a step (318 s for the 300); a smaller batch
// would save little, a larger one adds per image. By the same figures batch 64
// would take about 5.5 s a step under that load against about 2 s idle, so idle
// the soak should take roughly 2 minutes. Random images suffice: the test is
// about memory, not accuracy.
//
// The steps run as 6 fit calls of 50 in separate page calls, so that no single
// call nears the harness's 300 s protocol timeout on a loaded machine.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

const STEPS_PER_FIT = 50;
const FITS = 6;
const BATCH = 4;

interface Sample {
  step: number; numTensors: number; numBytes: number; poolBuffers: number; poolBytes: number;
  buffersCreated: number; stagingCreated: number; pipelines: number;
}

describe('webgpu soak', () => {
  it(`${FITS * STEPS_PER_FIT} steps of mnistStandard (batch ${BATCH}): memory and the buffer pool flat after warm-up, baseline after dispose`, async () => {
    const started = Date.now();
    const baseline = await gp.run(async ({ wc }, a) => {
      const before = wc.memory();
      const n = a.steps * a.batch;
      let seed = 11;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const x = wc.tensor(Float32Array.from({ length: n * 784 }, rand), [n, 28, 28, 1]);
      const y = wc.tensor(Float32Array.from({ length: n * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)), [n, 10]);
      const model = wc.models.mnistStandard();
      model.compile({ optimizer: wc.optimizers.adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      (window as unknown as { soak: unknown }).soak = { model, x, y, steps: 0 };
      return before;
    }, { steps: STEPS_PER_FIT, batch: BATCH });

    const samples: Sample[] = [];
    const losses: number[] = [];
    const checkpoints: number[] = [];
    for (let f = 0; f < FITS; f++) {
      // Warm-up is the first fit: autotuning after its first step, its two checkpoints.
      const r = await gp.run(async ({ wc, engine }, a) => {
        const be = engine.backend() as Gpu;
        const s = (window as unknown as { soak: { model: import('../../src/model/layersModel.js').LayersModel; x: import('../../src/tensor.js').Tensor; y: import('../../src/tensor.js').Tensor; steps: number } }).soak;
        const out: Sample[] = [];
        const h = await s.model.fit(s.x, s.y, {
          batchSize: a.batch, epochs: 1, shuffle: false, checkpointEvery: 25,
          callbacks: {
            onBatchEnd: () => {
              const m = wc.memory();
              const st = be.stats();
              out.push({ step: ++s.steps, numTensors: m.numTensors, numBytes: m.numBytes, poolBuffers: st.poolBuffers,
                poolBytes: st.poolBytes, buffersCreated: st.buffersCreated, stagingCreated: st.stagingCreated, pipelines: st.pipelines });
            },
          },
        });
        return { samples: out, loss: Number(h.history.loss[0]), checkpoint: s.model.checkpoint?.iterations ?? 0 };
      }, { batch: BATCH });
      samples.push(...r.samples);
      losses.push(r.loss);
      checkpoints.push(r.checkpoint);
    }

    const end = await gp.run(async ({ wc }) => {
      const s = (window as unknown as { soak: { model: { dispose(): void }; x: { dispose(): void }; y: { dispose(): void } } }).soak;
      s.model.dispose();
      s.x.dispose();
      s.y.dispose();
      return wc.memory();
    }, null);

    const last = samples.at(-1)!;
    console.log(`soak: ${samples.length} steps at batch ${BATCH} in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `pool ${last.poolBuffers} buffers, ${last.poolBytes} bytes; ${last.numTensors} live tensors`);
    expect(samples.length).toBe(FITS * STEPS_PER_FIT);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(checkpoints).toEqual(Array.from({ length: FITS }, (_, i) => (i + 1) * STEPS_PER_FIT));
    // Pipelines are a cache bounded by the kernel variants: the tuner, which runs at each
    // fit's first step, may compile a variant it had not needed yet. Within a fit they are flat.
    const { pipelines: _, ...warm } = samples[STEPS_PER_FIT - 1];
    for (const [i, { pipelines, ...s }] of samples.entries()) {
      if (i < STEPS_PER_FIT) continue;
      expect({ ...s, step: warm.step }, `step ${s.step} against step ${warm.step}`).toEqual(warm);
      expect(pipelines, `pipelines at step ${s.step}`).toBe(samples[i - (i % STEPS_PER_FIT)].pipelines);
    }
    expect(end).toEqual(baseline);
  }, 900_000);
});
