import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { LossKind, MetricKind } from '../../src/index.js';
import { expectClose, numericGradient, randomValues } from '../util/check.js';

const { loss, lossBackward, softmaxCrossEntropyBackward, metric, penalty, penaltyBackward, softmax } = wc.ops;

// A float32 scalar from float64 sums: 1e-6 relative.
const F32 = { atol: 1e-6, rtol: 1e-6 };
// Central differences with eps 1e-3 (the logs curve too much for 1e-2): float32
// rounding of L over 2*eps gives ~3e-5 * |L|, truncation ~1e-4; 2e-3 bounds both.
const FD = { atol: 2e-3, rtol: 2e-3 };

const scalar = (t: wc.Tensor): number => {
  expect(t.shape).toEqual([]);
  return t.dataSync()[0];
};

describe('losses (cpu), values by hand', () => {
  const t = wc.tensor([0, 1, 0, 1, 0, 0], [2, 3]);
  const p = wc.tensor([0.2, 0.7, 0.1, 0.5, 0.25, 0.25], [2, 3]);

  it('categorical cross-entropy: mean of -log p[true class]', () => {
    // (-log 0.7 - log 0.5) / 2 = (0.35667494 + 0.69314718) / 2
    expectClose([scalar(loss('categoricalCrossentropy', t, p))], [0.52491106], F32);
    // TF.js first divides by the row sum: [1, 3] -> [0.25, 0.75], -log 0.75 = 0.28768207
    expectClose([scalar(loss('categoricalCrossentropy', wc.tensor([0, 1], [1, 2]), wc.tensor([1, 3], [1, 2])))], [0.28768207], F32);
    // A zero probability is clipped to 1e-7: -log(1e-7) = 16.118096
    expectClose([scalar(loss('categoricalCrossentropy', wc.tensor([1, 0], [1, 2]), wc.tensor([0, 1], [1, 2])))], [16.118096], F32);
  });

  it('sparse categorical cross-entropy takes labels of shape [b] or [b, 1]', () => {
    expectClose([scalar(loss('sparseCategoricalCrossentropy', wc.tensor([1, 0], [2]), p))], [0.52491106], F32);
    expectClose([scalar(loss('sparseCategoricalCrossentropy', wc.tensor([1, 0], [2, 1]), p))], [0.52491106], F32);
  });

  it('binary cross-entropy: mean over the last axis of -t log p - (1-t) log(1-p)', () => {
    // (-log 0.8 - log 0.6) / 2 = (0.22314355 + 0.51082562) / 2
    expectClose([scalar(loss('binaryCrossentropy', wc.tensor([1, 0], [1, 2]), wc.tensor([0.8, 0.4], [1, 2])))], [0.36698459], F32);
  });

  it('MSE, MAE, MAPE, MSLE', () => {
    const yt = wc.tensor([1, 2, 3, 4], [2, 2]);
    const yp = wc.tensor([1.5, 2, 2, 5], [2, 2]);
    // rows: (0.25 + 0) / 2 = 0.125 and (1 + 1) / 2 = 1; mean 0.5625
    expectClose([scalar(loss('meanSquaredError', yt, yp))], [0.5625], F32);
    // rows: 0.25 and 1; mean 0.625
    expectClose([scalar(loss('meanAbsoluteError', yt, yp))], [0.625], F32);
    // 100 * (|2-1|/2 + |4-5|/4) / 2 = 37.5
    expectClose([scalar(loss('meanAbsolutePercentageError', wc.tensor([2, 4], [1, 2]), wc.tensor([1, 5], [1, 2])))], [37.5], F32);
    // t [0, 1], p [1, 3]: (log 2 - log(1 + 1e-7))^2 and (log 4 - log 2)^2, mean ~ (ln 2)^2 = 0.48045301
    // less 2 * ln 2 * 1e-7 / 2 for the clipped zero: 0.48045294
    expectClose([scalar(loss('meanSquaredLogarithmicError', wc.tensor([0, 1], [1, 2]), wc.tensor([1, 3], [1, 2])))], [0.48045294], F32);
  });
});

describe('loss gradients (cpu)', () => {
  const shape = [2, 4];
  // Targets and predictions chosen away from every clip bound and kink.
  const cases: [LossKind, Float32Array, Float32Array][] = [
    ['categoricalCrossentropy', randomValues(8, 31, 0, 1), randomValues(8, 32, 0.5, 1.5)],
    ['sparseCategoricalCrossentropy', new Float32Array([3, 1]), randomValues(8, 33, 0.15, 0.85)],
    ['binaryCrossentropy', randomValues(8, 34, 0, 1), randomValues(8, 35, 0.1, 0.9)],
    ['meanSquaredError', randomValues(8, 36), randomValues(8, 37)],
    ['meanAbsoluteError', randomValues(8, 38, 0, 1), randomValues(8, 39, 1.1, 2)],
    ['meanAbsolutePercentageError', randomValues(8, 40, 0.5, 1), randomValues(8, 41, 1.1, 2)],
    ['meanSquaredLogarithmicError', randomValues(8, 42, 0, 2), randomValues(8, 43, 0.1, 2)],
  ];
  for (const [kind, tv, pv] of cases) {
    it(`${kind} backward matches finite differences`, () => {
      const yt = kind === 'sparseCategoricalCrossentropy' ? wc.tensor(tv, [2]) : wc.tensor(tv, shape);
      const g = lossBackward(kind, yt, wc.tensor(pv, shape)).dataSync();
      const f = (q: Float32Array): number => scalar(loss(kind, yt, wc.tensor(q, shape)));
      expectClose(g, numericGradient(f, pv, 1e-3), FD, kind);
    });
  }

  it('clipped predictions get zero gradient; abs\'(0) = -1 as TF.js', () => {
    // p = 0 and p = 1 are outside [1e-7, 1 - 1e-7]: BCE's gradient is zero there.
    // (expectClose, not toEqual: a masked gradient may be -0, which equals 0 as a number.)
    expectClose(lossBackward('binaryCrossentropy', wc.tensor([1, 0], [1, 2]), wc.tensor([0, 1], [1, 2])).dataSync(), [0, 0], { atol: 0, rtol: 0 });
    // Row [0, 1] normalizes to q = [0, 1]: both clipped, no gradient.
    expectClose(lossBackward('categoricalCrossentropy', wc.tensor([0, 1], [1, 2]), wc.tensor([0, 1], [1, 2])).dataSync(), [0, 0], { atol: 0, rtol: 0 });
    // MAE at p == t: abs'(0) = -1, over k = 2 and batch 1.
    expect([...lossBackward('meanAbsoluteError', wc.tensor([1, 2], [1, 2]), wc.tensor([1, 3], [1, 2])).dataSync()]).toEqual([-0.5, 0.5]);
  });

  for (const sparse of [false, true]) {
    it(`softmaxCrossEntropyBackward (sparse ${sparse}) is d CE(t, softmax(z)) / dz`, () => {
      const zv = randomValues(12, 51, -2, 2);
      const tv = sparse ? new Float32Array([2, 0, 3]) : Float32Array.from([0, 0, 1, 0, 1, 0, 0, 0, 0.2, 0, 0, 0.8]);
      const yt = sparse ? wc.tensor(tv, [3, 1]) : wc.tensor(tv, [3, 4]);
      const kind: LossKind = sparse ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy';
      const dz = softmaxCrossEntropyBackward(yt, softmax(wc.tensor(zv, [3, 4])), sparse).dataSync();
      const f = (q: Float32Array): number => scalar(loss(kind, yt, softmax(wc.tensor(q, [3, 4]))));
      expectClose(dz, numericGradient(f, zv, 1e-3), FD, 'softmaxCrossEntropyBackward');
    });
  }

  it('softmaxCrossEntropyBackward stays finite for huge logits', () => {
    const probs = softmax(wc.tensor([1000, -1000, 0], [1, 3]));
    // probs [1, 0, 0], t [0, 0, 1]: dz = probs - t
    expect([...softmaxCrossEntropyBackward(wc.tensor([2], [1]), probs, true).dataSync()]).toEqual([1, 0, -1]);
  });
});

describe('metrics (cpu)', () => {
  const t = wc.tensor([0, 1, 0, 1, 0, 0, 0, 0, 1], [3, 3]);
  const p = wc.tensor([0.1, 0.8, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4], [3, 3]);

  it('accuracies by hand', () => {
    // argmax rows: true [1, 0, 2], predicted [1, 1, 2]: 2 of 3
    expectClose([scalar(metric('categoricalAccuracy', t, p))], [2 / 3], F32);
    expectClose([scalar(metric('sparseCategoricalAccuracy', wc.tensor([1, 0, 2], [3]), p))], [2 / 3], F32);
    expectClose([scalar(metric('sparseCategoricalAccuracy', wc.tensor([1, 1, 2], [3, 1]), p))], [1], F32);
    // A tie takes the first maximum, as tf.argMax does.
    expect(scalar(metric('categoricalAccuracy', wc.tensor([1, 0], [1, 2]), wc.tensor([0.5, 0.5], [1, 2])))).toBe(1);
    // binary: p > 0.5 strictly; rows [1, 1] and [0, 1] correct -> (1 + 0.5) / 2
    expectClose([scalar(metric('binaryAccuracy', wc.tensor([1, 0, 1, 1], [2, 2]), wc.tensor([0.7, 0.5, 0.5, 0.9], [2, 2])))], [0.75], F32);
  });

  it('MSE and MAE as metrics equal the losses', () => {
    const yt = wc.tensor([1, 2, 3, 4], [2, 2]);
    const yp = wc.tensor([1.5, 2, 2, 5], [2, 2]);
    expectClose([scalar(metric('meanSquaredError', yt, yp))], [0.5625], F32);
    expectClose([scalar(metric('meanAbsoluteError', yt, yp))], [0.625], F32);
  });
});

describe('penalty (cpu)', () => {
  it('l1 * sum|w| + l2 * sum w^2 by hand, and its gradient with abs\'(0) = -1', () => {
    const w = wc.tensor([1, -2, 0, 3], [2, 2]);
    // 0.1 * 6 + 0.01 * 14 = 0.74
    expectClose([scalar(penalty(w, 0.1, 0.01))], [0.74], F32);
    // 0.1 * sign + 0.02 * w, and -0.1 at w = 0
    expectClose(penaltyBackward(w, 0.1, 0.01).dataSync(), [0.12, -0.14, -0.1, 0.16], F32);
  });

  it('backward matches finite differences away from 0', () => {
    const wv = randomValues(12, 61).map((v) => (Math.abs(v) < 0.1 ? v + 0.2 * Math.sign(v || 1) : v));
    const g = penaltyBackward(wc.tensor(wv, [3, 4]), 0.03, 0.2).dataSync();
    const f = (q: Float32Array): number => scalar(penalty(wc.tensor(q, [3, 4]), 0.03, 0.2));
    expectClose(g, numericGradient(f, wv, 1e-3), FD, 'penaltyBackward');
  });
});

describe('loss ops reject bad arguments, naming the op', () => {
  const p = wc.tensor(new Float32Array(6), [2, 3]);
  it('unknown kinds list the valid ones', () => {
    expect(() => loss('hinge' as LossKind, p, p)).toThrow(
      /loss: expected kind to be one of 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError', got 'hinge'/);
    expect(() => metric('accuracy' as MetricKind, p, p)).toThrow(/metric: expected kind to be one of 'categoricalAccuracy', .*got 'accuracy'/);
  });
  it('shape mismatches', () => {
    expect(() => lossBackward('meanSquaredError', wc.tensor(new Float32Array(3), [3]), p)).toThrow(
      /lossBackward: yTrue and yPred must have the same shape, got \[3\] and \[2, 3\]/);
    expect(() => loss('sparseCategoricalCrossentropy', wc.tensor([1, 2, 0], [3]), p)).toThrow(
      /loss: expected sparse yTrue of shape \[2\] or \[2, 1\] \(class indices for yPred \[2, 3\]\), got \[3\]/);
    expect(() => softmaxCrossEntropyBackward(wc.tensor([1, 2], [1, 2]), p, true)).toThrow(/softmaxCrossEntropyBackward: expected sparse yTrue/);
    expect(() => penalty(p, -1, 0)).toThrow(/penalty: expected finite l1 >= 0 and l2 >= 0, got l1 -1 and l2 0/);
  });
});
