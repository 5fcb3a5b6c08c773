// The transfer-learning demo's engine work (demo/transferCore.ts) in Node:
// where the base is cut, what the embedder holds, how pixels become
// MobileNet inputs, and that a head trained on the embeddings of the
// end-to-end test's random MobileNet tells its three synthetic classes apart.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cutLayer, embed, headShape, makeEmbedder, makeHead, toInput } from '../../demo/transferCore.js';
import { CLASS_NAMES, pixelsOf, randomMobileNet, syntheticImage } from '../e2e/transferFixtures.js';

describe('transfer demo: cutting the base', () => {
  it("cuts MobileNet V2 at 'out_relu', then pools: a frozen embedder of 1280 values", () => {
    const base = wc.models.mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 3], numClasses: 5 });
    expect(cutLayer(base).name).toBe('out_relu');
    const e = makeEmbedder(base);
    expect(e).toMatchObject({ size: [32, 32], dim: 1280, cutAt: 'out_relu' });
    expect(e.model.outputs[0].shape).toEqual([null, 1280]);
    expect(e.model.trainableWeights).toEqual([]);
    expect(e.model.layers.at(-1)!.className).toBe('GlobalAveragePooling2D');
  });

  it('without the named layer, cuts after the last feature map; without any, refuses', () => {
    const inp = wc.input({ shape: [8, 8, 3] });
    const conv = wc.layers.conv2d({ filters: 4, kernelSize: 3, name: 'c1' }).apply(inp) as wc.SymbolicTensor;
    const pool = wc.layers.maxPooling2d({ poolSize: 2, name: 'p1' }).apply(conv) as wc.SymbolicTensor;
    const flat = wc.layers.flatten({ name: 'f' }).apply(pool) as wc.SymbolicTensor;
    const cnn = wc.model({ inputs: inp, outputs: wc.layers.dense({ units: 2, name: 'd' }).apply(flat) as wc.SymbolicTensor });
    expect(cutLayer(cnn).name).toBe('p1');
    expect(cutLayer(cnn, 'c1').name).toBe('c1');
    expect(makeEmbedder(cnn)).toMatchObject({ dim: 4, cutAt: 'p1', size: [8, 8] });
    const dense = wc.sequential({ layers: [wc.layers.dense({ inputShape: [3], units: 2 })] });
    expect(() => cutLayer(dense)).toThrow(/no layer named 'out_relu' and no layer with a 4-D/);
  });

  it('pixels 0..255 become a batch of one at the base size, in [-1, 1]', async () => {
    const px = wc.tensor([0, 255, 51, 255, 0, 102, 0, 255, 153, 255, 0, 204], [2, 2, 3]);
    const x = toInput(px, [4, 4]);
    expect(x.shape).toEqual([1, 4, 4, 3]);
    const want = await wc.image.resizeBilinear(px, [4, 4]).div(127.5).sub(1).data();
    expect(Array.from(await x.data())).toEqual(Array.from(want));
    // the top-left pixel is copied: (0, 255, 51) -> (-1, 1, -0.6)
    expect(Array.from((await x.data()).slice(0, 3)).map((v) => +v.toFixed(5))).toEqual([-1, 1, -0.6]);
  });

  it('the head: dense layers sized by the embedding and the classes', () => {
    const head = makeHead(1280, 4, { hidden: 16, learningRate: 0.01 });
    expect(headShape(head)).toEqual({ dim: 1280, classes: 4 });
    expect(head.countParams()).toBe(1280 * 16 + 16 + 16 * 4 + 4);
  });
});

describe('transfer demo: the end-to-end fixture', () => {
  it('a head on the random MobileNet embeddings tells the three classes apart (>= 90% held out)', async () => {
    const base = await randomMobileNet(64);
    const e = makeEmbedder(base);
    const embedOne = (cls: number, seed: number): wc.Tensor => {
      const px = pixelsOf(syntheticImage(cls, seed, 80));
      const v = embed(e, px);
      px.dispose();
      return v;
    };
    const train = CLASS_NAMES.flatMap((_, c) => Array.from({ length: 6 }, (_, s) => ({ c, v: embedOne(c, s) })));
    const test = CLASS_NAMES.flatMap((_, c) => Array.from({ length: 6 }, (_, s) => ({ c, v: embedOne(c, 1000 + s) })));
    const head = makeHead(e.dim, 3);
    await head.fit(wc.concat(train.map((t) => t.v)), wc.oneHot(train.map((t) => t.c), 3, 1, 0, 'float32'), { epochs: 30, batchSize: 32, verbose: 0 });
    const predicted = await (head.predict(wc.concat(test.map((t) => t.v))) as wc.Tensor).argMax(-1).data();
    const accuracy = test.filter((t, i) => predicted[i] === t.c).length / test.length;
    console.log(`transfer fixture: held-out accuracy ${accuracy}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
