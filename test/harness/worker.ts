// A dedicated Web Worker that runs webcnn on WebGPU: the GPU worker test posts
// { x, w } and gets back a conv2d output and the loss of one fit step.

import * as wc from '../../src/index.js';

interface Job { x: number[]; w: number[] }

self.onmessage = async (e: MessageEvent<Job>) => {
  try {
    await wc.setBackend('webgpu');
    const y = wc.ops.conv2d(wc.tensor(e.data.x, [1, 5, 5, 2]), wc.tensor(e.data.w, [3, 3, 2, 3]), null, { strides: [1, 1], padding: 'same', dilations: [1, 1] });
    const m = wc.sequential({ layers: [wc.layers.dense({ inputShape: [4], units: 2, activation: 'softmax', kernelInitializer: 'ones' })] });
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const h = await m.fit(wc.tensor([1, 2, 3, 4, 4, 3, 2, 1], [2, 4]), wc.tensor([1, 0, 0, 1], [2, 2]), { batchSize: 2 });
    postMessage({ backend: wc.backendInfo().description, conv: Array.from(await y.data()), loss: h.history.loss[0] });
  } catch (err) {
    postMessage({ error: String(err) });
  }
};
