// The MNIST training run shared by the headless command (in Node on the CPU
// backend, or in headless Chromium on WebGPU) and the demo: load the real
// data, build a zoo model, fit, evaluate on the test set, report progress.

import type * as Wc from '../src/index.js';

export interface TrainOptions {
  model: 'light' | 'standard';
  epochs: number;
  batchSize: number;
  backend: 'webgpu' | 'cpu';
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  /** First N training / test images (60,000 / 10,000 by default). */
  trainSize?: number;
  testSize?: number;
  seed: number;
}

export type TrainEvent =
  | { type: 'start'; backend: string; adapter: string; trainCount: number; testCount: number; batches: number; params: number }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; acc: number; imagesPerSecond: number; secondsLeft: number }
  | { type: 'epoch'; epoch: number; loss: number; acc: number; valLoss?: number; valAcc?: number; seconds: number; imagesPerSecond: number }
  | { type: 'done'; testLoss: number; testAccuracy: number; trainSeconds: number; imagesPerSecond: number; inferenceImagesPerSecond: number };

export const DEFAULTS: TrainOptions = {
  model: 'light', epochs: 1, batchSize: 64, backend: 'webgpu', optimizer: 'adam', learningRate: 0.002, seed: 1,
};

/** How often (in batches) progress is read back: each readback waits for the GPU. */
const REPORT_EVERY = 10;

export async function trainMnist(
  wc: typeof Wc, options: TrainOptions, report: (e: TrainEvent) => void | Promise<void>,
): Promise<{ model: Wc.LayersModel; testAccuracy: number }> {
  await wc.setBackend(options.backend);
  const data = await wc.data.loadMnist({ trainSize: options.trainSize, testSize: options.testSize });
  const model = options.model === 'standard' ? wc.models.mnistStandard() : wc.models.mnistLight();
  const optimizer = options.optimizer === 'sgd' ? wc.optimizers.sgd({ learningRate: options.learningRate, momentum: 0.9 })
    : options.optimizer === 'rmsprop' ? wc.optimizers.rmsprop({ learningRate: options.learningRate })
      : wc.optimizers.adam({ learningRate: options.learningRate });
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const xs = data.train.xs();
  const ys = data.train.ys();
  const batches = Math.ceil(data.train.count / options.batchSize);
  const adapter = options.backend === 'webgpu' ? wc.backendInfo().description : 'cpu';
  await report({ type: 'start', backend: options.backend, adapter, trainCount: data.train.count, testCount: data.test.count, batches, params: model.countParams() });

  const trainStart = performance.now();
  let epochStart = trainStart;
  let seen = 0;
  let sinceReport = 0;
  let lossSum = 0;
  let accSum = 0;
  let currentEpoch = 0;
  await model.fit(xs, ys, {
    batchSize: options.batchSize, epochs: options.epochs, shuffle: true, seed: options.seed,
    callbacks: {
      onEpochBegin: (epoch) => { currentEpoch = epoch; epochStart = performance.now(); },
      onBatchEnd: async (batch, logs) => {
        seen += options.batchSize;
        sinceReport++;
        lossSum += logs?.loss ?? NaN;
        accSum += logs?.acc ?? NaN;
        if (sinceReport < REPORT_EVERY && batch !== batches - 1) return;
        const elapsed = (performance.now() - trainStart) / 1000;
        const rate = seen / elapsed;
        const left = (options.epochs * batches - (currentEpoch * batches + batch + 1)) * options.batchSize / rate;
        await report({ type: 'batch', epoch: currentEpoch, batch, batches, loss: lossSum / sinceReport, acc: accSum / sinceReport, imagesPerSecond: rate, secondsLeft: left });
        sinceReport = 0; lossSum = 0; accSum = 0;
      },
      onEpochEnd: async (epoch, logs) => {
        const seconds = (performance.now() - epochStart) / 1000;
        await report({ type: 'epoch', epoch, loss: logs?.loss ?? NaN, acc: logs?.acc ?? NaN, valLoss: logs?.val_loss, valAcc: logs?.val_acc, seconds, imagesPerSecond: data.train.count / seconds });
      },
    },
  });
  const trainSeconds = (performance.now() - trainStart) / 1000;
  xs.dispose();
  ys.dispose();

  const testX = data.test.xs();
  const testY = data.test.ys();
  const evalStart = performance.now();
  const [testLoss, testAccuracy] = await model.evaluate(testX, testY, { batchSize: 256 });
  const inferenceSeconds = (performance.now() - evalStart) / 1000;
  testX.dispose();
  testY.dispose();
  await report({
    type: 'done', testLoss, testAccuracy, trainSeconds,
    imagesPerSecond: options.epochs * data.train.count / trainSeconds,
    inferenceImagesPerSecond: data.test.count / inferenceSeconds,
  });
  return { model, testAccuracy };
}
