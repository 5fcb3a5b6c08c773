// The MNIST training run shared by the headless command (in Node on the CPU
// backend, or in headless Chromium on WebGPU) and the demo's worker: load the
// real data, build a zoo model, fit, score the test set, report progress.

import type * as Wc from '../src/index.js';
import { scoreTest, type TestScore } from './confusion.js';
import { augmentedDigits, mnistAugmentation, withAugmentation, type AugmentChoice } from './augment.js';

export interface TrainOptions extends AugmentChoice {
  /** 'autoencoder' trains wc.models.mnistAutoencoder with trainAutoencoder (not trainMnist). */
  model: 'light' | 'standard' | 'autoencoder';
  epochs: number;
  batchSize: number;
  backend: 'webgpu' | 'wasm' | 'cpu';
  /** wasm: threads, the calling one included (default: the backend's). */
  threads?: number;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  /** Step decay: epoch e trains at learningRate * lrDecay^e (1, the default: a constant rate). */
  lrDecay?: number;
  /** First N training / test images (60,000 / 10,000 by default). */
  trainSize?: number;
  testSize?: number;
  /** Fraction of the training images (the last ones) held out to validate after each epoch; 0: none. */
  validationSplit?: number;
  seed: number;
  /** Also score the test set after every epoch but the last (the final score follows anyway). */
  testEachEpoch?: boolean;
  /** With augmentation: report this many training digits as fit distorts them, at most once a second (the demo's grid). */
  previewDigits?: number;
}

export type TrainEvent =
  | { type: 'start'; backend: string; adapter: string; trainCount: number; validationCount: number; testCount: number; batches: number; epochs: number; params: number; augmentation: string[] }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; acc: number; imagesPerSecond: number; secondsLeft: number }
  | { type: 'epoch'; epoch: number; loss: number; acc: number; valLoss?: number; valAcc?: number; testAcc?: number; seconds: number; imagesPerSecond: number; learningRate: number }
  | { type: 'augmented'; count: number; digits: Float32Array }
  | { type: 'done'; stopped: boolean; test: TestScore; trainSeconds: number; imagesPerSecond: number; inferenceImagesPerSecond: number };

/** Light model, 1 epoch on 60,000 images: 98.1% on the test set with these (README). */
export const DEFAULTS: TrainOptions = {
  model: 'light', epochs: 1, batchSize: 64, backend: 'webgpu', optimizer: 'adam', learningRate: 0.002, validationSplit: 0, seed: 1,
};

/** Thrown from a callback to end fit early; the model trained so far is kept and scored. */
class Stop extends Error {}

export interface TrainResult {
  model: Wc.LayersModel;
  score: TestScore;
  /** The test images ([count * 784], in [0, 1]) the score refers to, for galleries. */
  testImages: Float32Array;
}

/** One pass over the test set gives accuracy, loss and the confusion matrix together. */
async function testScore(wc: typeof Wc, model: Wc.LayersModel, test: { xs(): Wc.Tensor; labels: Uint8Array }): Promise<{ score: TestScore; inferenceSeconds: number }> {
  const testX = test.xs();
  const evalStart = performance.now();
  const probsT = model.predict(testX, { batchSize: 256 }) as Wc.Tensor;
  const probs = await probsT.data();
  const inferenceSeconds = (performance.now() - evalStart) / 1000;
  probsT.dispose();
  testX.dispose();
  return { score: scoreTest(probs, test.labels), inferenceSeconds };
}

export async function trainMnist(
  wc: typeof Wc, options: TrainOptions, report: (e: TrainEvent) => void | Promise<void>, shouldStop: () => boolean = () => false,
): Promise<TrainResult> {
  if (options.model === 'autoencoder') throw new Error('trainMnist: the autoencoder trains with trainAutoencoder');
  await wc.setBackend(options.backend, options.backend === 'wasm' && options.threads ? { threads: options.threads } : {});
  const data = await wc.data.loadMnist({ trainSize: options.trainSize, testSize: options.testSize });
  const base = options.model === 'standard' ? wc.models.mnistStandard() : wc.models.mnistLight();
  const model = withAugmentation(wc, base, mnistAugmentation(wc, options, options.seed));
  // The preview draws from layers of its own, so showing it does not change what fit draws.
  const preview = options.previewDigits ? mnistAugmentation(wc, options, options.seed + 1000) : [];
  let lastPreview = -Infinity;
  const showPreview = async (): Promise<void> => {
    if (preview.length === 0 || performance.now() - lastPreview < 1000) return;
    lastPreview = performance.now();
    const count = Math.min(options.previewDigits!, data.train.count);
    await report({ type: 'augmented', count, digits: await augmentedDigits(wc, preview, data.train.images, count) });
  };
  const optimizer = options.optimizer === 'sgd' ? wc.optimizers.sgd({ learningRate: options.learningRate, momentum: 0.9 })
    : options.optimizer === 'rmsprop' ? wc.optimizers.rmsprop({ learningRate: options.learningRate })
      : wc.optimizers.adam({ learningRate: options.learningRate });
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  // fit holds out the last rows for validation, as Keras does; count them the same way.
  const split = options.validationSplit ?? 0;
  const trainCount = split > 0 ? Math.floor(data.train.count * (1 - split)) : data.train.count;
  const batches = Math.ceil(trainCount / options.batchSize);
  const adapter = wc.backendInfo().description;
  await report({
    type: 'start', backend: options.backend, adapter, trainCount, validationCount: data.train.count - trainCount,
    testCount: data.test.count, batches, epochs: options.epochs, params: model.countParams(),
    augmentation: model.layers.slice(0, model.layers.length - base.layers.length).map((l) => l.className),
  });

  const xs = data.train.xs();
  const ys = data.train.ys();
  const trainStart = performance.now();
  let epochStart = trainStart;
  let seen = 0;
  let currentEpoch = 0;
  let stopped = false;
  try {
    await model.fit(xs, ys, {
      batchSize: options.batchSize, epochs: options.epochs, shuffle: true, seed: options.seed,
      validationSplit: split > 0 ? split : undefined,
      callbacks: [wc.callbacks.learningRateScheduler((epoch) => options.learningRate * (options.lrDecay ?? 1) ** epoch), {
        onEpochBegin: (epoch) => { currentEpoch = epoch; epochStart = performance.now(); },
        onBatchEnd: async (batch, logs) => {
          seen += logs?.size ?? options.batchSize;
          const rate = seen / ((performance.now() - trainStart) / 1000);
          const left = (options.epochs * trainCount - seen) / rate;
          await report({ type: 'batch', epoch: currentEpoch, batch, batches, loss: logs?.loss ?? NaN, acc: logs?.acc ?? NaN, imagesPerSecond: rate, secondsLeft: left });
          await showPreview();
          if (shouldStop()) throw new Stop();
        },
        onEpochEnd: async (epoch, logs) => {
          const seconds = (performance.now() - epochStart) / 1000;
          // Scoring the test set between epochs (not after the last: the final score follows) shows how accuracy grows.
          const testAcc = options.testEachEpoch && epoch < options.epochs - 1 ? (await testScore(wc, model, data.test)).score.accuracy : undefined;
          await report({ type: 'epoch', epoch, loss: logs?.loss ?? NaN, acc: logs?.acc ?? NaN, valLoss: logs?.val_loss, valAcc: logs?.val_acc, testAcc, seconds, imagesPerSecond: trainCount / seconds, learningRate: optimizer.learningRate });
        },
      }],
    });
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    stopped = true;
  } finally {
    xs.dispose();
    ys.dispose();
  }
  const trainSeconds = (performance.now() - trainStart) / 1000;

  const { score, inferenceSeconds } = await testScore(wc, model, data.test);
  await report({
    type: 'done', stopped, test: score, trainSeconds,
    imagesPerSecond: seen / trainSeconds,
    inferenceImagesPerSecond: data.test.count / inferenceSeconds,
  });
  return { model, score, testImages: data.test.images };
}

/** What trainAutoencoder reports: its start, each batch and epoch (loss: the mean squared error), and the test reconstruction error. */
export type AutoencoderEvent =
  | { type: 'start'; backend: string; adapter: string; trainCount: number; testCount: number; batches: number; epochs: number; params: number }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; imagesPerSecond: number; secondsLeft: number }
  | { type: 'epoch'; epoch: number; loss: number; seconds: number; imagesPerSecond: number }
  | { type: 'reconstruction'; stopped: boolean; testMse: number; testCount: number; trainSeconds: number; imagesPerSecond: number };

export interface AutoencoderResult {
  model: Wc.LayersModel;
  /** The mean squared error between the test images and their reconstructions. */
  testMse: number;
}

/**
 * Trains wc.models.mnistAutoencoder on the MNIST training images with the mean
 * squared error between each image and its reconstruction, then reports that
 * error on the test images (model.evaluate(x, x)).
 */
export async function trainAutoencoder(
  wc: typeof Wc, options: TrainOptions, report: (e: AutoencoderEvent) => void | Promise<void>, shouldStop: () => boolean = () => false,
): Promise<AutoencoderResult> {
  await wc.setBackend(options.backend, options.backend === 'wasm' && options.threads ? { threads: options.threads } : {});
  const data = await wc.data.loadMnist({ trainSize: options.trainSize, testSize: options.testSize });
  const model = wc.models.mnistAutoencoder();
  const optimizer = options.optimizer === 'sgd' ? wc.optimizers.sgd({ learningRate: options.learningRate, momentum: 0.9 })
    : options.optimizer === 'rmsprop' ? wc.optimizers.rmsprop({ learningRate: options.learningRate })
      : wc.optimizers.adam({ learningRate: options.learningRate });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const trainCount = data.train.count;
  const batches = Math.ceil(trainCount / options.batchSize);
  await report({ type: 'start', backend: options.backend, adapter: wc.backendInfo().description, trainCount, testCount: data.test.count, batches, epochs: options.epochs, params: model.countParams() });

  const xs = data.train.xs();
  const trainStart = performance.now();
  let epochStart = trainStart;
  let seen = 0;
  let currentEpoch = 0;
  let stopped = false;
  try {
    await model.fit(xs, xs, {
      batchSize: options.batchSize, epochs: options.epochs, shuffle: true, seed: options.seed,
      callbacks: [wc.callbacks.learningRateScheduler((epoch) => options.learningRate * (options.lrDecay ?? 1) ** epoch), {
        onEpochBegin: (epoch) => { currentEpoch = epoch; epochStart = performance.now(); },
        onBatchEnd: async (batch, logs) => {
          seen += logs?.size ?? options.batchSize;
          const rate = seen / ((performance.now() - trainStart) / 1000);
          await report({ type: 'batch', epoch: currentEpoch, batch, batches, loss: logs?.loss ?? NaN, imagesPerSecond: rate, secondsLeft: (options.epochs * trainCount - seen) / rate });
          if (shouldStop()) throw new Stop();
        },
        onEpochEnd: async (epoch, logs) => {
          const seconds = (performance.now() - epochStart) / 1000;
          await report({ type: 'epoch', epoch, loss: logs?.loss ?? NaN, seconds, imagesPerSecond: trainCount / seconds });
        },
      }],
    });
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    stopped = true;
  } finally {
    xs.dispose();
  }
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const testX = data.test.xs();
  let testMse: number;
  try {
    [testMse] = await model.evaluate(testX, testX, { batchSize: 256 });
  } finally {
    testX.dispose();
  }
  await report({ type: 'reconstruction', stopped, testMse, testCount: data.test.count, trainSeconds, imagesPerSecond: seen / trainSeconds });
  return { model, testMse };
}
