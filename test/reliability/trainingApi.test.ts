// The training API's own rules, as TF.js keeps them: one fit at a time per
// model (a second concurrent fit and a trainOnBatch during a fit are refused,
// evaluate and predict run), the lock released however fit ends, and
// initialEpoch validated (a non-negative integer; at or past epochs nothing
// is trained). A refused call leaves the weights and optimizer state bit for bit.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { NonFiniteLossError } from '../../src/train/guard.js';
import { randomValues } from '../util/check.js';
import { captureState, expectCleanError, expectStateUnchanged } from './state.js';

/** dense (ones: 3e38 inputs overflow it) -> batch norm -> dense softmax, Adam: the same initial weights every time. */
function classifier(): wc.Sequential {
  const model = wc.sequential({
    layers: [
      wc.layers.dense({ inputShape: [3], units: 4, kernelInitializer: 'ones' }),
      wc.layers.batchNormalization(),
      wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 6 }) }),
    ],
  });
  model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const x = () => wc.tensor(randomValues(8 * 3, 31), [8, 3]);
const y = () => wc.tensor(Array.from({ length: 16 }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0)), [8, 2]);
const fitArgs = { batchSize: 2, epochs: 2, shuffle: false } as const;

const ONGOING = /^Sequential\.fit: Cannot start training because another fit\(\) call is ongoing\. Await the first fit\(\) of model 'sequential_\d+'/;

beforeAll(async () => {
  await wc.setBackend('cpu');
});

describe('one fit at a time per model', () => {
  it('a second fit while one runs is refused, and the first trains exactly as it would alone', async () => {
    const model = classifier();
    const first = model.fit(x(), y(), fitArgs);
    await expectCleanError(() => model.fit(x(), y(), fitArgs), ONGOING);
    await first;
    const alone = classifier();
    await alone.fit(x(), y(), fitArgs);
    await expectStateUnchanged(model, await captureState(alone));
  });

  it('a fit started from a callback of a running fit is refused too', async () => {
    const model = classifier();
    let inner: unknown = null;
    await model.fit(x(), y(), { ...fitArgs, callbacks: { onEpochEnd: async () => { inner ??= await model.fit(x(), y()).catch((e: unknown) => e); } } });
    expect(inner).toBeInstanceOf(Error);
    expect((inner as Error).message).toMatch(ONGOING);
  });

  it('trainOnBatch during a fit is refused (it would change the weights under it)', async () => {
    const model = classifier();
    const first = model.fit(x(), y(), fitArgs);
    await expectCleanError(() => model.trainOnBatch(x(), y()),
      /^Sequential\.trainOnBatch: cannot train while a fit\(\) call is ongoing on model 'sequential_\d+': it would change the weights under it\. Await the fit\(\) first\.$/);
    await first;
    const alone = classifier();
    await alone.fit(x(), y(), fitArgs);
    await expectStateUnchanged(model, await captureState(alone));
  });

  it('evaluate and predict during a fit run (they only read the weights), and fit is unaffected', async () => {
    const model = classifier();
    const first = model.fit(x(), y(), fitArgs);
    const [loss, acc] = await model.evaluate(x(), y());
    expect(Number.isFinite(loss) && Number.isFinite(acc)).toBe(true);
    expect((model.predict(x()) as wc.Tensor).shape).toEqual([8, 2]);
    await first;
    const alone = classifier();
    await alone.fit(x(), y(), fitArgs);
    await expectStateUnchanged(model, await captureState(alone));
  });

  it('two models train concurrently: the lock is per model', async () => {
    const [a, b] = [classifier(), classifier()];
    await Promise.all([a.fit(x(), y(), fitArgs), b.fit(x(), y(), fitArgs)]);
    await expectStateUnchanged(a, await captureState(b));
  });

  // Each way fit can fail must release the lock: the next fit trains.
  const failures: [string, (m: wc.Sequential) => Promise<unknown>, RegExp][] = [
    ['bad data', (m) => m.fit(wc.tensor(randomValues(8 * 5, 1), [8, 5]), y(), fitArgs), /^Sequential\.fit: input 0 \('input_\d+'\) expects shape \[null,3\], got \[8, 5\]$/],
    ['a bad argument', (m) => m.fit(x(), y(), { ...fitArgs, initialEpoch: Number.NaN }), /initialEpoch must be a non-negative integer/],
    ['a NaN loss', (m) => m.fit(wc.tensor(new Float32Array(24).fill(3e38), [8, 3]), y(), fitArgs), /the loss became NaN/],
    ['a callback that throws', (m) => m.fit(x(), y(), { ...fitArgs, callbacks: { onBatchEnd: () => { throw new Error('callback failed'); } } }), /callback failed/],
  ];
  for (const [what, fail, message] of failures) {
    it(`after ${what}, the model can fit again`, async () => {
      const model = classifier();
      const err = await expectCleanError(() => fail(model), message);
      if (what === 'a NaN loss') expect(err).toBeInstanceOf(NonFiniteLossError);
      const h = await model.fit(x(), y(), fitArgs);
      expect(h.history.loss).toHaveLength(2);
    });
  }
});

describe('initialEpoch', () => {
  for (const bad of [Number.NaN, -1, 1.5, '2', Number.POSITIVE_INFINITY, true]) {
    it(`${typeof bad === 'string' ? JSON.stringify(bad) : String(bad)} is refused, naming fit and the value, with nothing trained`, async () => {
      const model = classifier();
      await model.fit(x(), y(), fitArgs);
      const before = await captureState(model);
      const shown = typeof bad === 'string' ? `"${bad}"` : String(bad);
      await expectCleanError(() => model.fit(x(), y(), { ...fitArgs, initialEpoch: bad as number }),
        new RegExp(`^Sequential\\.fit: initialEpoch must be a non-negative integer, got ${shown.replace('.', '\\.')}$`));
      await expectStateUnchanged(model, before);
    });
  }

  it('at or past epochs, nothing is trained and no epoch runs, as in TF.js', async () => {
    const model = classifier();
    await model.fit(x(), y(), fitArgs);
    const before = await captureState(model);
    for (const initialEpoch of [2, 5]) {
      const seen: string[] = [];
      const h = await model.fit(x(), y(), { ...fitArgs, initialEpoch, callbacks: {
        onTrainBegin: () => { seen.push('trainBegin'); }, onEpochBegin: (e) => { seen.push(`epoch ${e}`); }, onTrainEnd: () => { seen.push('trainEnd'); },
      } });
      expect(seen).toEqual(['trainBegin', 'trainEnd']);
      expect(h.epoch).toEqual([]);
      expect(h.history).toEqual({});
    }
    await expectStateUnchanged(model, before);
  });

  it('0 < initialEpoch < epochs runs the epochs from initialEpoch on, numbered as such', async () => {
    const model = classifier();
    const h = await model.fit(x(), y(), { ...fitArgs, epochs: 4, initialEpoch: 2 });
    expect(h.epoch).toEqual([2, 3]);
    const twin = classifier();
    await twin.fit(x(), y(), fitArgs);
    await expectStateUnchanged(model, await captureState(twin));
  });
});
