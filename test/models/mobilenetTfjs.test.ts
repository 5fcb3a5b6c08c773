// MobileNet V1 and V2 made by the real TensorFlow.js (4.22, CPU backend), the
// other way round from mobilenet.test.ts: TF.js builds them with Keras's layer
// names and random weights and saves them in float32, and in uint8, uint16
// and float16 as tensorflowjs_converter writes them (test/util/tfjsQuantize.ts).
// webcnn loads each file and predicts what TF.js predicts from it; webcnn's
// saves load back in tf.loadLayersModel with the same predictions; and a
// frozen-base fine-tune trains the same head in both libraries.
//
// TF.js's BatchNormalization ignores `trainable`: in trainOnBatch a frozen
// base's batch norms still normalize by the batch's statistics and move
// their moving ones, where Keras (and webcnn) run them in inference mode. So
// the TF.js side of the fine-tune trains the head on the frozen base's
// embeddings (the Keras semantics), and one test pins that TF.js difference.

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { randomizeBatchNorm, tfjsMobileNetV1, tfjsMobileNetV2 } from '../util/tfjsMobileNet.js';
import { joinWeightData, quantizeArtifacts, type QuantizeDtype } from '../util/tfjsQuantize.js';

// float32 through ~60-150 layers, summed in different orders
const SAME = { atol: 1e-6, rtol: 1e-4 };
const SHAPE: [number, number, number] = [40, 40, 3];
const BATCH = 3;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await wc.setBackend('cpu');
});

async function tfArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return saved!;
}

const asWc = (a: tf.io.ModelArtifacts) => a as unknown as wc.ModelArtifacts;
const asTf = (a: wc.ModelArtifacts) => a as unknown as tf.io.ModelArtifacts;
const tfLoad = (a: tf.io.ModelArtifacts) => tf.loadLayersModel(tf.io.fromMemory(a));

async function wcPredict(m: wc.LayersModel, x: Float32Array): Promise<Float32Array> {
  const xt = wc.tensor(x, [BATCH, ...SHAPE]);
  const y = m.predict(xt) as wc.Tensor;
  const out = await y.data();
  xt.dispose();
  y.dispose();
  return out as Float32Array;
}

async function tfPredict(m: tf.LayersModel, x: Float32Array): Promise<Float32Array> {
  return tf.tidy(() => m.predict(tf.tensor(x, [BATCH, ...SHAPE])) as tf.Tensor).data() as Promise<Float32Array>;
}

/** Each float32 weight of a file by name, as the file stores it. */
function fileWeights(a: tf.io.ModelArtifacts): Map<string, { values: Float32Array; scale?: number }> {
  const data = joinWeightData(a.weightData as ArrayBuffer | ArrayBuffer[]);
  const out = new Map<string, { values: Float32Array; scale?: number }>();
  let at = 0;
  for (const spec of a.weightSpecs ?? []) {
    const n = spec.shape.reduce((p, q) => p * q, 1);
    out.set(spec.name, { values: new Float32Array(data.slice(at, at + 4 * n)) });
    at += 4 * n;
  }
  return out;
}

interface Case {
  name: string;
  build: () => tf.LayersModel;
  /** The layer a fine-tune cuts at. */
  embedding: string;
  /** Class names the topology must hold. */
  classes: string[];
}

const cases: Case[] = [
  {
    name: 'MobileNet V1, alpha 0.25',
    build: () => tfjsMobileNetV1(tf, { alpha: 0.25, inputShape: SHAPE, numClasses: 6 }),
    embedding: 'global_average_pooling2d_1',
    classes: ['ZeroPadding2D', 'DepthwiseConv2D', 'ReLU', 'GlobalAveragePooling2D', 'Reshape', 'Dropout', 'Activation'],
  },
  {
    name: 'MobileNet V2, alpha 0.35',
    build: () => tfjsMobileNetV2(tf, { alpha: 0.35, inputShape: SHAPE, numClasses: 5 }),
    embedding: 'global_average_pooling2d',
    classes: ['ZeroPadding2D', 'DepthwiseConv2D', 'ReLU', 'Add', 'GlobalAveragePooling2D', 'Dense'],
  },
];

describe.each(cases)('$name made by TF.js', ({ build, embedding, classes }) => {
  let tfm: tf.LayersModel;
  let f32: tf.io.ModelArtifacts;
  let wm: wc.LayersModel;
  const x = randomValues(BATCH * SHAPE[0] * SHAPE[1] * SHAPE[2], 7);
  let expected: Float32Array;

  beforeAll(async () => {
    tfm = build();
    randomizeBatchNorm(tf, tfm, 11);
    f32 = await tfArtifacts(tfm);
    wm = await wc.loadModel(asWc(f32));
    expected = await tfPredict(tfm, x);
  });
  afterAll(() => {
    tfm.dispose();
    wm.dispose();
  });

  it("float32: webcnn loads TF.js's file, Keras's layers and names, and predicts the same", async () => {
    expect(wm.layers.map((l) => l.name)).toEqual(tfm.layers.map((l) => l.name));
    const own = new Set(wm.layers.map((l) => l.className));
    for (const c of classes) expect(own, c).toContain(c);
    expect(wm.countParams()).toBe(tfm.countParams());
    // 'same' stride-2 depthwise (V1) or pad-then-'valid' (V2): the shapes TF.js found at each layer
    for (const layer of tfm.layers) expect(wm.getLayer(layer.name).output.shape, layer.name).toEqual(layer.outputShape);
    expectClose(await wcPredict(wm, x), expected, SAME, 'float32');
  });

  it.each(['uint8', 'uint16', 'float16'] as QuantizeDtype[])('%s as tensorflowjs_converter writes it: the dequantized weights and the predictions agree with TF.js', async (dtype) => {
    const q = quantizeArtifacts(f32, dtype);
    expect(q.weightSpecs![0].quantization).toEqual(dtype === 'float16' ? { dtype } : { dtype, min: expect.any(Number), scale: expect.any(Number) });
    const wq = await wc.loadModel(asWc(q));
    const tq = await tfLoad(q);
    try {
      const original = fileWeights(f32);
      const tfWeights = new Map(tq.weights.map((w, i) => [w.originalName, tq.getWeights()[i]]));
      let worst = 0;
      for (const w of wq.weights) {
        const ours = await w.read().data();
        // exactly what TF.js dequantized
        expectClose(ours, await tfWeights.get(w.name)!.data(), { atol: 0, rtol: 0 }, `${w.name} against TF.js`);
        // and within what the encoding allows of the float32 value: half a step, or half a float16 ulp
        const spec = q.weightSpecs!.find((s) => s.name === w.name)!;
        const orig = original.get(w.name)!.values;
        const tol = dtype === 'float16' ? { atol: 2 ** -25, rtol: 2 ** -11 } : { atol: spec.quantization!.scale! / 2 * (1 + 1e-6) + 1e-7, rtol: 0 };
        expectClose(ours, orig, tol, `${w.name} against float32`);
        for (let i = 0; i < orig.length; i++) worst = Math.max(worst, Math.abs(ours[i] - orig[i]));
      }
      expect(worst, 'the weights were quantized').toBeGreaterThan(0);
      const ours = await wcPredict(wq, x);
      expectClose(ours, await tfPredict(tq, x), SAME, dtype);
    } finally {
      wq.dispose();
      tq.dispose();
    }
  });

  it.each([undefined, 'uint8', 'float16'] as const)("webcnn's save (quantize %s) loads in tf.loadLayersModel and predicts the same", async (quantize) => {
    const saved = await wc.modelToArtifacts(wm, quantize ? { quantize } : {});
    const back = await tfLoad(asTf(saved));
    try {
      expect(back.layers.map((l) => l.name)).toEqual(tfm.layers.map((l) => l.name));
      if (!quantize) {
        expectClose(await tfPredict(back, x), expected, SAME, 'float32 save');
        return;
      }
      expect(saved.weightSpecs![0].quantization?.dtype).toBe(quantize);
      const wq = await wc.loadModel(saved);
      expectClose(await tfPredict(back, x), await wcPredict(wq, x), SAME, `${quantize} save`);
      wq.dispose();
    } finally {
      back.dispose();
    }
  });

  it.each(['sgd', 'adam'] as const)('a frozen-base fine-tune with %s: three steps give the same head in both libraries', async (opt) => {
    const classesOut = 3;
    const y = new Float32Array(BATCH * classesOut);
    for (let i = 0; i < BATCH; i++) y[i * classesOut + (i % classesOut)] = 1;
    const width = tfm.getLayer(embedding).outputShape[1] as number;
    const kernel = randomValues(width * classesOut, 21, -0.3, 0.3);
    const bias = randomValues(classesOut, 22, -0.1, 0.1);

    // webcnn: the whole model on images, its base frozen (batch norm in inference mode, as Keras)
    const base = await wc.loadModel(asWc(f32));
    base.trainable = false;
    const headLayer = wc.layers.dense({ units: classesOut, activation: 'softmax', name: 'head' });
    const ours = wc.model({ inputs: base.inputs, outputs: headLayer.apply(base.getLayer(embedding).output) as wc.SymbolicTensor });
    headLayer.setWeights([wc.tensor(kernel, [width, classesOut]), wc.tensor(bias, [classesOut])]);
    ours.compile({ optimizer: opt === 'sgd' ? wc.optimizers.sgd({ learningRate: 0.02 }) : wc.optimizers.adam({ learningRate: 0.005 }), loss: 'categoricalCrossentropy' });
    const bnName = tfm.layers.find((l) => l.getClassName() === 'BatchNormalization')!.name;
    const movingMean = () => base.getLayer(bnName).weights.find((w) => w.name.endsWith('moving_mean'))!.read().data();
    const before = await movingMean();
    const xt = wc.tensor(x, [BATCH, ...SHAPE]);
    const yt = wc.tensor(y, [BATCH, classesOut]);
    const ourLosses: number[] = [];
    for (let s = 0; s < 3; s++) ourLosses.push(await ours.trainOnBatch(xt, yt) as number);

    // TF.js: the head alone on the frozen base's embeddings (inference mode), the same start. Both
    // bases give the same embeddings (checked here); TF.js's head then trains on webcnn's, because
    // Adam divides each gradient by its own size: where one is near epsilon, float32 noise in the
    // embeddings far inside SAME changes that weight's step by far more than SAME. With the same
    // embeddings the head's training is compared on its own.
    const cut = tf.model({ inputs: tfm.inputs, outputs: tfm.getLayer(embedding).output as tf.SymbolicTensor });
    const theirEmb = await tfPredict(cut, x);
    const ourEmb = await wcPredict(wc.model({ inputs: base.inputs, outputs: base.getLayer(embedding).output }), x);
    expectClose(ourEmb, theirEmb, SAME, 'embeddings');
    const emb = tf.tensor(ourEmb, [BATCH, width]);
    const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [width], units: classesOut, activation: 'softmax', name: 'head' })] });
    head.setWeights([tf.tensor(kernel, [width, classesOut]), tf.tensor(bias, [classesOut])]);
    head.compile({ optimizer: opt === 'sgd' ? tf.train.sgd(0.02) : tf.train.adam(0.005), loss: 'categoricalCrossentropy' });
    const ys = tf.tensor(y, [BATCH, classesOut]);
    const theirLosses: number[] = [];
    for (let s = 0; s < 3; s++) theirLosses.push(await head.trainOnBatch(emb, ys) as number);

    expectClose(ourLosses, theirLosses, SAME, 'losses');
    expect(ourLosses[2]).toBeLessThan(ourLosses[0]);
    const [k, b] = headLayer.getWeights();
    const [tk, tb] = head.getWeights();
    expectClose(await k.data(), await tk.data(), SAME, 'head kernel');
    expectClose(await b.data(), await tb.data(), SAME, 'head bias');
    expect(Math.max(...(await k.data()).map((v, i) => Math.abs(v - kernel[i])))).toBeGreaterThan(1e-3);
    // the frozen base is untouched: its batch norms' moving statistics stayed where they were
    expectClose(await movingMean(), before, { atol: 0, rtol: 0 }, 'moving mean');

    ours.dispose();
    tf.dispose([emb, ys]);
    head.dispose();
    xt.dispose();
    yt.dispose();
  });

  it("TF.js's own frozen base still runs its batch norms in training mode (why its side trains on embeddings)", async () => {
    const base = await tfLoad(f32);
    for (const l of base.layers) l.trainable = false;
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(base.getLayer(embedding).output) as tf.SymbolicTensor;
    const m = tf.model({ inputs: base.inputs, outputs: out });
    m.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    const bn = base.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
    const movingMean = () => bn.weights.find((w) => w.originalName.endsWith('moving_mean'))!.read().data();
    const before = await movingMean();
    const xs = tf.tensor(x, [BATCH, ...SHAPE]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 0], 'int32'), 2);
    await m.trainOnBatch(xs, ys);
    const after = await movingMean();
    expect(Math.max(...after.map((v, i) => Math.abs(v - before[i])))).toBeGreaterThan(1e-4);
    tf.dispose([xs, ys]);
    m.dispose();
  });
}, 300_000);
