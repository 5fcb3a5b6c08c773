// wc.losses against TF.js's tf.losses: values and gradients with respect to
// the predictions, with and without weights, under every reduction.

import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';

beforeAll(async () => { await tf.setBackend('cpu'); });

const shape = [4, 3];
const n = 12;
const labels01 = Array.from(randomValues(n, 1, 0, 1)).map((v) => (v > 0.5 ? 1 : 0));
const probs = Array.from(randomValues(n, 2, 0.05, 0.95));
const reals = Array.from(randomValues(n, 3, -2, 2));
const onehot = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0];
const weights = [[1], [0], [2], [0.5]];

type Case = { name: string; labels: number[]; preds: number[]; wc: (l: wc.Tensor, p: wc.Tensor, w: wc.Tensor | undefined, r: wc.Reduction) => wc.Tensor; tf: (l: tf.Tensor, p: tf.Tensor, w: tf.Tensor | undefined, r: tf.Reduction) => tf.Tensor };
const cases: Case[] = [
  { name: 'absoluteDifference', labels: reals.map((v) => v / 2), preds: reals, wc: (l, p, w, r) => wc.losses.absoluteDifference(l, p, w, r), tf: (l, p, w, r) => tf.losses.absoluteDifference(l, p, w, r) },
  { name: 'meanSquaredError', labels: reals.map((v) => v / 2), preds: reals, wc: (l, p, w, r) => wc.losses.meanSquaredError(l, p, w, r), tf: (l, p, w, r) => tf.losses.meanSquaredError(l, p, w, r) },
  { name: 'hingeLoss', labels: labels01, preds: reals, wc: (l, p, w, r) => wc.losses.hingeLoss(l, p, w, r), tf: (l, p, w, r) => tf.losses.hingeLoss(l, p, w, r) },
  { name: 'huberLoss', labels: reals.map((v) => v / 3), preds: reals, wc: (l, p, w, r) => wc.losses.huberLoss(l, p, w, 0.7, r), tf: (l, p, w, r) => tf.losses.huberLoss(l, p, w, 0.7, r) },
  { name: 'logLoss', labels: labels01, preds: probs, wc: (l, p, w, r) => wc.losses.logLoss(l, p, w, 1e-7, r), tf: (l, p, w, r) => tf.losses.logLoss(l, p, w, 1e-7, r) },
  { name: 'sigmoidCrossEntropy', labels: labels01, preds: reals, wc: (l, p, w, r) => wc.losses.sigmoidCrossEntropy(l, p, w, 0.1, r), tf: (l, p, w, r) => tf.losses.sigmoidCrossEntropy(l, p, w, 0.1, r) },
  { name: 'softmaxCrossEntropy', labels: onehot, preds: reals, wc: (l, p, w, r) => wc.losses.softmaxCrossEntropy(l, p, w ? wc.reshape(w, [4]) : w, 0.2, r), tf: (l, p, w, r) => tf.losses.softmaxCrossEntropy(l, p, w ? tf.reshape(w, [4]) : w, 0.2, r) },
  { name: 'cosineDistance', labels: reals.map((v) => v / 4), preds: reals.map((v) => v / 3), wc: (l, p, w, r) => wc.losses.cosineDistance(l, p, 1, w, r), tf: (l, p, w, r) => tf.losses.cosineDistance(l, p, 1, w, r) },
];

const close = (a: ArrayLike<number>, b: ArrayLike<number>, label: string) => {
  expect(a.length, label).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i]), `${label} [${i}]: ${a[i]} vs ${b[i]}`).toBeLessThan(1e-5 + 1e-4 * Math.abs(b[i]));
};

describe('wc.losses agrees with tf.losses', () => {
  const reductions = [wc.Reduction.NONE, wc.Reduction.MEAN, wc.Reduction.SUM, wc.Reduction.SUM_BY_NONZERO_WEIGHTS];
  it.each(cases)('$name: values and gradients, with and without weights, every reduction', (c) => {
    for (const r of reductions) {
      for (const weighted of [false, true]) {
        const label = `${c.name} reduction ${r}${weighted ? ' weighted' : ''}`;
        const wl = wc.tensor(c.labels, shape);
        const ww = weighted ? wc.tensor(weights) : undefined;
        const tl = tf.tensor(c.labels, shape);
        const tw = weighted ? tf.tensor(weights) : undefined;
        const wv = wc.valueAndGrad((p) => wc.sum(c.wc(wl, p, ww, r)))(wc.tensor(c.preds, shape));
        const tv = tf.valueAndGrad((p: tf.Tensor) => tf.sum(c.tf(tl, p, tw, r as unknown as tf.Reduction)) as tf.Scalar)(tf.tensor(c.preds, shape));
        close(wv.value.dataSync(), tv.value.dataSync(), `${label} value`);
        close(wv.grad.dataSync(), tv.grad.dataSync(), `${label} gradient`);
        expect(c.wc(wl, wc.tensor(c.preds, shape), ww, r).shape, `${label} shape`).toEqual(c.tf(tl, tf.tensor(c.preds, shape), tw, r as unknown as tf.Reduction).shape);
      }
    }
  });

  it('refuses labels and predictions of different shapes, naming the loss', () => {
    expect(() => wc.losses.meanSquaredError(wc.zeros([2, 3]), wc.zeros([3, 2]))).toThrow(/losses.meanSquaredError: labels and predictions must have the same shape, got \[2, 3\] and \[3, 2\]/);
  });
});
