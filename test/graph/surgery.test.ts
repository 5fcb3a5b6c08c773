// Model surgery, as TF.js does transfer learning: a layer's symbolic output
// and input, a model cut from another at an inner layer (built or loaded), and
// a frozen base under a new head: fit leaves the base's weights and its batch
// norm's moving statistics as they were (batch norm runs in inference mode
// when frozen, as Keras's), and trains the head.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';

const t = (v: ArrayLike<number>, s: number[]) => wc.tensor(Float32Array.from(v), s);
const values = async (ts: wc.Tensor[]) => Promise.all(ts.map(async (x) => Array.from(await x.data())));

function base(): wc.LayersModel {
  const inp = wc.input({ shape: [6, 6, 2], name: 'image' });
  const c1 = wc.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c1', kernelInitializer: wc.initializers.glorotUniform({ seed: 1 }) }).apply(inp);
  const bn = wc.layers.batchNormalization({ name: 'bn' }).apply(c1);
  const r = wc.layers.reLU({ name: 'relu' }).apply(bn);
  const feat = wc.layers.globalAveragePooling2d({ name: 'features' }).apply(r);
  const out = wc.layers.dense({ units: 3, activation: 'softmax', name: 'classes' }).apply(feat);
  return wc.model({ inputs: inp, outputs: out });
}

describe('model surgery', () => {
  it("layer.output and layer.input are the call site's symbolic tensors; a model cut at one predicts what the inner layer computes", async () => {
    const m = base();
    expect(m.getLayer('features').output.shape).toEqual([null, 4]);
    expect((m.getLayer('bn').input as wc.SymbolicTensor).shape).toEqual([null, 6, 6, 4]);
    expect(m.getLayer(0).input).toBe(m.inputs[0]);
    const cut = wc.model({ inputs: m.inputs, outputs: m.getLayer('features').output });
    expect(cut.layers.map((l) => l.name)).toEqual(['image', 'c1', 'bn', 'relu', 'features']);
    const x = t(randomValues(2 * 72, 3), [2, 6, 6, 2]);
    const full = wc.model({ inputs: m.inputs, outputs: m.getLayer('relu').output });
    const relu = (await (full.predict(x) as wc.Tensor).array()) as number[][][][];
    const mean = relu.map((img) => [0, 1, 2, 3].map((c) => img.flat().reduce((s, px) => s + (px as unknown as number[])[c], 0) / 36));
    const got = (await (cut.predict(x) as wc.Tensor).array()) as number[][];
    got.forEach((row, i) => row.forEach((v, c) => expect(v).toBeCloseTo(mean[i][c], 5)));
    // the layers are shared, not copied
    expect(cut.getLayer('c1')).toBe(m.getLayer('c1'));
    const shared = wc.layers.dense({ units: 1 });
    shared.apply(m.getLayer('features').output);
    shared.apply(m.getLayer('features').output);
    expect(() => shared.output).toThrow(/is called at 2 places, so its output is ill-defined/);
    expect(() => wc.layers.dense({ units: 1 }).output).toThrow(/is not connected, so it has no output/);
  });

  it('a loaded model is cut the same way', async () => {
    const m = base();
    const saved: { a?: wc.ModelArtifacts } = {};
    await m.save({ save: async (a) => { saved.a = a; return {}; } });
    const loaded = await wc.loadModel(saved.a!);
    const cut = wc.model({ inputs: loaded.inputs, outputs: loaded.getLayer('features').output });
    const x = t(randomValues(72, 4), [1, 6, 6, 2]);
    const want = await (wc.model({ inputs: m.inputs, outputs: m.getLayer('features').output }).predict(x) as wc.Tensor).data();
    expect(Array.from(await (cut.predict(x) as wc.Tensor).data())).toEqual(Array.from(want));
  });

  it('a frozen base under a new head: fit trains the head only, and the base batch norm keeps its statistics', async () => {
    const m = base();
    for (const l of m.layers) l.trainable = false;
    const features = m.getLayer('features').output;
    const head = wc.layers.dense({ units: 2, activation: 'softmax', name: 'head', kernelInitializer: wc.initializers.glorotUniform({ seed: 2 }) }).apply(features);
    const tl = wc.model({ inputs: m.inputs, outputs: head });
    expect(tl.trainableWeights.map((w) => w.name)).toEqual(['head/kernel', 'head/bias']);
    const baseBefore = await values(m.getLayer('c1').getWeights().concat(m.getLayer('bn').getWeights()));
    const headBefore = await values(tl.getLayer('head').getWeights());
    tl.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
    const x = t(randomValues(8 * 72, 5), [8, 6, 6, 2]);
    const y = t(Array.from({ length: 8 }, (_, i) => (i % 2 ? [0, 1] : [1, 0])).flat(), [8, 2]);
    await tl.fit(x, y, { epochs: 2, batchSize: 4 });
    expect(await values(m.getLayer('c1').getWeights().concat(m.getLayer('bn').getWeights()))).toEqual(baseBefore);
    expect(await values(tl.getLayer('head').getWeights())).not.toEqual(headBefore);
    // and the frozen batch norm normalized with its moving statistics in training: training and inference outputs agree
    const cut = wc.model({ inputs: m.inputs, outputs: m.getLayer('bn').output });
    const inference = await (cut.predict(x) as wc.Tensor).data();
    const training = await (cut.apply(x, { training: true }) as wc.Tensor).data();
    // (predict folds the batch norm into the conv, so the two agree to rounding)
    expect(Math.max(...Array.from(training, (v, i) => Math.abs(v - inference[i])))).toBeLessThan(1e-5);
    // a trainable batch norm in training mode normalizes with the batch's statistics instead
    m.getLayer('bn').trainable = true;
    const batch = await (cut.apply(x, { training: true }) as wc.Tensor).data();
    expect(Math.max(...Array.from(batch, (v, i) => Math.abs(v - inference[i])))).toBeGreaterThan(1e-2);
  });
});
