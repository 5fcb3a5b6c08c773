// The top-k accuracies, precision and recall (src/kernels/loss): values by
// hand, against TF.js where it has them (tf.inTopKAsync, tf.metrics.precision
// and recall), and under their names in compile, evaluate and fit.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';

const F32 = { atol: 1e-6, rtol: 1e-6 };
const { metric } = wc.ops;
const value = (t: wc.Tensor): number => {
  expect(t.shape).toEqual([]);
  return t.dataSync()[0];
};

beforeAll(async () => { await tf.setBackend('cpu'); });

describe('top-k accuracies (cpu), by hand', () => {
  // 4 classes; row 0: target 2 ranks 2nd; row 1: target 0 ranks 4th; row 2: target 3 ties the top two
  // (1 strictly higher); row 3: a NaN score in the row
  const pred = wc.tensor([0.1, 0.5, 0.3, 0.1, 0.1, 0.4, 0.3, 0.2, 0.4, 0.2, 0.0, 0.4, 0.2, NaN, 0.9, 0.1], [4, 4]);
  const sparse = wc.tensor([2, 0, 3, 2], [4]);
  const oneHot = wc.tensor([0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0], [4, 4]);

  it('in_top_k: fewer than k classes score strictly higher; ties at the boundary are in; a NaN row never is', () => {
    // k = 1: row 2's target ties the maximum: in (tf.math.in_top_k counts only strictly higher scores)
    expect(value(metric('topKCategoricalAccuracy', oneHot, pred, 1))).toBe(0.25);
    expect(value(metric('topKCategoricalAccuracy', oneHot, pred, 2))).toBe(0.5);
    expect(value(metric('topKCategoricalAccuracy', oneHot, pred, 3))).toBe(0.5);
    expect(value(metric('topKCategoricalAccuracy', oneHot, pred, 4))).toBe(0.75);
    // the default k is Keras's 5: here every finite row
    expect(value(metric('topKCategoricalAccuracy', oneHot, pred))).toBe(0.75);
    for (const k of [1, 2, 3, 4, 5]) {
      expect(value(metric('sparseTopKCategoricalAccuracy', sparse, pred, k))).toBe(value(metric('topKCategoricalAccuracy', oneHot, pred, k)));
    }
  });

  it('sparse labels are truncated to integers as Keras casts them; labels that are not classes are never in', () => {
    const p = wc.tensor([0.7, 0.2, 0.1, 0.7, 0.2, 0.1, 0.7, 0.2, 0.1, 0.7, 0.2, 0.1], [4, 3]);
    // 1.9 -> 1 (2nd: in at k = 2), -0.5 -> 0 (1st), 3 and NaN are no class
    const y = wc.tensor([1.9, -0.5, 3, NaN], [4, 1]);
    expect(value(metric('sparseTopKCategoricalAccuracy', y, p, 2))).toBe(0.5);
    expect(value(metric('sparseTopKCategoricalAccuracy', y, p, 1))).toBe(0.25);
  });

  it('k = 1 is the categorical accuracy where there are no ties', () => {
    const p = wc.tensor(randomValues(6 * 5, 3), [6, 5]);
    const t = wc.tensor(Array.from({ length: 30 }, (_, i) => (i % 7 === 0 ? 1 : 0)), [6, 5]);
    expect(value(metric('topKCategoricalAccuracy', t, p, 1))).toBe(value(metric('categoricalAccuracy', t, p)));
  });

  it('refuses a k that is not a positive integer and sparse labels of the wrong shape, naming the op', () => {
    expect(() => metric('topKCategoricalAccuracy', oneHot, pred, 0)).toThrow(/metric: expected k .* positive integer, got 0/);
    expect(() => metric('topKCategoricalAccuracy', oneHot, pred, 2.5)).toThrow(/got 2.5/);
    expect(() => metric('sparseTopKCategoricalAccuracy', oneHot, pred)).toThrow(/metric: expected sparse yTrue of shape \[4\] or \[4, 1\]/);
  });
});

describe('top-k accuracies against TF.js', () => {
  it('agree with tf.inTopKAsync on tie-free scores for k = 1..6 (TF.js exports no top-k metric)', async () => {
    const rows = 9;
    const k = 6;
    const p = randomValues(rows * k, 11);
    const labels = Array.from({ length: rows }, (_, r) => (r * 5) % k);
    const oneHot = new Float32Array(rows * k);
    labels.forEach((c, r) => { oneHot[r * k + c] = 1; });
    for (let top = 1; top <= k; top++) {
      const inTop = await tf.inTopKAsync(tf.tensor2d(p, [rows, k]), tf.tensor1d(labels, 'int32'), top);
      const expected = Array.from(await inTop.data()).reduce((s, v) => s + v, 0) / rows;
      expectClose([value(metric('topKCategoricalAccuracy', wc.tensor(oneHot, [rows, k]), wc.tensor(p, [rows, k]), top))], [expected], F32, `k ${top}`);
      expectClose([value(metric('sparseTopKCategoricalAccuracy', wc.tensor(labels, [rows]), wc.tensor(p, [rows, k]), top))], [expected], F32, `sparse k ${top}`);
    }
  });
});

describe('precision and recall (cpu)', () => {
  it('by hand: a prediction > 0.5 is positive (0.5 is not), a label is positive when not 0', () => {
    const t = wc.tensor([1, 0, 1, 1, 0, 0, 2, 0], [4, 2]);
    const p = wc.tensor([0.9, 0.8, 0.5, 0.6, 0.1, 0.2, 0.51, 0.0], [4, 2]);
    // predicted positive: 0.9 (t 1), 0.8 (t 0), 0.6 (t 1), 0.51 (t 2): TP 3, FP 1; FN: 0.5 (t 1)
    expect(value(metric('precision', t, p))).toBeCloseTo(0.75, 7);
    expect(value(metric('recall', t, p))).toBeCloseTo(0.75, 7);
    const t2 = wc.tensor([1, 1, 0, 0], [4, 1]);
    const p2 = wc.tensor([0.9, 0.2, 0.3, 0.7], [4, 1]);
    expect(value(metric('precision', t2, p2))).toBeCloseTo(0.5, 7);
    expect(value(metric('recall', t2, p2))).toBeCloseTo(0.5, 7);
  });

  it('0 when nothing is predicted (precision) or labelled (recall) positive, as Keras divide_no_nan', () => {
    expect(value(metric('precision', wc.tensor([1, 1], [2, 1]), wc.tensor([0.1, 0.2], [2, 1])))).toBe(0);
    expect(value(metric('recall', wc.tensor([0, 0], [2, 1]), wc.tensor([0.9, 0.2], [2, 1])))).toBe(0);
  });

  it('agree with tf.metrics.precision and recall on thresholded predictions', async () => {
    const n = 37;
    const t = Float32Array.from({ length: n * 3 }, (_, i) => ((i * 7) % 5 < 2 ? 1 : 0));
    const p = randomValues(n * 3, 5, 0, 1);
    const thresholded = tf.greater(tf.tensor2d(p, [n, 3]), 0.5).cast('float32');
    for (const kind of ['precision', 'recall'] as const) {
      const expected = (await tf.metrics[kind](tf.tensor2d(t, [n, 3]), thresholded).data())[0];
      expectClose([value(metric(kind, wc.tensor(t, [n, 3]), wc.tensor(p, [n, 3])))], [expected], F32, kind);
    }
  });
});

describe('compile: the new metric names', () => {
  const classifier = (units: number, activation: 'softmax' | 'sigmoid') => {
    const m = wc.sequential({ layers: [wc.layers.dense({ inputShape: [4], units, activation, kernelInitializer: wc.initializers.glorotUniform({ seed: 3 }) })] });
    return m;
  };
  const x = wc.tensor(randomValues(12 * 4, 9), [12, 4]);

  it('top_k_categorical_accuracy, topKCategoricalAccuracy and the sparse one evaluate as the op with k = 5, logged under their names', async () => {
    const m = classifier(8, 'softmax');
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['top_k_categorical_accuracy', 'topKCategoricalAccuracy'] });
    const labels = Array.from({ length: 12 }, (_, i) => (i * 3) % 8);
    const y = wc.tensor(Array.from({ length: 12 * 8 }, (_, i) => (labels[Math.floor(i / 8)] === i % 8 ? 1 : 0)), [12, 8]);
    const p = m.predict(x) as wc.Tensor;
    const expected = value(metric('topKCategoricalAccuracy', y, p, 5));
    const [, a, b] = await m.evaluate(x, y, { batchSize: 12 });
    expect(a).toBeCloseTo(expected, 6);
    expect(b).toBeCloseTo(expected, 6);
    const h = await m.fit(x, y, { batchSize: 12, epochs: 1 });
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'topKCategoricalAccuracy', 'top_k_categorical_accuracy']);

    const s = classifier(8, 'softmax');
    s.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['sparse_top_k_categorical_accuracy', 'sparseTopKCategoricalAccuracy'] });
    const ys = wc.tensor(labels, [12]);
    const ps = s.predict(x) as wc.Tensor;
    const [, c, d] = await s.evaluate(x, ys, { batchSize: 12 });
    expect(c).toBeCloseTo(value(metric('sparseTopKCategoricalAccuracy', ys, ps)), 6);
    expect(d).toBe(c);
  });

  it('precision and recall: per batch, then the batch-size-weighted mean over batches, as TF.js averages every metric', async () => {
    const m = classifier(1, 'sigmoid');
    m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['precision', 'recall'] });
    const y = wc.tensor(Array.from({ length: 12 }, (_, i) => ((i * 5) % 3 === 0 ? 1 : 0)), [12, 1]);
    const p = m.predict(x) as wc.Tensor;
    const [, prec, rec] = await m.evaluate(x, y, { batchSize: 12 });
    expect(prec).toBeCloseTo(value(metric('precision', y, p)), 6);
    expect(rec).toBeCloseTo(value(metric('recall', y, p)), 6);
    // batches of 8 and 4: (8 * batch1 + 4 * batch2) / 12, not Keras's stateful epoch ratio
    const part = (kind: 'precision' | 'recall', from: number, size: number) =>
      value(metric(kind, y.slice([from, 0], [size, 1]), p.slice([from, 0], [size, 1])));
    const [, prec2, rec2] = await m.evaluate(x, y, { batchSize: 8 });
    expect(prec2).toBeCloseTo((8 * part('precision', 0, 8) + 4 * part('precision', 8, 4)) / 12, 6);
    expect(rec2).toBeCloseTo((8 * part('recall', 0, 8) + 4 * part('recall', 8, 4)) / 12, 6);
  });

  it('another k: a metric function around wc.ops.metric, logged under its name', async () => {
    const m = classifier(8, 'softmax');
    const top3 = (t: wc.Tensor, p: wc.Tensor) => wc.ops.metric('topKCategoricalAccuracy', t, p, 3);
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: [top3] });
    const y = wc.tensor(Array.from({ length: 12 * 8 }, (_, i) => (i % 8 === (Math.floor(i / 8) * 5) % 8 ? 1 : 0)), [12, 8]);
    const [, v] = await m.evaluate(x, y, { batchSize: 12 });
    expect(v).toBeCloseTo(value(metric('topKCategoricalAccuracy', y, m.predict(x) as wc.Tensor, 3)), 6);
    expect(Object.keys((await m.fit(x, y, { batchSize: 12 })).history)).toContain('top3');
  });

  it('an unknown metric name lists the new ones', () => {
    const m = classifier(2, 'softmax');
    expect(() => m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['top5' as 'precision'] }))
      .toThrow(/unknown metric "top5".*'top_k_categorical_accuracy'.*'precision', 'recall'/);
  });
});
