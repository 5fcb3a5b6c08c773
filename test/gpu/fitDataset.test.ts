// fitDataset on WebGPU: a stream of 32 batches (3.25 MB of data, made and
// uploaded batch by batch) trains a dense softmax model to the same weights as
// the CPU reference, while the buffer pool's peak of bytes in use stays under a
// 1 MB budget: an epoch never holds the dataset on the GPU. And imageFolder's
// browser path: File objects of a folder upload, decoded by createImageBitmap.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import * as wc from '../../src/index.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';
import { peakBytes, resetPeakBytes } from '../../src/tensor.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open({ fresh: true }); });
afterAll(async () => { await gp?.close(); });

interface Trained { losses: number[]; weights: number[][]; batches: number }
interface Args { batches: number; batch: number; features: number; initial: { t: number[]; s: number[] }[] }

/** Trains the same way on either side: the batches are made by a generator from a fixed formula, on demand. */
async function train(w: typeof wc, a: Args): Promise<Trained> {
  const m = w.sequential({ layers: [w.layers.dense({ units: 10, inputShape: [a.features], activation: 'softmax' })] });
  m.setWeights(a.initial.map((v) => w.tensor(v.t, v.s)));
  m.compile({ optimizer: w.optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
  const ds = w.data.generator(function* () {
    for (let i = 0; i < a.batches; i++) {
      const x = new Float32Array(a.batch * a.features);
      for (let k = 0; k < x.length; k++) x[k] = ((i * 7919 + k * 104729) % 1000) / 1000;
      const y = new Float32Array(a.batch * 10);
      for (let r = 0; r < a.batch; r++) y[r * 10 + (Math.floor(x[r * a.features] * 10) % 10)] = 1;
      yield { xs: w.tensor(x, [a.batch, a.features]), ys: w.tensor(y, [a.batch, 10]) };
    }
  });
  let batches = 0;
  const h = await m.fitDataset(ds, { epochs: 1, callbacks: { onBatchEnd: () => { batches++; } } });
  const weights: number[][] = [];
  for (const t of m.getWeights()) weights.push(Array.from(await t.data()));
  return { losses: h.history.loss, weights, batches };
}

describe('fitDataset on webgpu', () => {
  it('streams 3.25 MB through a 1 MB budget (buffer pool peak) and matches the CPU reference', async () => {
    const args: Args = { batches: 32, batch: 32, features: 784, initial: [] };
    const dataBytes = args.batches * args.batch * (args.features + 10) * 4;
    const init = wc.sequential({ layers: [wc.layers.dense({ units: 10, inputShape: [784], activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 3 }) })] });
    args.initial = await Promise.all(init.getWeights().map(async (t) => ({ t: Array.from(await t.data()), s: [...t.shape] })));

    const gpu = await gp.run(async ({ wc: w, engine }, a) => {
      const be = engine.backend() as unknown as { stats(): { poolPeakBytes: number; poolBytes: number }; resetPoolPeak(): void };
      be.resetPoolPeak();
      const before = be.stats();
      const trained = await ((0, eval)(`(${a.train})`) as typeof train)(w, a.args);
      const after = be.stats();
      return { ...trained, peak: after.poolPeakBytes - before.poolPeakBytes, grown: after.poolBytes - before.poolBytes };
    }, { train: train.toString(), args });

    const cpuBase = wc.memory().numBytes;
    resetPeakBytes();
    const cpu = await train(wc, args);
    const cpuPeak = peakBytes() - cpuBase;
    console.log(`fitDataset streaming: data ${dataBytes} bytes in ${args.batches} batches; WebGPU buffer pool peak in use ${gpu.peak} bytes `
      + `(pool grew by ${gpu.grown}); CPU backend peak live tensor bytes ${cpuPeak}`);

    expect(gpu.batches).toBe(32);
    const budget = 1_000_000;
    expect(dataBytes).toBeGreaterThan(3 * budget);
    expect(gpu.peak).toBeLessThan(budget);
    expect(gpu.grown).toBeLessThan(budget);
    expect(gpu.peak).toBeGreaterThan(2 * args.batch * args.features * 4);
    expect(cpuPeak).toBeLessThan(budget);
    expectParity(gpu.losses, cpu.losses, 'epoch loss');
    cpu.weights.forEach((v, i) => expectParity(gpu.weights[i], v, `weight ${i} after the epoch`));
  });

  it('imageFolder from File objects (a folder upload) through createImageBitmap', async () => {
    const png = (h: number, wd: number, f: (r: number, c: number) => number): number[] => {
      const img = new PNG({ width: wd, height: h });
      for (let r = 0; r < h; r++) for (let c = 0; c < wd; c++) img.data.set([f(r, c), 255 - f(r, c), 100, 255], (r * wd + c) * 4);
      return Array.from(PNG.sync.write(img));
    };
    const files = [
      { path: 'upload/dogs/c.png', bytes: png(2, 2, () => 50) },
      { path: 'upload/cats/a.png', bytes: png(4, 4, (r, c) => 10 * (4 * r + c)) },
      { path: 'upload/cats/readme.txt', bytes: [1, 2, 3] },
    ];
    const r = await gp.run(async ({ wc: w }, a) => {
      const list = a.files.map((f) => {
        const file = new File([new Uint8Array(f.bytes)], f.path.split('/').pop()!, { type: 'image/png' });
        Object.defineProperty(file, 'webkitRelativePath', { value: f.path });
        return file;
      });
      const ds = await w.data.imageFolder(list, { size: [2, 2], shuffle: false });
      const els: { xs: number[]; ys: number[]; shape: number[] }[] = [];
      await ds.forEachAsync(async (e) => { els.push({ xs: Array.from(await e.xs.data()), ys: Array.from(await e.ys.data()), shape: [...e.xs.shape] }); });
      let error = '';
      await w.data.imageFolder([new File([new Uint8Array(a.files[0].bytes)], 'x.png')], { size: [2, 2] }).catch((e: Error) => { error = e.message; });
      let pathError = '';
      await w.data.imageFolder('photos', { size: [2, 2] }).catch((e: Error) => { pathError = e.message; });
      return { classNames: [...ds.classNames], files: [...ds.files], els, error, pathError };
    }, { files });
    expect(r.classNames).toEqual(['cats', 'dogs']);
    expect(r.files).toEqual(['cats/a.png', 'dogs/c.png']);
    expect(r.els.map((e) => e.ys)).toEqual([[0], [1]]);
    expect(r.els[0].shape).toEqual([2, 2, 3]);
    // the 4x4 image halved: means of its 2x2 blocks, as in Node
    expect(r.els[0].xs).toEqual([25, 45, 105, 125].flatMap((m) => [m, 255 - m, 100]));
    expect(r.els[1].xs).toEqual([50, 205, 100, 50, 205, 100, 50, 205, 100, 50, 205, 100]);
    expect(r.pathError).toMatch(/a folder path works in Node; in a browser pass the File list/);
    expect(r.error).toMatch(/has no webkitRelativePath; choose the folder with <input type="file" webkitdirectory>/);
  });
});
