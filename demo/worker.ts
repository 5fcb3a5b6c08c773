// The demo's engine: webcnn runs here, in a dedicated Web Worker, so the page
// stays responsive while it trains. The page sends commands and draws what
// comes back (protocol.ts).

import * as wc from '../src/index.js';
import { trainMnist } from './trainCore.js';
import { augmentedDigits, mnistAugmentation, type AugmentChoice } from './augment.js';
import type { Evaluation, FeatureMap, Filters, FromWorker, ToWorker } from './protocol.js';

const STORE = 'indexeddb://webcnn-demo-mnist';
let model: wc.LayersModel | null = null;
let stopRequested = false;
const post = (m: FromWorker, transfer: Transferable[] = []): void => postMessage(m, { transfer });

async function pickBackend(wanted: 'webgpu' | 'wasm' | 'cpu'): Promise<void> {
  if (wanted === 'cpu') {
    await wc.setBackend('cpu');
    post({ type: 'ready', backend: 'cpu', adapter: 'CPU (chosen with ?backend=cpu)' });
    return;
  }
  if (wanted === 'wasm') {
    await wc.setBackend('wasm');
    post({ type: 'ready', backend: 'wasm', adapter: `${wc.backendInfo().description} (chosen with ?backend=wasm)` });
    return;
  }
  try {
    await wc.setBackend('webgpu');
    post({ type: 'ready', backend: 'webgpu', adapter: wc.backendInfo().description });
  } catch (err) {
    await wc.setBackend('cpu');
    // The engine's message explains at length; its first sentence names the cause.
    const why = (err as Error).message.split(/\n|\. /)[0];
    post({ type: 'ready', backend: 'cpu', adapter: 'CPU', notice: `WebGPU is not available here (${why}), so training runs on the CPU backend: it works, only slower. Chrome or Edge 113+ have WebGPU.` });
  }
}

/** The first conv layer's kernel for input channel 0, filters interleaved like the kernel's last axis. */
async function filtersOf(m: wc.LayersModel): Promise<Filters | null> {
  const kernel = m.layers.find((l) => l.className === 'Conv2D')?.getWeights()[0];
  if (!kernel) return null;
  const [kh, kw, cin, count] = kernel.shape;
  const all = await kernel.data();
  const values = new Float32Array(kh * kw * count);
  for (let i = 0; i < kh * kw; i++) for (let f = 0; f < count; f++) values[i * count + f] = all[i * cin * count + f];
  return { kh, kw, count, values };
}

async function announce(m: wc.LayersModel, how: string): Promise<void> {
  const filters = await filtersOf(m);
  post({ type: 'model', filters, description: `${how}: ${m.layers.length} layers, ${m.countParams().toLocaleString('en')} parameters` }, filters ? [filters.values.buffer] : []);
}

/**
 * Runs the drawn digit through the model layer by layer (inference mode) and
 * keeps a feature map after each conv block (conv with its batch norm and
 * activation layers, as one) and after each pooling layer.
 */
async function classify(pixels: Float32Array): Promise<void> {
  if (!model) return;
  const maps: FeatureMap[] = [];
  let x = wc.tensor(pixels, [1, 28, 28, 1]);
  let block: string[] = [];
  // The random layers pass digits through outside training: no map to show for them.
  const layers = model.layers.filter((l) => !l.className.startsWith('Random'));
  for (const [i, layer] of layers.entries()) {
    const y = layer.apply(x);
    if (y !== x) x.dispose(); // inference-mode dropout hands back its input itself
    x = y;
    if (y.shape.length !== 4) continue;
    block.push(layer.name);
    const next = layers[i + 1];
    const ends = !next || /Conv2D|Pooling2D|Flatten/.test(next.className) || /Pooling2D/.test(layer.className);
    if (ends) {
      const [, h, w, c] = y.shape;
      maps.push({ layer: block.join(' → '), h, w, c, values: await y.data() });
      block = [];
    }
  }
  const probabilities = Array.from(await x.data());
  x.dispose();
  post({ type: 'classified', probabilities, maps }, maps.map((m) => m.values.buffer));
}

async function train(options: Parameters<typeof trainMnist>[1]): Promise<void> {
  stopRequested = false;
  model?.dispose();
  model = null;
  const result = await trainMnist(wc, options, (event) => post({ type: 'progress', event }), () => stopRequested);
  model = result.model;
  await announce(model, 'trained');
  const evaluation: Evaluation = {
    accuracy: result.score.accuracy, count: result.score.count, confusion: result.score.confusion,
    mistakes: result.score.mistakes.map((m) => ({ pixels: result.testImages.slice(m.index * 784, (m.index + 1) * 784), predicted: m.predicted, actual: m.actual })),
  };
  post({ type: 'evaluation', evaluation });
}

/** The TF.js layers-model files (model.json + weights), built here and downloaded by the page. */
async function downloadFiles(m: wc.LayersModel): Promise<void> {
  const name = 'webcnn-mnist';
  await m.save({
    save: async (a: wc.ModelArtifacts) => {
      const json = {
        format: 'layers-model', generatedBy: a.generatedBy, convertedBy: null, modelTopology: a.modelTopology,
        weightsManifest: [{ paths: [`${name}.weights.bin`], weights: a.weightSpecs }],
      };
      post({ type: 'download', files: [
        { name: `${name}.json`, blob: new Blob([JSON.stringify(json)], { type: 'application/json' }) },
        { name: `${name}.weights.bin`, blob: new Blob([a.weightData ?? new ArrayBuffer(0)], { type: 'application/octet-stream' }) },
      ] });
      return {};
    },
  });
}

/** The first training digits, kept for previews of the augmentation while no training runs. */
let previewSource: Promise<Float32Array> | null = null;
let previewSeed = 5000;

async function preview(choice: AugmentChoice, count: number): Promise<void> {
  previewSource ??= wc.data.loadMnist({ trainSize: count, testSize: 1 }).then((d) => d.train.images);
  const digits = await previewSource;
  // Fresh layers each time (a new seed): no training draws are taken from them.
  const layers = mnistAugmentation(wc, choice, previewSeed += 10);
  if (layers.length === 0) return;
  const n = Math.min(count, digits.length / 784);
  const out = await augmentedDigits(wc, layers, digits, n);
  post({ type: 'progress', event: { type: 'augmented', count: n, digits: out } }, [out.buffer]);
}

function need(): wc.LayersModel {
  if (!model) throw new Error('train or load a model first');
  return model;
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  try {
    switch (msg.type) {
      case 'init': await pickBackend(msg.backend); break;
      case 'train': await train(msg.options); break;
      case 'stop': stopRequested = true; break;
      case 'classify': await classify(msg.pixels); break;
      case 'preview': await preview(msg.choice, msg.count); break;
      case 'save':
        await need().save(STORE);
        post({ type: 'stored', message: `Saved in this browser (${STORE}); it survives a reload.` });
        break;
      case 'load':
        model?.dispose();
        model = await wc.loadModel(STORE);
        await announce(model, `loaded from ${STORE}`);
        post({ type: 'stored', message: `Loaded ${STORE}.` });
        break;
      case 'download': await downloadFiles(need()); break;
    }
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
