// The transfer-learning demo's engine: webcnn in a Web Worker. It holds the
// frozen base (an embedder, transferCore.ts), the examples' embeddings and
// the head, and answers the page (transferProtocol.ts).

import * as wc from '../src/index.js';
import { embed, headShape, makeEmbedder, makeHead, type Embedder } from './transferCore.js';
import type { FromWorker, HeadSettings, ToWorker } from './transferProtocol.js';

const STORE = 'indexeddb://webcnn-transfer-head';
const FILE_NAME = 'webcnn-transfer-head';
let embedder: Embedder | null = null;
let head: wc.LayersModel | null = null;
/** One [1, dim] embedding per example, with its class. */
let examples: { cls: number; vector: wc.Tensor }[] = [];
const post = (m: FromWorker, transfer: Transferable[] = []): void => postMessage(m, { transfer });

async function pickBackend(wanted: 'webgpu' | 'cpu'): Promise<void> {
  if (wanted === 'cpu') {
    await wc.setBackend('cpu');
    post({ type: 'ready', backend: 'cpu', adapter: 'CPU (chosen with ?backend=cpu)' });
    return;
  }
  try {
    // No kernel autotuning: fit would measure the variants of every shape run so far at the head's first
    // step, the base's fifty-odd convolutions included (minutes on a software adapter), for a head
    // whose matrices are tiny and a base that only infers.
    await wc.setBackend('webgpu', { autotune: false });
    post({ type: 'ready', backend: 'webgpu', adapter: wc.backendInfo().description });
  } catch (err) {
    await wc.setBackend('cpu');
    const why = (err as Error).message.split(/\n|\. /)[0];
    post({ type: 'ready', backend: 'cpu', adapter: 'CPU', notice: `WebGPU is not available here (${why}), so everything runs on the CPU backend: it works, only slower.` });
  }
}

function clearExamples(): void {
  for (const e of examples) e.vector.dispose();
  examples = [];
}

async function useBase(source: wc.LoadSource, from: string): Promise<void> {
  const base = await wc.loadModel(source);
  embedder?.model.dispose();
  clearExamples();
  embedder = makeEmbedder(base);
  const { size, dim, cutAt } = embedder;
  post({ type: 'base', size, dim, description: `${from}: ${base.layers.length} layers, ${base.countParams().toLocaleString('en')} parameters, cut after '${cutAt}': ${size[0]}×${size[1]} images to ${dim} values` });
}

function needEmbedder(): Embedder {
  if (!embedder) throw new Error('load a base model first');
  return embedder;
}

function needHead(): wc.LayersModel {
  if (!head) throw new Error('train or load a head first');
  return head;
}

/** The image's embedding ([1, dim]); the bitmap is closed. */
function embedImage(image: ImageBitmap): wc.Tensor {
  const e = needEmbedder();
  try {
    const pixels = wc.browser.fromPixels(image, 3);
    const v = embed(e, pixels);
    pixels.dispose();
    return v;
  } finally {
    image.close();
  }
}

async function train(classes: number, s: HeadSettings): Promise<void> {
  const e = needEmbedder();
  const counts = Array.from({ length: classes }, (_, k) => examples.filter((x) => x.cls === k).length);
  if (counts.some((n) => n === 0)) throw new Error(`every class needs at least one example; examples per class: ${counts.join(', ')}`);
  const started = performance.now();
  const next = makeHead(e.dim, classes, { hidden: s.hidden, learningRate: s.learningRate });
  const xs = wc.concat(examples.map((x) => x.vector));
  const ys = wc.oneHot(examples.map((x) => x.cls), classes, 1, 0, 'float32');
  let accuracy = 0;
  try {
    await next.fit(xs, ys, {
      epochs: s.epochs, batchSize: Math.min(32, examples.length), shuffle: true, verbose: 0,
      callbacks: [{
        onEpochEnd: async (epoch, logs) => {
          accuracy = logs?.acc ?? NaN;
          post({ type: 'epoch', epoch, epochs: s.epochs, loss: logs?.loss ?? NaN, acc: accuracy, seconds: (performance.now() - started) / 1000 });
        },
      }],
    });
  } finally {
    xs.dispose();
    ys.dispose();
  }
  head?.dispose();
  head = next;
  post({ type: 'trained', accuracy, examples: examples.length, seconds: (performance.now() - started) / 1000 });
}

async function predict(id: number, image: ImageBitmap): Promise<void> {
  const h = needHead();
  const v = embedImage(image);
  const p = h.predict(v) as wc.Tensor;
  const [probabilities, embedding] = await Promise.all([p.data(), v.data()]);
  p.dispose();
  v.dispose();
  post({ type: 'prediction', id, probabilities: Array.from(probabilities), embedding }, [embedding.buffer]);
}

async function useHead(source: wc.LoadSource, from: string): Promise<void> {
  const next = await wc.loadModel(source);
  const { dim, classes } = headShape(next);
  const e = needEmbedder();
  if (dim !== e.dim) {
    next.dispose();
    throw new Error(`the head takes ${dim} values per image but this base gives ${e.dim}: it was trained on another base`);
  }
  head?.dispose();
  head = next;
  post({ type: 'head', classes, description: `${from}: ${classes} classes, ${next.countParams().toLocaleString('en')} parameters` });
}

/** The head as TF.js layers-model files (model.json + weights) for the page to download. */
async function download(): Promise<void> {
  await needHead().save({
    save: async (a: wc.ModelArtifacts) => {
      const json = {
        format: 'layers-model', generatedBy: a.generatedBy, convertedBy: null, modelTopology: a.modelTopology,
        weightsManifest: [{ paths: [`${FILE_NAME}.weights.bin`], weights: a.weightSpecs }],
      };
      post({ type: 'download', files: [
        { name: `${FILE_NAME}.json`, blob: new Blob([JSON.stringify(json)], { type: 'application/json' }) },
        { name: `${FILE_NAME}.weights.bin`, blob: new Blob([a.weightData], { type: 'application/octet-stream' }) },
      ] });
      return {};
    },
  });
}

// One message at a time, in order: an image added while the base loads waits for it.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  queue = queue.then(() => handle(msg)).catch((err: unknown) => post({ type: 'error', during: msg.type, message: (err as Error).message }));
};

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init': await pickBackend(msg.backend); break;
    case 'loadBase': await useBase(msg.url, msg.url); break;
    case 'loadBaseFiles': await useBase(wc.io.browserFiles(msg.files), msg.files.map((f) => f.name).join(', ')); break;
    case 'add': {
      try {
        examples.push({ cls: msg.cls, vector: embedImage(msg.image) });
      } catch (err) {
        // the page counts answers: a refused image still gets one
        post({ type: 'added', id: msg.id, cls: msg.cls, examples: examples.length });
        throw err;
      }
      post({ type: 'added', id: msg.id, cls: msg.cls, examples: examples.length });
      break;
    }
    case 'clear': clearExamples(); break;
    case 'train': await train(msg.classes, msg.settings); break;
    case 'predict': await predict(msg.id, msg.image); break;
    case 'save':
      await needHead().save(STORE);
      post({ type: 'stored', message: `Saved the head in this browser (${STORE}).` });
      break;
    case 'load': await useHead(STORE, `loaded from ${STORE}`); post({ type: 'stored', message: `Loaded the head from ${STORE}.` }); break;
    case 'loadFiles': await useHead(wc.io.browserFiles(msg.files), `loaded from ${msg.files.map((f) => f.name).join(', ')}`); post({ type: 'stored', message: 'Loaded the head from the picked files.' }); break;
    case 'download': await download(); break;
  }
}
