// Save and load in TensorFlow.js's layers-model format, proved against the
// real TensorFlow.js (4.22, CPU backend in Node): a model saved by one library
// loads in the other and predicts the same.

import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';

// Both libraries compute in float32 but in different orders: 1e-5 absolute
// plus 1e-4 relative covers the rounding of a few hundred multiply-adds.
const SAME = { atol: 1e-5, rtol: 1e-4 };

async function tfArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return saved!;
}

function tfCnn(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.batchNormalization({}));
  m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }));
  return m;
}

function tfFunctional(): tf.LayersModel {
  const inp = tf.input({ shape: [6, 6, 3] });
  const a = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inp) as tf.SymbolicTensor;
  const b = tf.layers.add().apply([a, inp]) as tf.SymbolicTensor;
  const c = tf.layers.concatenate().apply([b, a]) as tf.SymbolicTensor;
  const d = tf.layers.globalAveragePooling2d({}).apply(c) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(d) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out });
}

/** Random (not initial) weights, so BN moving statistics and biases are exercised too. */
function randomizeTf(m: tf.LayersModel): void {
  m.setWeights(m.getWeights().map((w, i) => {
    const isVariance = w.shape.length === 1 && i >= m.trainableWeights.length && i % 2 === 1;
    return tf.tensor(randomValues(w.size, 100 + i, isVariance ? 0.5 : -0.5, isVariance ? 1.5 : 0.5), w.shape);
  }));
}

describe('TensorFlow.js -> webcnn', () => {
  for (const [name, build, shape] of [['sequential CNN with batch norm', tfCnn, [3, 8, 8, 2]], ['functional add/concatenate', tfFunctional, [2, 6, 6, 3]]] as const) {
    it(`${name}: same predictions`, async () => {
      const tfm = build();
      randomizeTf(tfm);
      const x = randomValues((shape as readonly number[]).reduce((a, b) => a * b, 1), 7);
      const expected = await (tfm.predict(tf.tensor(x, [...shape])) as tf.Tensor).data();
      const model = await wc.loadModel(await tfArtifacts(tfm) as unknown as wc.ModelArtifacts);
      const got = await (model.predict(wc.tensor(x, [...shape])) as wc.Tensor).data();
      expectClose(got, expected, SAME, name);
    });
  }
});

describe('webcnn -> TensorFlow.js', () => {
  it('a zoo model and a functional model load in tf.loadLayersModel and predict the same', async () => {
    const inp = wc.input({ shape: [6, 6, 3] });
    const a = wc.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inp);
    const b = wc.layers.add().apply([a, inp]);
    const out = wc.layers.dense({ units: 2, activation: 'softmax' }).apply(wc.layers.globalMaxPooling2d().apply(wc.layers.concatenate().apply([b, a])));
    for (const [model, shape] of [[wc.models.mnistStandard(), [2, 28, 28, 1]], [wc.model({ inputs: inp, outputs: out }), [2, 6, 6, 3]]] as const) {
      const x = randomValues((shape as readonly number[]).reduce((p, q) => p * q, 1), 9);
      const expected = await (model.predict(wc.tensor(x, [...shape])) as wc.Tensor).data();
      const artifacts = await wc.modelToArtifacts(model);
      const tfm = await tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
      const got = await (tfm.predict(tf.tensor(x, [...shape])) as tf.Tensor).data();
      expectClose(got, expected, SAME, model.name);
    }
  });
});

describe('webcnn round trip and bad files', () => {
  it('saves to a directory (model.json + shards) and loads back identically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webcnn-io-'));
    try {
      const m = wc.models.mnistLight();
      await m.save(dir);
      const back = await wc.loadModel(dir);
      expect(back.getWeights().length).toBe(m.getWeights().length);
      for (const [i, w] of m.getWeights().entries()) expect([...(await back.getWeights()[i].data())]).toEqual([...(await w.data())]);
      const x = wc.tensor(randomValues(784, 3), [1, 28, 28, 1]);
      expect([...(await (back.predict(x) as wc.Tensor).data())]).toEqual([...(await (m.predict(x) as wc.Tensor).data())]);
      const again = await wc.loadModel(`file://${dir}/model.json`);
      expect(again.countParams()).toBe(m.countParams());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses truncated weights, wrong shapes, missing weights, unknown classes and bad JSON, naming the problem', async () => {
    const good = await wc.modelToArtifacts(wc.models.mnistLight());
    await expect(wc.loadModel({ ...good, weightData: good.weightData.slice(0, 100) })).rejects.toThrow(/loadModel: the weight data holds 100 bytes but the manifest's 6 weights need 23976/);
    const wrongShape = { ...good, weightSpecs: good.weightSpecs.map((s, i) => (i === 0 ? { ...s, shape: [5, 5, 8, 1] } : s)) };
    await expect(wc.loadModel(wrongShape)).rejects.toThrow(/weight '.*\/kernel' has shape \[5, 5, 8, 1\] in the file, but the model needs \[5, 5, 1, 8\]/);
    const dropped = { ...good, weightSpecs: good.weightSpecs.slice(1), weightData: good.weightData.slice(4 * 200) };
    await expect(wc.loadModel(dropped)).rejects.toThrow(/the weights file has no values for .*\/kernel/);
    const topo = JSON.parse(JSON.stringify(good.modelTopology)) as { config: { layers: { class_name: string }[] } };
    topo.config.layers[1].class_name = 'FancyPool';
    await expect(wc.loadModel({ ...good, modelTopology: topo })).rejects.toThrow(/unknown layer class 'FancyPool'; webcnn knows Conv2D/);
    const dir = await mkdtemp(join(tmpdir(), 'webcnn-io-'));
    try {
      await writeFile(join(dir, 'model.json'), '{"format": "layers-model", "modelTopology": {');
      await expect(wc.loadModel(dir)).rejects.toThrow(/loadModel: model.json is not valid JSON/);
      await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 'graph-model', modelTopology: {} }));
      await expect(wc.loadModel(dir)).rejects.toThrow(/unsupported model format 'graph-model'/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
