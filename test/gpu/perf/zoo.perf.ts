// One predict of each full-size zoo model on WebGPU at batch 1 (224x224x3;
// 299x299x3 for Inception v3), untrained: build time, the first predict
// (pipelines compile on first use), a second predict, and the GPU memory the
// model and its activations hold. Not a CI test (VGG's weights alone are over
// 550 MB): `npm run zoo`, i.e.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/zoo.perf.ts
// ZOO=vgg16,resnet50 picks models. Times are recorded in bench/RESULTS.md.
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

const ALL = ['googlenet', 'resnet50', 'inceptionV3', 'vgg16', 'vgg19'];
const picked = process.env.ZOO ? process.env.ZOO.split(',') : ALL;

for (const name of picked) {
  it(`${name}: one predict at batch 1`, async () => {
    const row = await gp.run(async ({ wc }, n) => {
      const info = wc.backendInfo() as { adapter?: { architecture?: string; description?: string } };
      const t0 = performance.now();
      const make = (wc.models as unknown as Record<string, () => import('../../../src/model/layersModel.js').LayersModel>)[n];
      let model: ReturnType<typeof make> | null = null;
      try {
        model = make();
        const side = n === 'inceptionV3' ? 299 : 224;
        // weights made and uploaded: wait for the device once
        await model.getWeights()[0].data();
        const built = performance.now() - t0;
        const x = wc.tensor(new Float32Array(side * side * 3).map((_, i) => ((i % 255) / 255) - 0.5), [1, side, side, 3]);
        const once = async () => {
          const s = performance.now();
          const p = model!.predict(x) as typeof x;
          const v = await p.data();
          p.dispose();
          return { ms: performance.now() - s, sum: v.reduce((a, b) => a + b, 0) };
        };
        const first = await once();
        const peak = wc.memory().numBytes;
        const second = await once();
        x.dispose();
        return `${n}: ${model.countParams().toLocaleString('en-US')} params, built in ${built.toFixed(0)} ms; predict 1x${side}x${side}x3: `
          + `first ${first.ms.toFixed(0)} ms, second ${second.ms.toFixed(0)} ms (softmax sum ${second.sum.toFixed(4)}); `
          + `${(peak / 2 ** 20).toFixed(0)} MiB of tensors after the first; adapter ${JSON.stringify(info.adapter ?? {})}`;
      } catch (err) {
        return `${n}: FAILED after ${(performance.now() - t0).toFixed(0)} ms: ${(err as Error).message}`;
      } finally {
        model?.dispose();
      }
    }, name);
    console.log(row);
  }, 600_000);
}
