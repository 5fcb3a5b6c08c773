// webcnn on WebGPU inside a dedicated Web Worker (served by Vite), compared
// with the CPU reference in Node.

import { afterAll, beforeAll, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('setBackend("webgpu"), a conv2d and a fit step work inside a Web Worker', async () => {
  const x = Array.from(randomValues(50, 1));
  const w = Array.from(randomValues(54, 2));
  const result = await gp.run(async (_env, a) => new Promise<{ backend?: string; conv?: number[]; loss?: number; error?: string }>((resolve) => {
    const worker = new Worker('/test/harness/worker.ts', { type: 'module' });
    worker.onmessage = (e) => { resolve(e.data); worker.terminate(); };
    worker.onerror = (e) => resolve({ error: e.message });
    worker.postMessage(a);
  }), { x, w });
  expect(result.error).toBeUndefined();
  expect(result.backend).toMatch(/^webgpu on /);
  const conv = await wc.ops.conv2d(wc.tensor(x, [1, 5, 5, 2]), wc.tensor(w, [3, 3, 2, 3]), null, { strides: [1, 1], padding: 'same', dilations: [1, 1] }).data();
  expectParity(result.conv!, conv, 'conv2d in a worker');
  const m = wc.sequential({ layers: [wc.layers.dense({ inputShape: [4], units: 2, activation: 'softmax', kernelInitializer: 'ones' })] });
  m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const h = await m.fit(wc.tensor([1, 2, 3, 4, 4, 3, 2, 1], [2, 4]), wc.tensor([1, 0, 0, 1], [2, 2]), { batchSize: 2 });
  expectParity([result.loss!], [h.history.loss[0]], 'fit loss in a worker');
});
