// Behaviour users rely on without seeing it, run the same way on every backend:
// the order in which fit feeds rows, what it holds out, and batch norm's
// inference output. Each function takes webcnn as its argument and closes over
// nothing else, so the GPU tests send its source text into the page.

import { expect } from 'vitest';
import type * as Wc from '../../src/index.js';

export interface OrderRuns {
  /** Row visited by each step, per epoch: fit({ shuffle: true, seed: 7 }), 3 epochs of 8 one-row batches. */
  seeded: number[][];
  /** The same fit again with the same seed. */
  seededAgain: number[][];
  /** The same fit with seed 8. */
  otherSeed: number[][];
  /** shuffle left at its default and no seed. */
  byDefault: number[][];
  /** shuffle: false. */
  unshuffled: number[][];
  /** Final weights of a linear model fit on dense rows (order shows in them), seed 3, twice, and seed 4. */
  denseSeeded: number[];
  denseSeededAgain: number[];
  denseOtherSeed: number[];
  /** validationSplit 0.3 of 10 rows, shuffled: the rows trained on, the weights after, val_loss, and evaluate on rows 7..9. */
  split: { visited: number[][]; weights: number[]; valLoss: number[]; evaluateTail: number; evaluateHead: number };
  /** validationData on features the training rows never touch. */
  given: { visited: number[][]; weights: number[]; valLoss: number[]; evaluateGiven: number };
}

/**
 * One SGD step per row on a linear model y = x . w (no bias, w starts at 0)
 * with one-hot rows: the step on row i changes w[i] alone, so the weight that
 * moved after each batch names the row fit fed. Targets y[i] = i + 1 make
 * every row's loss distinct.
 */
export async function orderRuns(w: typeof Wc): Promise<OrderRuns> {
  const oneHotModel = (features: number) => {
    const m = w.sequential({ layers: [w.layers.dense({ units: 1, inputShape: [features], useBias: false, kernelInitializer: 'zeros' })] });
    m.compile({ optimizer: w.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    return m;
  };
  const oneHot = (rows: number, features: number, first = 0) => {
    const v = new Float32Array(rows * features);
    for (let i = 0; i < rows; i++) v[i * features + first + i] = 1;
    return w.tensor(v, [rows, features]);
  };
  const targets = (values: number[]) => w.tensor(values, [values.length, 1]);
  const weightsOf = async (m: Wc.LayersModel) => Array.from(await m.getWeights()[0].data());

  /** fit with batchSize 1, recording which row each step trained on (-1: no weight moved). */
  const visits = async (m: Wc.LayersModel, x: Wc.Tensor, y: Wc.Tensor, args: Wc.FitArgs) => {
    const perEpoch: number[][] = [];
    let before = await weightsOf(m);
    const h = await m.fit(x, y, {
      ...args,
      batchSize: 1,
      callbacks: {
        onEpochBegin: async () => { perEpoch.push([]); },
        onBatchEnd: async () => {
          const now = await weightsOf(m);
          const moved = now.flatMap((v, i) => (v !== before[i] ? [i] : []));
          perEpoch[perEpoch.length - 1].push(moved.length === 1 ? moved[0] : -1);
          before = now;
        },
      },
    });
    return { perEpoch, history: h.history };
  };

  const n = 8;
  const ys = targets(Array.from({ length: n }, (_, i) => i + 1));
  const order = async (args: Wc.FitArgs) => (await visits(oneHotModel(n), oneHot(n, n), ys, { epochs: 3, ...args })).perEpoch;
  const seeded = await order({ shuffle: true, seed: 7 });
  const seededAgain = await order({ shuffle: true, seed: 7 });
  const otherSeed = await order({ shuffle: true, seed: 8 });
  const byDefault = await order({});
  const unshuffled = await order({ shuffle: false });

  // Dense rows: each step's update depends on the weights the last step left, so the order shows in the result.
  const rows = 12;
  const features = 5;
  const xd = w.tensor(Array.from({ length: rows * features }, (_, i) => Math.sin(1.7 * i + 0.3)), [rows, features]);
  const yd = w.tensor(Array.from({ length: rows }, (_, i) => Math.cos(0.9 * i)), [rows, 1]);
  const denseFit = async (seed: number) => {
    const m = w.sequential({ layers: [w.layers.dense({ units: 1, inputShape: [features], kernelInitializer: w.initializers.glorotUniform({ seed: 11 }) })] });
    m.compile({ optimizer: w.optimizers.sgd({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    await m.fit(xd, yd, { batchSize: 2, epochs: 4, seed });
    return (await Promise.all(m.getWeights().map(async (t) => Array.from(await t.data())))).flat();
  };
  const denseSeeded = await denseFit(3);
  const denseSeededAgain = await denseFit(3);
  const denseOtherSeed = await denseFit(4);

  // validationSplit 0.3 of 10 rows: Keras holds out the last 3 (rows 7, 8, 9), before shuffling.
  const rowsS = 10;
  const xs = oneHot(rowsS, rowsS);
  const yAll = Array.from({ length: rowsS }, (_, i) => i + 1);
  const mS = oneHotModel(rowsS);
  const s = await visits(mS, xs, targets(yAll), { epochs: 2, shuffle: true, seed: 5, validationSplit: 0.3 });
  const tail = oneHot(3, rowsS, 7);
  const head = oneHot(3, rowsS, 0);
  const split = {
    visited: s.perEpoch,
    weights: await weightsOf(mS),
    valLoss: s.history.val_loss.map(Number),
    evaluateTail: (await mS.evaluate(tail, targets(yAll.slice(7)), { batchSize: 1 }))[0],
    evaluateHead: (await mS.evaluate(head, targets(yAll.slice(0, 3)), { batchSize: 1 }))[0],
  };

  // validationData: 6 training rows on features 0..5, 3 validation rows on features 6..8.
  const mG = oneHotModel(9);
  const xv = oneHot(3, 9, 6);
  const yv = targets([2, 3, 4]);
  const g = await visits(mG, oneHot(6, 9), targets([1, 2, 3, 4, 5, 6]), { epochs: 2, seed: 9, validationData: [xv, yv] });
  const given = {
    visited: g.perEpoch,
    weights: await weightsOf(mG),
    valLoss: g.history.val_loss.map(Number),
    evaluateGiven: (await mG.evaluate(xv, yv))[0],
  };
  return { seeded, seededAgain, otherSeed, byDefault, unshuffled, denseSeeded, denseSeededAgain, denseOtherSeed, split, given };
}

export interface BatchNormInferenceRun {
  /** batchNormalization alone, and conv2d -> batchNormalization (folded into the conv for inference). */
  alone: number[];
  afterConv: number[];
}

/**
 * batchNormalization in inference with epsilon 0.5 and small moving
 * variances, so that epsilon inside or outside the square root, or left out,
 * gives a different answer. Keras: y = gamma * (x - mean) / sqrt(var + eps) + beta.
 */
export async function batchNormInferenceRun(w: typeof Wc): Promise<BatchNormInferenceRun> {
  const bn = () => w.layers.batchNormalization({ epsilon: 0.5 });
  // gamma, beta, movingMean, movingVariance for two channels
  const stats = () => [w.tensor([2, -1], [2]), w.tensor([0.5, 1], [2]), w.tensor([1, -2], [2]), w.tensor([0.5, 0.14], [2])];
  const x = w.tensor([3, 0, -1, 2, 0.5, -4, 1, 1], [1, 2, 2, 2]);

  const alone = w.sequential({ layers: [w.layers.inputLayer({ inputShape: [2, 2, 2] }), bn()] });
  alone.setWeights(stats());
  const a = Array.from(await (alone.predict(x) as Wc.Tensor).data());

  // A 1x1 conv that doubles channel 0 and negates channel 1, with bias [1, 0], then the same batch norm.
  const conv = w.sequential({
    layers: [w.layers.conv2d({ inputShape: [2, 2, 2], filters: 2, kernelSize: 1 }), bn()],
  });
  conv.setWeights([w.tensor([2, 0, 0, -1], [1, 1, 2, 2]), w.tensor([1, 0], [2]), ...stats()]);
  const c = Array.from(await (conv.predict(x) as Wc.Tensor).data());
  return { alone: a, afterConv: c };
}

// ---- what every backend must give (run in Node on the results) -------------

const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

/** Each epoch a fresh permutation of the rows: every row once, not in order, not the last epoch's order. */
function expectShuffledEpochs(epochs: readonly number[][], rows: number, what: string): void {
  epochs.forEach((e, i) => {
    expect(sorted(e), `${what}, epoch ${i}: each row once`).toEqual(ids(rows));
    expect(e, `${what}, epoch ${i}: shuffled`).not.toEqual(ids(rows));
    if (i > 0) expect(e, `${what}, epoch ${i}: reshuffled`).not.toEqual(epochs[i - 1]);
  });
}

export function expectOrderRuns(r: OrderRuns): void {
  expect(r.seeded.length).toBe(3);
  expectShuffledEpochs(r.seeded, 8, 'seed 7');
  expectShuffledEpochs(r.byDefault, 8, 'default shuffle, no seed');
  expectShuffledEpochs(r.otherSeed, 8, 'seed 8');
  expect(r.seededAgain, 'the same seed, the same batches').toEqual(r.seeded);
  expect(r.otherSeed, 'another seed, other batches').not.toEqual(r.seeded);
  expect(r.unshuffled, 'shuffle: false feeds rows in order').toEqual([ids(8), ids(8), ids(8)]);

  // bit for bit: toEqual on the float32 values read back
  expect(r.denseSeededAgain, 'the same seed, the same weights').toEqual(r.denseSeeded);
  expect(r.denseOtherSeed, 'another seed, other weights').not.toEqual(r.denseSeeded);

  // validationSplit 0.3 of 10: trains on rows 0..6 only, shuffled; rows 7..9 never move their weights
  expect(r.split.visited.length).toBe(2);
  expectShuffledEpochs(r.split.visited, 7, 'validationSplit');
  // two SGD steps (lr 0.1) on w[i]·1 toward y = i + 1 leave w[i] = (1 - 0.8^2) * y = 0.36 * y
  expect(r.split.weights.slice(7), 'held-out rows are never trained on').toEqual([0, 0, 0]);
  r.split.weights.slice(0, 7).forEach((v, i) => expect(v, `row ${i} trained twice`).toBeCloseTo(0.36 * (i + 1), 5));
  // untrained rows predict 0: val_loss = mean(8^2, 9^2, 10^2) every epoch
  for (const v of r.split.valLoss) expect(v).toBeCloseTo(245 / 3, 4);
  expect(r.split.evaluateTail).toBeCloseTo(r.split.valLoss[1], 5);
  // rows 0..2 were trained on: (0.64 * y)^2 averaged over y = 1, 2, 3
  expect(r.split.evaluateHead).toBeCloseTo(0.4096 * 14 / 3, 4);

  // validationData on features 6..8: never trained on; val_loss = mean(2^2, 3^2, 4^2) = evaluate on it
  expectShuffledEpochs(r.given.visited, 6, 'validationData');
  expect(r.given.weights.slice(6), 'validationData is never trained on').toEqual([0, 0, 0]);
  r.given.weights.slice(0, 6).forEach((v, i) => expect(v, `row ${i} trained twice`).toBeCloseTo(0.36 * (i + 1), 5));
  for (const v of r.given.valLoss) expect(v).toBeCloseTo(29 / 3, 4);
  expect(r.given.evaluateGiven).toBeCloseTo(r.given.valLoss[1], 5);
}

/**
 * By hand, per channel: c0 gamma 2, beta 0.5, mean 1, var 0.5 -> sqrt(0.5 + 0.5) = 1;
 * c1 gamma -1, beta 1, mean -2, var 0.14 -> sqrt(0.64) = 0.8.
 * The conv maps a pixel (a, b) to (2a + 1, -b) first.
 */
export function expectBatchNormInference(r: BatchNormInferenceRun, tol: number): void {
  const want = {
    alone: [4.5, -1.5, -3.5, -4, -0.5, 3.5, 0.5, -2.75],
    afterConv: [12.5, -1.5, -3.5, 1, 2.5, -6.5, 4.5, -0.25],
  };
  for (const k of ['alone', 'afterConv'] as const) {
    expect(r[k].length).toBe(8);
    r[k].forEach((v, i) => expect(Math.abs(v - want[k][i]), `${k}[${i}] = ${v}, want ${want[k][i]}`).toBeLessThanOrEqual(tol));
  }
}
