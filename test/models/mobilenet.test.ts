// MobileNet V1 and V2 as Keras's applications build them: the published
// parameter counts at alpha 1, and (smaller, so that this stays quick) files
// that move between webcnn and TensorFlow.js with the same predictions, in
// float32 and quantized.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';

beforeAll(async () => { await tf.setBackend('cpu'); });

async function tfArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return saved!;
}

describe('MobileNets', () => {
  it("Keras's parameter counts and shapes at alpha 1", () => {
    const v1 = wc.models.mobilenet();
    const v2 = wc.models.mobilenetV2();
    expect(v1.countParams()).toBe(4_253_864);
    expect(v2.countParams()).toBe(3_538_984);
    expect(v1.getLayer('conv_pw_13_relu').output.shape).toEqual([null, 7, 7, 1024]);
    expect(v2.getLayer('out_relu').output.shape).toEqual([null, 7, 7, 1280]);
    expect(v2.getLayer('block_16_project_BN').output.shape).toEqual([null, 7, 7, 320]);
    expect(v2.layers.filter((l) => l.className === 'Add').length).toBe(10);
    v1.dispose();
    v2.dispose();
  });

  it.each([
    ['V1 alpha 0.25 at 64x64', () => wc.models.mobilenet({ alpha: 0.25, inputShape: [64, 64, 3], numClasses: 7 }), [64, 64, 3]],
    ['V2 alpha 0.35 at 48x48', () => wc.models.mobilenetV2({ alpha: 0.35, inputShape: [48, 48, 3], numClasses: 5 }), [48, 48, 3]],
  ] as const)('%s: webcnn -> TF.js -> webcnn predict the same, float32 and uint8', async (_name, build, shape) => {
    const model = build();
    // random batch-norm statistics, so the files carry more than their initial values
    model.setWeights(model.getWeights().map((w, i) => wc.tensor(randomValues(w.size, 200 + i, 0.2, 1.2), [...w.shape])));
    const x = randomValues(2 * shape.reduce((a, b) => a * b, 1), 3);
    const ours = await (model.predict(wc.tensor(x, [2, ...shape])) as wc.Tensor).data();
    const tfm = await tf.loadLayersModel(tf.io.fromMemory(await wc.modelToArtifacts(model) as unknown as tf.io.ModelArtifacts));
    const theirs = await (tfm.predict(tf.tensor(x, [2, ...shape])) as tf.Tensor).data();
    expectClose(ours, theirs, { atol: 1e-5, rtol: 1e-3 }, 'webcnn -> TF.js');
    const back = await wc.loadModel(await tfArtifacts(tfm) as unknown as wc.ModelArtifacts);
    expectClose(await (back.predict(wc.tensor(x, [2, ...shape])) as wc.Tensor).data(), ours, { atol: 1e-6, rtol: 1e-5 }, 'TF.js -> webcnn');
    const q = await wc.modelToArtifacts(model, { quantize: 'uint8' });
    const tq = await tf.loadLayersModel(tf.io.fromMemory(q as unknown as tf.io.ModelArtifacts));
    const wq = await wc.loadModel(q);
    expectClose(await (wq.predict(wc.tensor(x, [2, ...shape])) as wc.Tensor).data(), await (tq.predict(tf.tensor(x, [2, ...shape])) as tf.Tensor).data(), { atol: 1e-5, rtol: 1e-3 }, 'uint8 in both');
  });
});
