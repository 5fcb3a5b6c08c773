// The MNIST augmentation behind `npm run train -- --augment / --elastic` and
// the demo's switch: which layers, where they sit, that they act in fit only,
// and that a seed reproduces a run.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { augmentedDigits, augments, mnistAugmentation, withAugmentation } from '../../demo/augment.js';
import { trainMnist, type TrainEvent } from '../../demo/trainCore.js';

beforeAll(async () => { await wc.setBackend('cpu'); });

/** A bright 10x10 square in the middle of a black 28x28 digit, `count` times. */
function squares(count: number): Float32Array {
  const d = new Float32Array(count * 784);
  for (let n = 0; n < count; n++) for (let i = 9; i < 19; i++) for (let j = 9; j < 19; j++) d[n * 784 + i * 28 + j] = 1;
  return d;
}

describe('mnistAugmentation', () => {
  it('builds rotation, translation and zoom for --augment, elastic distortion for --elastic, nothing otherwise', () => {
    expect(mnistAugmentation(wc, { augment: true }, 1).map((l) => l.className)).toEqual(['RandomRotation', 'RandomTranslation', 'RandomZoom']);
    expect(mnistAugmentation(wc, { elastic: true }, 1).map((l) => l.className)).toEqual(['RandomElasticDeformation']);
    expect(mnistAugmentation(wc, { augment: true, elastic: true }, 1)).toHaveLength(4);
    expect(mnistAugmentation(wc, {}, 1)).toEqual([]);
    expect(augments({})).toBe(false);
    expect(augments({ elastic: true })).toBe(true);
    const [rotation, translation, zoom] = mnistAugmentation(wc, { augment: true }, 1).map((l) => l.getConfig());
    expect(rotation.factor).toBeCloseTo(10 / 360, 12); // ±10 degrees, as a fraction of a turn
    expect([translation.height_factor ?? translation.heightFactor, translation.width_factor ?? translation.widthFactor]).toEqual([0.1, 0.1]);
    expect(zoom.height_factor ?? zoom.heightFactor).toBe(0.1);
    for (const c of [rotation, translation, zoom]) expect([c.fill_mode ?? c.fillMode, c.fill_value ?? c.fillValue]).toEqual(['constant', 0]);
  });

  it('moves digits within the stated bounds: a centred square keeps most of its ink and its centre stays within 10% + zoom of the middle', async () => {
    const count = 16;
    const out = await augmentedDigits(wc, mnistAugmentation(wc, { augment: true }, 7), squares(count), count);
    let changed = 0;
    for (let n = 0; n < count; n++) {
      const img = out.subarray(n * 784, (n + 1) * 784);
      let mass = 0, cy = 0, cx = 0;
      for (let i = 0; i < 28; i++) for (let j = 0; j < 28; j++) { const v = img[i * 28 + j]; mass += v; cy += v * i; cx += v * j; }
      // Zoom ±10% scales the area by 0.81..1.21; rotation by up to 10° keeps it.
      expect(mass).toBeGreaterThan(0.75 * 100);
      expect(mass).toBeLessThan(1.3 * 100);
      // Translation up to 2.8 pixels each way; zoom about the centre and rotation move the centre of mass little.
      expect(Math.abs(cy / mass - 13.5)).toBeLessThan(3.5);
      expect(Math.abs(cx / mass - 13.5)).toBeLessThan(3.5);
      if (img.some((v, i) => Math.abs(v - (i % 28 >= 9 && i % 28 < 19 && i >= 9 * 28 && i < 19 * 28 ? 1 : 0)) > 1e-3)) changed++;
    }
    expect(changed).toBeGreaterThanOrEqual(count - 1);
  });

  it('the layers sit in front of the zoo model, share its weights, and pass digits through in predict', async () => {
    const base = wc.models.mnistLight();
    const model = withAugmentation(wc, base, mnistAugmentation(wc, { augment: true, elastic: true }, 3));
    expect(model.layers.map((l) => l.className).slice(0, 5)).toEqual(['RandomRotation', 'RandomTranslation', 'RandomZoom', 'RandomElasticDeformation', 'Conv2D']);
    expect(model.countParams()).toBe(base.countParams());
    const x = wc.tensor(squares(2), [2, 28, 28, 1]);
    expect(await (model.predict(x) as wc.Tensor).data()).toEqual(await (base.predict(x) as wc.Tensor).data());
    expect(withAugmentation(wc, base, [])).toBe(base);
  });
});

describe('trainMnist with augmentation', () => {
  const run = async (augment: boolean) => {
    const events: TrainEvent[] = [];
    const options = { model: 'light' as const, epochs: 1, batchSize: 32, backend: 'cpu' as const, optimizer: 'adam' as const, learningRate: 0.002, seed: 5, trainSize: 128, testSize: 64, augment, previewDigits: augment ? 8 : undefined };
    const { score } = await trainMnist(wc, options, (e) => { events.push(e); });
    return { events, score };
  };
  const previewOf = (events: TrainEvent[]) => events.find((e): e is Extract<TrainEvent, { type: 'augmented' }> => e.type === 'augmented');

  it('reports its layers and a preview of distorted training digits, the same for the same seed; without it, neither', async () => {
    const a = await run(true);
    const start = a.events.find((e) => e.type === 'start');
    expect(start?.type === 'start' && start.augmentation).toEqual(['RandomRotation', 'RandomTranslation', 'RandomZoom']);
    const preview = previewOf(a.events)!;
    expect(preview.count).toBe(8);
    expect(preview.digits.length).toBe(8 * 784);
    const raw = (await wc.data.loadMnist({ trainSize: 8, testSize: 1 })).train.images;
    expect(Array.from(preview.digits)).not.toEqual(Array.from(raw));
    expect(a.score.count).toBe(64);
    const again = await run(true);
    expect(previewOf(again.events)!.digits).toEqual(preview.digits);
    const plain = await run(false);
    expect(plain.events.some((e) => e.type === 'augmented')).toBe(false);
    const plainStart = plain.events.find((e) => e.type === 'start');
    expect(plainStart?.type === 'start' && plainStart.augmentation).toEqual([]);
  }, 120_000);
});
