// The bench's tasks on webcnn, through its public API: ops for GEMM and conv,
// the zoo's demo models with trainOnBatch and predict for whole models.

import type * as Wc from '../src/index.js';
import type { ModelArtifacts, SymbolicTensor, Tensor } from '../src/index.js';
import { cellFrom, type CellResult } from './cell.js';
import { CLASSES, MNIST_SHAPE, oneHot, uniform } from './data.js';
import { measure, type MeasureOptions } from './measure.js';
import { mnistAugmentation, withAugmentation } from '../demo/augment.js';
import { convOut, depthwiseOut, HEAD_CLASSES, MOBILENET_SHAPE, type MobileNetMode, type ModelName, type Task, type WebcnnBackend } from './plan.js';

type WcModule = typeof Wc;
type Model = InstanceType<WcModule['LayersModel']>;

/** Initial weights shared with the TF.js twin: values and shapes in getWeights() order. */
export interface WeightValues { shape: number[]; values: Float32Array }

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/**
 * The demo's model, compiled as issue 9 measured it: light with SGD, standard with Adam;
 * `augmented` puts the layers of `npm run train -- --augment` in front.
 */
export function buildWebcnn(wc: WcModule, name: ModelName, augmented = false): Model {
  const base = name === 'light' ? wc.models.mnistLight() : wc.models.mnistStandard();
  const model = augmented ? withAugmentation(wc, base, mnistAugmentation(wc, { augment: true }, 1)) : base;
  const optimizer = name === 'light' ? wc.optimizers.sgd({ learningRate: 0.01 }) : wc.optimizers.adam({ learningRate: 0.001 });
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Selects an engine's backend; the wasm engines pin their threads ('wasm' 1, 'wasm-2t' 2). */
async function selectBackend(wc: WcModule, backend: WebcnnBackend, options: Parameters<WcModule['setBackend']>[1] = {}): Promise<void> {
  if (backend === 'wasm' || backend === 'wasm-2t') {
    const threads = backend === 'wasm-2t' ? 2 : 1;
    await wc.setBackend('wasm', { ...options, threads });
    const got = wc.backendInfo().wasm?.threads;
    if (got !== threads) throw new Error(`bench: webcnn-wasm runs ${got} thread(s), not ${threads}: ${wc.backendInfo().wasm?.threadsReason ?? ''}`);
    return;
  }
  await wc.setBackend(backend, options);
}

export async function webcnnWeights(wc: WcModule, name: ModelName): Promise<WeightValues[]> {
  await wc.setBackend('cpu');
  const model = buildWebcnn(wc, name);
  const out = await Promise.all(model.getWeights().map(async (t) => ({ shape: [...t.shape], values: await t.data() })));
  model.dispose();
  return out;
}

/** Top kernels of one profiled training step (wc.profile). */
export interface StepProfile {
  timing: string;
  totalMs: number;
  wallMs: number;
  kernels: { name: string; calls: number; totalMs: number; share: number }[];
}

/**
 * One cell. `tune`: run the autotuner after a model's warm-up (fit does after its first batch);
 * the bench does it once per model, with the first step, as tuning the bigger shapes takes minutes.
 */
export async function runWebcnn(wc: WcModule, backend: WebcnnBackend, task: Task, o: MeasureOptions, weights: WeightValues[] | null, tune = false): Promise<CellResult> {
  if (task.kind === 'firstStep') return (await firstStep(wc, backend, task.model, task.batch, null)).first;
  // GEMM and conv ops run on a backend instance of their own that never tunes: the default one
  // would record their shapes and tune them too at a model's autotune() (minutes for 1024³ and the
  // VGG layer). Untuned is also what a shape gets the first time on the default instance.
  if (task.kind === 'mobilenet') throw new Error('bench: MobileNet cells run through runWebcnnMobileNet');
  if (task.kind === 'trainAugmented') throw new Error('bench: augmented training runs through runWebcnnAugmented');
  const opsOnly = task.kind === 'gemm' || task.kind === 'conv' || task.kind === 'depthwise';
  await selectBackend(wc, backend, opsOnly && backend === 'webgpu' ? { autotune: false } : {});
  const made: Tensor[] = [];
  const t = (values: Float32Array, shape: readonly number[]) => {
    const x = wc.tensor(values, shape);
    made.push(x);
    return x;
  };
  let model: Model | null = null;
  try {
    let call: () => Tensor | Promise<unknown>;
    if (task.kind === 'gemm') {
      const a = t(uniform(task.n * task.n, 1), [task.n, task.n]);
      const b = t(uniform(task.n * task.n, 2), [task.n, task.n]);
      call = () => wc.ops.matmul(a, b, false, false);
    } else if (task.kind === 'conv') {
      const l = task.layer;
      const wShape = [l.kernel, l.kernel, l.x[3], l.cout];
      const p = { strides: [1, 1], padding: l.padding, dilations: [1, 1] } as const;
      const x = t(uniform(size(l.x), 3), l.x);
      const w = t(uniform(size(wShape), 4), wShape);
      const dy = t(uniform(size(convOut(l)), 5), convOut(l));
      call = task.pass === 'forward' ? () => wc.ops.conv2d(x, w, null, p)
        : task.pass === 'backwardInput' ? () => wc.ops.conv2dBackwardInput(dy, w, l.x, p)
          : () => wc.ops.conv2dBackwardFilter(x, dy, wShape, p);
    } else if (task.kind === 'depthwise') {
      const l = task.layer;
      const wShape = [l.kernel, l.kernel, l.x[3], 1];
      const p = { strides: [l.stride, l.stride], padding: l.padding, dilations: [1, 1] } as const;
      const x = t(uniform(size(l.x), 3), l.x);
      const w = t(uniform(size(wShape), 4), wShape);
      const dy = t(uniform(size(depthwiseOut(l)), 5), depthwiseOut(l));
      call = task.pass === 'forward' ? () => wc.ops.depthwiseConv2d(x, w, p)
        : task.pass === 'backwardInput' ? () => wc.ops.depthwiseConv2dBackwardInput(dy, w, l.x, p)
          : () => wc.ops.depthwiseConv2dBackwardFilter(x, dy, wShape, p);
    } else {
      const m = buildWebcnn(wc, task.model);
      model = m;
      if (weights) {
        const ws = weights.map((w) => wc.tensor(w.values, w.shape));
        m.setWeights(ws);
        for (const w of ws) w.dispose();
      }
      const xs = t(uniform(task.batch * size(MNIST_SHAPE), 6), [task.batch, ...MNIST_SHAPE]);
      const ys = t(oneHot(task.batch, CLASSES), [task.batch, CLASSES]);
      // trainOnBatch reads the loss back: each step is finished when it resolves.
      call = task.kind === 'train' ? () => m.trainOnBatch(xs, ys) : () => m.predict(xs, { batchSize: task.batch }) as Tensor;
    }
    const round = async (k: number) => {
      for (let i = 0; i < k; i++) {
        const r = call();
        if (r instanceof Promise) await r;
        else if (i === k - 1) await r.data().finally(() => r.dispose());
        else r.dispose();
      }
    };
    const afterWarmup = async () => {
      await pipelinesBuilt(made[0]);
      if (model && tune) await autotune(made[0]);
    };
    return cellFrom(task, await measure(round, { ...o, afterWarmup }));
  } finally {
    model?.dispose();
    for (const x of made) x.dispose();
  }
}

const autotune = async (t: Tensor) => { await t.backend.autotune?.(); };
/** The warm-up's end: the kernel variants webcnn builds in the background after a first call are built (WebGPU). */
const pipelinesBuilt = async (t: Tensor | undefined) => { await t?.backend.pipelinesBuilt?.(); };

/**
 * The first trained step: from selecting the backend (device and pipelines
 * created on first use) to the first step's loss and updated weights read back. With `train`, the
 * same model then goes on as the training cell at this batch, its first step
 * having been the warm-up (the initial weights are copied in first, and the
 * autotuner runs, as fit runs it after its first batch); with `profileTop`,
 * one more step is profiled and its top kernels returned; `onFirst` hears the
 * first step's figure before the training cell starts.
 */
export async function firstStep(
  wc: WcModule, backend: WebcnnBackend, name: ModelName, batch: number,
  train: { o: MeasureOptions; weights: WeightValues[]; profileTop?: number; onFirst?: (first: CellResult) => void } | null,
): Promise<{ first: CellResult; train: CellResult | null; profile: StepProfile | null }> {
  const t0 = performance.now();
  await selectBackend(wc, backend);
  const model = buildWebcnn(wc, name);
  const xs = wc.tensor(uniform(batch * size(MNIST_SHAPE), 6), [batch, ...MNIST_SHAPE]);
  const ys = wc.tensor(oneHot(batch, CLASSES), [batch, CLASSES]);
  try {
    await model.trainOnBatch(xs, ys);
    // Until the step's update is done: an engine may resolve trainOnBatch before it applies the update.
    await model.getWeights()[0].data();
    const ms = performance.now() - t0;
    const first = cellFrom({ kind: 'firstStep', model: name, batch }, { calls: 1, ms, warmupMs: 0, fromWarmup: false });
    if (!train) return { first, train: null, profile: null };
    train.onFirst?.(first);
    const ws = train.weights.map((w) => wc.tensor(w.values, w.shape));
    model.setWeights(ws);
    for (const w of ws) w.dispose();
    const round = async (k: number) => { for (let i = 0; i < k; i++) await model.trainOnBatch(xs, ys); };
    const m = await measure(round, { ...train.o, warmedUpMs: ms, afterWarmup: async () => { await autotune(xs); await pipelinesBuilt(xs); } });
    let profile: StepProfile | null = null;
    if (train.profileTop) {
      const p = await wc.profile(() => model.trainOnBatch(xs, ys));
      profile = { timing: p.timing, totalMs: p.totalMs, wallMs: p.wallMs, kernels: p.kernels.slice(0, train.profileTop).map((k) => ({ ...k })) };
    }
    return { first, train: cellFrom({ kind: 'train', model: name, batch }, m), profile };
  } finally {
    model.dispose();
    xs.dispose();
    ys.dispose();
  }
}

/** The MobileNet rows' model, untrained, as both libraries load it: keras.applications' MobileNetV2 at alpha 1, 224×224×3. */
export async function mobilenetArtifacts(wc: WcModule): Promise<ModelArtifacts> {
  await wc.setBackend('cpu');
  const m = wc.models.mobilenetV2();
  try {
    return await wc.modelToArtifacts(m);
  } finally {
    m.dispose();
  }
}

/**
 * The model of a MobileNet row: the loaded classifier for inference; for fine-tuning, its base
 * (up to global average pooling) under a new dense softmax head, the base frozen for 'head'
 * (its batch norms then run in inference mode, as Keras's) and trained for 'full'; Adam.
 */
export async function mobilenetWebcnn(wc: WcModule, artifacts: ModelArtifacts, mode: MobileNetMode): Promise<{ model: Model; dispose: () => void }> {
  const base = await wc.loadModel(artifacts);
  if (mode === 'infer') return { model: base, dispose: () => base.dispose() };
  base.trainable = mode === 'full';
  const features = base.getLayer('global_average_pooling2d').output;
  const out = wc.layers.dense({ units: HEAD_CLASSES, activation: 'softmax', name: 'head' }).apply(features) as SymbolicTensor;
  const model = wc.model({ inputs: base.inputs, outputs: out });
  model.compile({ optimizer: wc.optimizers.adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
  // the head model holds every base layer but the old classifier
  return { model, dispose: () => { model.dispose(); base.getLayer('predictions').dispose(); } };
}

/** One MobileNet cell: predict at the row's batch, or trainOnBatch (loss read back each step). */
export async function runWebcnnMobileNet(wc: WcModule, backend: WebcnnBackend, task: Task & { kind: 'mobilenet' }, o: MeasureOptions, artifacts: ModelArtifacts): Promise<CellResult> {
  await selectBackend(wc, backend);
  const { model, dispose } = await mobilenetWebcnn(wc, artifacts, task.mode);
  const xs = wc.tensor(uniform(task.batch * size(MOBILENET_SHAPE), 6), [task.batch, ...MOBILENET_SHAPE]);
  const ys = wc.tensor(oneHot(task.batch, HEAD_CLASSES), [task.batch, HEAD_CLASSES]);
  try {
    const round = async (k: number) => {
      for (let i = 0; i < k; i++) {
        if (task.mode !== 'infer') {
          await model.trainOnBatch(xs, ys);
          continue;
        }
        const r = model.predict(xs, { batchSize: task.batch }) as Tensor;
        if (i === k - 1) await r.data().finally(() => r.dispose());
        else r.dispose();
      }
    };
    return cellFrom(task, await measure(round, o));
  } finally {
    dispose();
    xs.dispose();
    ys.dispose();
  }
}

/**
 * Training with augmentation, and the same model and weights without it in the
 * same cell: both warmed up and tuned (fit tunes after its first batch), then
 * timed in turn, a quarter of the budget at a time, so the machine's drift
 * falls on both alike. The figure is the augmented rate; the note gives the
 * plain one and the step time augmentation adds.
 */
export async function runWebcnnAugmented(
  wc: WcModule, backend: WebcnnBackend, task: Extract<Task, { kind: 'trainAugmented' }>, o: MeasureOptions, weights: WeightValues[] | null,
): Promise<CellResult> {
  await selectBackend(wc, backend);
  const models = [buildWebcnn(wc, task.model, true), buildWebcnn(wc, task.model)];
  const xs = wc.tensor(uniform(task.batch * size(MNIST_SHAPE), 6), [task.batch, ...MNIST_SHAPE]);
  const ys = wc.tensor(oneHot(task.batch, CLASSES), [task.batch, CLASSES]);
  try {
    if (weights) {
      for (const m of models) {
        const ws = weights.map((w) => wc.tensor(w.values, w.shape));
        m.setWeights(ws);
        for (const w of ws) w.dispose();
      }
    }
    let warmupMs = 0;
    for (const m of models) {
      const t0 = performance.now();
      await m.trainOnBatch(xs, ys);
      warmupMs += performance.now() - t0;
    }
    await autotune(xs);
    await pipelinesBuilt(xs);
    const totals = models.map(() => ({ calls: 0, ms: 0 }));
    for (let turn = 0; turn < 4; turn++) {
      const i = turn % 2;
      const m = models[i];
      const r = await measure(async (k) => { for (let j = 0; j < k; j++) await m.trainOnBatch(xs, ys); }, { ...o, budgetMs: o.budgetMs / 4, warmedUpMs: 0 });
      totals[i].calls += r.calls;
      totals[i].ms += r.ms;
    }
    const [aug, plain] = totals.map((t) => cellFrom(task, { calls: t.calls, ms: t.ms, warmupMs, fromWarmup: false }));
    const added = (plain.value! / aug.value! - 1) * 100;
    return { ...aug, note: `without augmentation in the same cell ${plain.value!.toFixed(1)} images/s: augmentation adds ${added.toFixed(1)}% to a step` };
  } finally {
    for (const m of models) m.dispose();
    xs.dispose();
    ys.dispose();
  }
}
