// The full-size zoo against the real TensorFlow.js (4.22, CPU backend): each
// model's saved file loads in tf.loadLayersModel, which rebuilds it with its own
// layers (ZeroPadding2D, BatchNormalization without gamma, 1x7 convs, ...) and
// finds the same parameter count and every layer's output shape; at a small
// input size both predict the same. VGG is left out for its 553 MB (its layers
// are the plainest: conv, max pool, flatten, dense).

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';

// float32 in different orders through ~100 layers: as interchange.test.ts's SAME, a little wider in atol
const SAME = { atol: 1e-5, rtol: 1e-4 };

beforeAll(async () => { await tf.setBackend('cpu'); });

const toTfjs = async (m: wc.LayersModel) =>
  tf.loadLayersModel(tf.io.fromMemory(await wc.modelToArtifacts(m) as unknown as tf.io.ModelArtifacts));

type Make = (o?: wc.models.ZooOptions) => wc.LayersModel;
const cases: [string, Make, number[]][] = [
  ['resnet50', wc.models.resnet50, [32, 32, 3]],
  ['inceptionV3', wc.models.inceptionV3, [75, 75, 3]],
  ['googlenet', wc.models.googlenet, [32, 32, 3]],
];

describe('full-size zoo in TensorFlow.js', () => {
  for (const [name, make, small] of cases) {
    it(`${name}: TF.js rebuilds it with the same count and every layer's output shape; predicts the same at ${small.join('x')}`, async () => {
      const m = make();
      try {
        const t = await toTfjs(m);
        expect(t.countParams()).toBe(m.countParams());
        expect(t.layers.length).toBe(m.layers.length);
        for (const layer of m.layers) {
          expect(t.getLayer(layer.name).outputShape, layer.name).toEqual(layer.inboundNodes[0].output.shape);
        }
        t.dispose();
      } finally {
        m.dispose();
      }
      const s = make({ inputShape: small, numClasses: 10 });
      try {
        const t = await toTfjs(s);
        const x = randomValues(2 * small[0] * small[1] * small[2], 21);
        const ours = await (s.predict(wc.tensor(x, [2, ...small])) as wc.Tensor).data();
        const theirs = await (t.predict(tf.tensor(x, [2, ...small])) as tf.Tensor).data();
        expectClose(ours, theirs, SAME, name);
        t.dispose();
      } finally {
        s.dispose();
      }
    }, 180_000);
  }
});
