// The demo's engine: webcnn runs here, in a dedicated Web Worker, so the page
// stays responsive while it trains. The page sends commands and draws what
// comes back (protocol.ts).

import * as wc from '../src/index.js';
import { trainMnist } from './trainCore.js';
import type { FeatureMap, FromWorker, ToWorker } from './protocol.js';

let model: wc.LayersModel | null = null;
let stopRequested = false;
const post = (m: FromWorker): void => postMessage(m);
const STORE = 'indexeddb://webcnn-demo-mnist';

async function pickBackend(): Promise<void> {
  try {
    await wc.setBackend('webgpu');
    post({ type: 'ready', backend: wc.backendInfo().description });
  } catch (err) {
    await wc.setBackend('cpu');
    post({ type: 'ready', backend: 'cpu', notice: `WebGPU is not available here (${(err as Error).message.split('\n')[0]}); training on the CPU backend, which is slower.` });
  }
}

/** Test accuracy over the full test set, the confusion matrix and some mistakes. */
async function evaluate(m: wc.LayersModel, testSize?: number): Promise<void> {
  const data = await wc.data.loadMnist({ trainSize: 1, testSize });
  const probs = await (m.predict(data.test.xs(), { batchSize: 256 }) as wc.Tensor).data();
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const mistakes: { pixels: number[]; predicted: number; actual: number }[] = [];
  let right = 0;
  for (let i = 0; i < data.test.count; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (probs[i * 10 + k] > probs[i * 10 + best]) best = k;
    const actual = data.test.labels[i];
    confusion[actual][best]++;
    if (best === actual) right++;
    else if (mistakes.length < 24) mistakes.push({ pixels: Array.from(data.test.images.subarray(i * 784, (i + 1) * 784)), predicted: best, actual });
  }
  post({ type: 'evaluation', accuracy: right / data.test.count, confusion, mistakes });
}

async function postFilters(m: wc.LayersModel): Promise<void> {
  const kernel = m.layers.find((l) => l.className === 'Conv2D')?.getWeights()[0];
  if (!kernel) return;
  const [kh, kw, cin, count] = kernel.shape;
  const values = await kernel.data();
  // Keep input channel 0: MNIST has one channel.
  const out: number[] = [];
  for (let f = 0; f < count; f++) for (let i = 0; i < kh * kw; i++) out.push(values[(i * cin) * count + f]);
  post({ type: 'filters', kh, kw, count, values: out });
}

/** Runs the drawn digit layer by layer, keeping the conv and pool outputs as feature maps. */
async function classify(pixels: number[]): Promise<void> {
  if (!model) return;
  let x = wc.tensor(pixels, [1, 28, 28, 1]);
  const maps: FeatureMap[] = [];
  for (const layer of model.layers) {
    const next = layer.apply(x) as wc.Tensor;
    if (x.shape.length === 4 && next.shape.length === 4 && /Conv2D|Pooling2D|ReLU/.test(layer.className)) {
      const [, h, w, c] = next.shape;
      maps.push({ layer: `${layer.name} (${layer.className})`, h, w, c, values: Array.from(await next.data()) });
    }
    x.dispose();
    x = next;
  }
  post({ type: 'classified', probabilities: Array.from(await x.data()), maps });
  x.dispose();
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  try {
    switch (msg.type) {
      case 'train': {
        stopRequested = false;
        model?.dispose();
        const result = await trainMnist(wc, msg.options, (event) => {
          post({ type: 'progress', event });
          if (stopRequested && event.type === 'batch') throw new StopTraining();
        });
        model = result.model;
        await postFilters(model);
        await evaluate(model, msg.options.testSize);
        break;
      }
      case 'stop': stopRequested = true; break;
      case 'classify': await classify(msg.pixels); break;
      case 'save':
        if (!model) throw new Error('train or load a model first');
        await model.save(STORE);
        post({ type: 'saved', message: `saved to ${STORE}` });
        break;
      case 'load':
        model = await wc.loadModel(STORE);
        await postFilters(model);
        post({ type: 'loaded', message: `loaded ${STORE}` });
        break;
      case 'download': {
        if (!model) throw new Error('train or load a model first');
        const a = await wc.modelToArtifacts(model);
        postMessage({ type: 'download', modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData });
        break;
      }
    }
  } catch (err) {
    if (err instanceof StopTraining) post({ type: 'stopped', message: 'training stopped' });
    else post({ type: 'error', message: (err as Error).message });
  }
};

class StopTraining extends Error {}

void pickBackend();
