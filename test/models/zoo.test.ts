import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';

describe('model zoo', () => {
  it('mnistLight: 8@5x5 (208) + 16@5x5 (3,216) + dense 256->10 (2,570) = 5,994 params', () => {
    const m = wc.models.mnistLight();
    expect(m.countParams()).toBe(208 + 3216 + 2570);
    expect(m.outputs[0].shape).toEqual([null, 10]);
  });

  it('mnistStandard: convs 288 + 9,248 + 18,432, BN 128 + 256, dense 204,928 + 1,290 = 234,570', () => {
    const m = wc.models.mnistStandard();
    // conv1 3*3*1*32 (no bias); BN 4*32; conv2 3*3*32*32+32; conv3 3*3*32*64 (no bias);
    // BN 4*64; 5x5x64 = 1,600 -> 128: 1,600*128+128; 128*10+10.
    expect(m.countParams()).toBe(288 + 128 + 9248 + 18432 + 256 + 204928 + 1290);
  });

  it('lenet5: 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706', () => {
    expect(wc.models.lenet5().countParams()).toBe(156 + 2416 + 48120 + 10164 + 850);
  });

  it('alexnet: the published ~62.3M, exactly 62,378,344 for 227x227x3', () => {
    const m = wc.models.alexnet();
    expect(m.countParams()).toBe(62_378_344);
    expect(m.layers[0].computeOutputShape([null, 227, 227, 3])).toEqual([null, 55, 55, 96]);
  });

  it('smallResNet and smallVgg build and predict the right shapes', () => {
    const r = wc.models.smallResNet({ inputShape: [8, 8, 1], numClasses: 3 });
    expect(r.outputs[0].shape).toEqual([null, 3]);
    expect((r.predict(wc.tensor(new Float32Array(2 * 64), [2, 8, 8, 1])) as wc.Tensor).shape).toEqual([2, 3]);
    const v = wc.models.smallVgg({ inputShape: [8, 8, 3], numClasses: 4 });
    expect((v.predict(wc.tensor(new Float32Array(8 * 8 * 3), [1, 8, 8, 3])) as wc.Tensor).shape).toEqual([1, 4]);
  });

  it('the two demo models train a step on the CPU', async () => {
    for (const m of [wc.models.mnistLight(), wc.models.mnistStandard()]) {
      m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const x = wc.tensor(Float32Array.from({ length: 4 * 784 }, (_, i) => (i % 7) / 7), [4, 28, 28, 1]);
      const y = wc.tensor(Float32Array.from({ length: 40 }, (_, i) => (i % 11 === 0 ? 1 : 0)), [4, 10]);
      const h = await m.fit(x, y, { batchSize: 4, epochs: 1 });
      expect(Number.isFinite(h.history.loss[0])).toBe(true);
    }
  });
});
