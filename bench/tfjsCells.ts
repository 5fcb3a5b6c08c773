// The bench's tasks on TensorFlow.js 4.22, the same way as on webcnn: the
// same shapes and data, the demo models rebuilt with tf.layers (same layers,
// optimizer and loss, same initial weights), trainOnBatch and predict.

import type * as Tf from '@tensorflow/tfjs';
import type { ModelArtifacts } from '../src/index.js';
import { cellFrom, type CellResult } from './cell.js';
import { CLASSES, MNIST_SHAPE, oneHot, uniform } from './data.js';
import { measure, type MeasureOptions } from './measure.js';
import { convOut, depthwiseOut, HEAD_CLASSES, MOBILENET_SHAPE, type MobileNetMode, type ModelName, type Task } from './plan.js';
import type { WeightValues } from './webcnnCells.js';

type TfModule = typeof Tf;
export type TfBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** webcnn's mnistLight / mnistStandard (src/models) layer for layer, compiled like buildWebcnn. */
export function buildTfjs(tf: TfModule, name: ModelName): Tf.Sequential {
  const l = tf.layers;
  const inputShape = [...MNIST_SHAPE];
  const layers = name === 'light' ? [
    l.conv2d({ inputShape, filters: 8, kernelSize: 5, activation: 'relu' }),
    l.maxPooling2d({ poolSize: 2, strides: 2 }),
    l.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
    l.maxPooling2d({ poolSize: 2, strides: 2 }),
    l.flatten(),
    l.dense({ units: CLASSES, activation: 'softmax' }),
  ] : [
    l.conv2d({ inputShape, filters: 32, kernelSize: 3, useBias: false }),
    l.batchNormalization(),
    l.reLU(),
    l.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    l.maxPooling2d({ poolSize: 2, strides: 2 }),
    l.conv2d({ filters: 64, kernelSize: 3, useBias: false }),
    l.batchNormalization(),
    l.reLU(),
    l.maxPooling2d({ poolSize: 2, strides: 2 }),
    l.flatten(),
    l.dense({ units: 128, activation: 'relu' }),
    l.dropout({ rate: 0.25 }),
    l.dense({ units: CLASSES, activation: 'softmax' }),
  ];
  const model = tf.sequential({ layers });
  const optimizer = name === 'light' ? tf.train.sgd(0.01) : tf.train.adam(0.001);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Copies webcnn's initial weights in; the shapes must match one for one (the twin is the same model). */
function copyWeights(tf: TfModule, model: Tf.Sequential, weights: WeightValues[]): void {
  const own = model.getWeights().map((w) => w.shape.join('x'));
  const theirs = weights.map((w) => w.shape.join('x'));
  if (own.join(',') !== theirs.join(',')) throw new Error(`bench: the TF.js twin's weights [${own}] differ from webcnn's [${theirs}]`);
  const ts = weights.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(ts);
  tf.dispose(ts);
}

/** tfjs-backend-wasm's thread count (its setThreadsCount), which only a backend created after it takes. */
export interface WasmThreadControl {
  set(threads: number): void;
}

/** Makes the next tfjs-wasm backend run `threads` threads: the count is set and the backend is created anew on its next use. */
export function pinWasmThreads(tf: TfModule, control: WasmThreadControl, threads: number): void {
  control.set(threads);
  if (tf.engine().registry.wasm) {
    const factory = tf.findBackendFactory('wasm');
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', factory);
  }
}

/** Selects a backend; with `fresh`, one not created before (its device, context or module made anew). */
async function select(tf: TfModule, backend: TfBackend, fresh: boolean): Promise<void> {
  if (fresh && tf.engine().registry[backend]) {
    const factory = tf.findBackendFactory(backend);
    tf.removeBackend(backend);
    tf.registerBackend(backend, factory);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend '${backend}' failed to initialize`);
  await tf.ready();
}

function dispose(tf: TfModule, model: Tf.Sequential): void {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
}

export async function runTfjs(tf: TfModule, backend: TfBackend, task: Task, o: MeasureOptions, weights: WeightValues[] | null): Promise<CellResult> {
  if (task.kind === 'firstStep') return (await firstStep(tf, backend, task.model, task.batch, null)).first;
  if (task.kind === 'mobilenet') throw new Error('bench: MobileNet cells run through runTfjsMobileNet');
  await select(tf, backend, false);
  const made: Tf.Tensor[] = [];
  const t = (values: Float32Array, shape: readonly number[]) => {
    const x = tf.tensor(values, [...shape]);
    made.push(x);
    return x;
  };
  let model: Tf.Sequential | null = null;
  try {
    let call: () => Tf.Tensor | Promise<unknown>;
    if (task.kind === 'gemm') {
      const a = t(uniform(task.n * task.n, 1), [task.n, task.n]) as Tf.Tensor2D;
      const b = t(uniform(task.n * task.n, 2), [task.n, task.n]) as Tf.Tensor2D;
      call = () => tf.matMul(a, b);
    } else if (task.kind === 'conv') {
      const l = task.layer;
      const wShape: [number, number, number, number] = [l.kernel, l.kernel, l.x[3], l.cout];
      const x = t(uniform(size(l.x), 3), l.x) as Tf.Tensor4D;
      const w = t(uniform(size(wShape), 4), wShape) as Tf.Tensor4D;
      const dy = t(uniform(size(convOut(l)), 5), convOut(l)) as Tf.Tensor4D;
      // The two backward kernels are the ones conv2d's gradient runs; backward-filter has no public op, so it is run by name.
      call = task.pass === 'forward' ? () => tf.conv2d(x, w, 1, l.padding)
        : task.pass === 'backwardInput' ? () => tf.conv2dTranspose(dy, w, l.x, 1, l.padding)
          : () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: l.padding, dataFormat: 'NHWC', filterShape: wShape }) as Tf.Tensor;
    } else if (task.kind === 'depthwise') {
      const l = task.layer;
      const wShape: [number, number, number, number] = [l.kernel, l.kernel, l.x[3], 1];
      const x = t(uniform(size(l.x), 3), l.x) as Tf.Tensor4D;
      const w = t(uniform(size(wShape), 4), wShape) as Tf.Tensor4D;
      const dy = t(uniform(size(depthwiseOut(l)), 5), depthwiseOut(l)) as Tf.Tensor4D;
      // The two kernels depthwiseConv2d's gradient runs (no public ops), by name with the attributes it passes.
      const attrs = { strides: [l.stride, l.stride], dilations: [1, 1], pad: l.padding };
      call = task.pass === 'forward' ? () => tf.depthwiseConv2d(x, w, l.stride, l.padding)
        : task.pass === 'backwardInput' ? () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: l.x }) as Tf.Tensor
          : () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: wShape }) as Tf.Tensor;
    } else {
      const m = buildTfjs(tf, task.model);
      model = m;
      if (weights) copyWeights(tf, m, weights);
      const xs = t(uniform(task.batch * size(MNIST_SHAPE), 6), [task.batch, ...MNIST_SHAPE]);
      const ys = t(oneHot(task.batch, CLASSES), [task.batch, CLASSES]);
      // trainOnBatch reads the loss back: each step is finished when it resolves.
      call = task.kind === 'train' ? () => m.trainOnBatch(xs, ys) : () => m.predict(xs, { batchSize: task.batch }) as Tf.Tensor;
    }
    const round = async (k: number) => {
      for (let i = 0; i < k; i++) {
        const r = call();
        if (r instanceof Promise) await r;
        else if (i === k - 1) await r.data().finally(() => r.dispose());
        else r.dispose();
      }
    };
    return cellFrom(task, await measure(round, o));
  } finally {
    if (model) dispose(tf, model);
    tf.dispose(made);
  }
}

/**
 * The first trained step: from creating the backend (device or context,
 * shader compilation on first use) to the first step's loss and updated weights read back. With
 * `train`, the same model then goes on as the training cell at this batch, its
 * first step having been the warm-up (the initial weights are copied in first);
 * `onFirst` hears the first step's figure before the training cell starts.
 */
export async function firstStep(
  tf: TfModule, backend: TfBackend, name: ModelName, batch: number, train: { o: MeasureOptions; weights: WeightValues[]; onFirst?: (first: CellResult) => void } | null,
): Promise<{ first: CellResult; train: CellResult | null }> {
  const t0 = performance.now();
  await select(tf, backend, true);
  const model = buildTfjs(tf, name);
  const xs = tf.tensor(uniform(batch * size(MNIST_SHAPE), 6), [batch, ...MNIST_SHAPE]);
  const ys = tf.tensor(oneHot(batch, CLASSES), [batch, CLASSES]);
  try {
    await model.trainOnBatch(xs, ys);
    // Until the step's update is done, as webcnn's cell waits for it.
    await model.getWeights()[0].data();
    const ms = performance.now() - t0;
    const first = cellFrom({ kind: 'firstStep', model: name, batch }, { calls: 1, ms, warmupMs: 0, fromWarmup: false });
    if (!train) return { first, train: null };
    train.onFirst?.(first);
    copyWeights(tf, model, train.weights);
    const round = async (k: number) => { for (let i = 0; i < k; i++) await model.trainOnBatch(xs, ys); };
    return { first, train: cellFrom({ kind: 'train', model: name, batch }, await measure(round, { ...train.o, warmedUpMs: ms })) };
  } finally {
    dispose(tf, model);
    tf.dispose([xs, ys]);
  }
}

/**
 * mobilenetWebcnn's model in TF.js, loaded from the same artifacts. TF.js's BatchNormalization
 * ignores `trainable`: a frozen base's batch norms still normalize by the batch's statistics (and
 * update their moving ones) in trainOnBatch, where Keras and webcnn run them in inference mode.
 */
export async function mobilenetTfjs(tf: TfModule, artifacts: ModelArtifacts, mode: MobileNetMode): Promise<{ model: Tf.LayersModel; dispose: () => void }> {
  const base = await tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as Tf.io.ModelArtifacts));
  if (mode === 'infer') return { model: base, dispose: () => base.dispose() };
  for (const layer of base.layers) layer.trainable = mode === 'full';
  const features = base.getLayer('global_average_pooling2d').output as Tf.SymbolicTensor;
  const out = tf.layers.dense({ units: HEAD_CLASSES, activation: 'softmax', name: 'head' }).apply(features) as Tf.SymbolicTensor;
  const model = tf.model({ inputs: base.inputs, outputs: out });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return { model, dispose: () => { const opt = model.optimizer; model.dispose(); opt?.dispose(); base.getLayer('predictions').dispose(); } };
}

/** One MobileNet cell, as runWebcnnMobileNet. */
export async function runTfjsMobileNet(tf: TfModule, backend: TfBackend, task: Task & { kind: 'mobilenet' }, o: MeasureOptions, artifacts: ModelArtifacts): Promise<CellResult> {
  await select(tf, backend, false);
  const { model, dispose } = await mobilenetTfjs(tf, artifacts, task.mode);
  const xs = tf.tensor(uniform(task.batch * size(MOBILENET_SHAPE), 6), [task.batch, ...MOBILENET_SHAPE]);
  const ys = tf.tensor(oneHot(task.batch, HEAD_CLASSES), [task.batch, HEAD_CLASSES]);
  try {
    const round = async (k: number) => {
      for (let i = 0; i < k; i++) {
        if (task.mode !== 'infer') {
          await model.trainOnBatch(xs, ys);
          continue;
        }
        const r = model.predict(xs, { batchSize: task.batch }) as Tf.Tensor;
        if (i === k - 1) await r.data().finally(() => r.dispose());
        else r.dispose();
      }
    };
    return cellFrom(task, await measure(round, o));
  } finally {
    dispose();
    tf.dispose([xs, ys]);
  }
}
