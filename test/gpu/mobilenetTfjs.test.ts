// A MobileNet V2 file made and saved by the real TensorFlow.js (in Node, CPU
// backend, random weights) on WebGPU: webcnn loads it on both backends in the
// page and predicts the same as its CPU reference and as TF.js; a frozen-base
// fine-tune (new dense head, Adam, three steps) trains the same head on WebGPU
// as on the CPU, and as TF.js trains it on those embeddings (TF.js's own
// batch norm ignores `trainable`; test/models/mobilenetTfjs.test.ts). One page call.

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';
import { expectClose, randomValues } from '../util/check.js';
import { randomizeBatchNorm, tfjsMobileNetV2 } from '../util/tfjsMobileNet.js';
import { joinWeightData } from '../util/tfjsQuantize.js';

const SHAPE: [number, number, number] = [32, 32, 3];
const BATCH = 2;
const CLASSES = 3;
const EMBEDDING = 'global_average_pooling2d';
// float32 through ~150 layers in different orders (mobilenetTfjs.test.ts's)
const SAME = { atol: 1e-6, rtol: 1e-4 };

let gp: GpuPage;
beforeAll(async () => {
  gp = await GpuPage.open();
  await tf.setBackend('cpu');
});
afterAll(async () => { await gp?.close(); });

interface PageArgs {
  topology: object;
  specs: object[];
  data: string;
  x: number[];
  y: number[];
  kernel: number[];
  bias: number[];
  shape: number[];
  width: number;
  classes: number;
  embedding: string;
}

interface BackendResult { predict: number[]; embedding: number[]; losses: number[]; kernel: number[]; bias: number[]; webgpu: boolean }

describe('MobileNet V2 made by TF.js, on WebGPU', () => {
  it('predicts as the CPU and TF.js do; a frozen-base fine-tune trains the same head', async () => {
    const tfm = tfjsMobileNetV2(tf, { alpha: 0.35, inputShape: SHAPE, numClasses: 5 });
    randomizeBatchNorm(tf, tfm, 5);
    let saved: tf.io.ModelArtifacts | null = null;
    await tfm.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const artifacts = saved! as tf.io.ModelArtifacts;
    const x = randomValues(BATCH * SHAPE[0] * SHAPE[1] * SHAPE[2], 3);
    const y = new Float32Array(BATCH * CLASSES);
    for (let i = 0; i < BATCH; i++) y[i * CLASSES + (i % CLASSES)] = 1;
    const width = tfm.getLayer(EMBEDDING).outputShape[1] as number;
    const kernel = randomValues(width * CLASSES, 21, -0.3, 0.3);
    const bias = randomValues(CLASSES, 22, -0.1, 0.1);

    // TF.js: its predictions and the frozen base's embeddings
    const expected = await (tfm.predict(tf.tensor(x, [BATCH, ...SHAPE])) as tf.Tensor).data();
    const cut = tf.model({ inputs: tfm.inputs, outputs: tfm.getLayer(EMBEDDING).output as tf.SymbolicTensor });
    const tfEmb = await (cut.predict(tf.tensor(x, [BATCH, ...SHAPE])) as tf.Tensor).data();

    const args: PageArgs = {
      topology: artifacts.modelTopology as object, specs: artifacts.weightSpecs as object[],
      data: Buffer.from(joinWeightData(artifacts.weightData as ArrayBuffer | ArrayBuffer[])).toString('base64'),
      x: Array.from(x), y: Array.from(y), kernel: Array.from(kernel), bias: Array.from(bias), shape: SHAPE, width, classes: CLASSES, embedding: EMBEDDING,
    };
    const r = await gp.run(async ({ wc, engine }, a) => {
      const bytes = Uint8Array.from(atob(a.data), (c) => c.charCodeAt(0));
      const files = { modelTopology: a.topology, weightSpecs: a.specs, weightData: bytes.buffer, format: 'layers-model' } as unknown as Parameters<typeof wc.loadModel>[0];
      const out: Record<string, BackendResult> = {};
      for (const backend of ['cpu', 'webgpu'] as const) {
        await wc.setBackend(backend);
        const xs = wc.tensor(a.x, [a.x.length / a.shape.reduce((p, q) => p * q, 1), ...a.shape]);
        const ys = wc.tensor(a.y, [a.y.length / a.classes, a.classes]);
        const model = await wc.loadModel(files);
        const p = model.predict(xs) as InstanceType<typeof wc.Tensor>;
        const predict = Array.from(await p.data());
        const e = wc.model({ inputs: model.inputs, outputs: model.getLayer(a.embedding).output }).predict(xs) as InstanceType<typeof wc.Tensor>;
        const embedding = Array.from(await e.data());
        p.dispose();
        e.dispose();
        model.dispose();
        const base = await wc.loadModel(files);
        base.trainable = false;
        const dense = wc.layers.dense({ units: a.classes, activation: 'softmax', name: 'head' });
        const ft = wc.model({ inputs: base.inputs, outputs: dense.apply(base.getLayer(a.embedding).output) as InstanceType<typeof wc.SymbolicTensor> });
        dense.setWeights([wc.tensor(a.kernel, [a.width, a.classes]), wc.tensor(a.bias, [a.classes])]);
        ft.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.005 }), loss: 'categoricalCrossentropy' });
        const losses: number[] = [];
        for (let s = 0; s < 3; s++) losses.push(await ft.trainOnBatch(xs, ys) as number);
        const [k, b] = dense.getWeights();
        out[backend] = {
          predict, embedding, losses, kernel: Array.from(await k.data()), bias: Array.from(await b.data()),
          webgpu: engine.backend().name === 'webgpu',
        };
        ft.dispose();
        base.dispose();
        xs.dispose();
        ys.dispose();
      }
      return out;
    }, args);

    expect([r.cpu.webgpu, r.webgpu.webgpu]).toEqual([false, true]);
    expectClose(r.cpu.predict, expected, SAME, 'CPU against TF.js');
    expectParity(r.webgpu.predict, r.cpu.predict, 'WebGPU predict against the CPU');
    expectClose(r.webgpu.predict, expected, SAME, 'WebGPU against TF.js');
    expectParity(r.webgpu.losses, r.cpu.losses, 'fine-tune losses');
    expectParity(r.webgpu.kernel, r.cpu.kernel, 'head kernel');
    expectParity(r.webgpu.bias, r.cpu.bias, 'head bias');

    // TF.js's head (Keras's semantics) trains on WebGPU's embeddings, once they match its own: Adam
    // divides each gradient by its own size, so where one is near epsilon, float32 noise in the
    // embeddings far inside SAME moves that weight's step by more than SAME (mobilenetTfjs.test.ts)
    expectClose(r.webgpu.embedding, tfEmb, SAME, 'WebGPU embeddings against TF.js');
    const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [width], units: CLASSES, activation: 'softmax' })] });
    head.setWeights([tf.tensor(kernel, [width, CLASSES]), tf.tensor(bias, [CLASSES])]);
    head.compile({ optimizer: tf.train.adam(0.005), loss: 'categoricalCrossentropy' });
    const emb = tf.tensor(r.webgpu.embedding, [BATCH, width]);
    const tfLosses: number[] = [];
    for (let s = 0; s < 3; s++) tfLosses.push(await head.trainOnBatch(emb, tf.tensor(y, [BATCH, CLASSES])) as number);
    const [tk, tb] = await Promise.all(head.getWeights().map((w) => w.data()));
    expectClose(r.webgpu.kernel, tk, SAME, 'head kernel against TF.js');
    expectClose(r.webgpu.bias, tb, SAME, 'head bias against TF.js');
    expectClose(r.webgpu.losses, tfLosses, SAME, 'losses against TF.js');
    expect(Math.max(...r.webgpu.kernel.map((v, i) => Math.abs(v - kernel[i])))).toBeGreaterThan(1e-3);
    tfm.dispose();
    head.dispose();
  }, 300_000);
});
