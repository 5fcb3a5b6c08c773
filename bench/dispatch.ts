// One cell on one engine, for either host of the bench: the browser page
// (bench/page.ts) and the Node runner on Dawn (bench/device/). The engines'
// modules come in as arguments, so each host loads them its own way.

import type * as Wc from '../src/index.js';
import type * as Tf from '@tensorflow/tfjs';
import { notRun, type CellResult } from './cell.js';
import type { MeasureOptions } from './measure.js';
import { engineThreads, isWebcnn, unsupported, webcnnBackend, type Engine, type ModelName, type Task } from './plan.js';
import { firstStep as tfjsFirstStep, pinWasmThreads, runTfjs, runTfjsMobileNet, type TfBackend, type WasmThreadControl } from './tfjsCells.js';
import {
  firstStep as webcnnFirstStep, mobilenetArtifacts, runWebcnn, runWebcnnAugmented, runWebcnnMobileNet, webcnnWeights, type StepProfile, type WeightValues,
} from './webcnnCells.js';

export interface CellRunner {
  /** One cell; an error becomes the cell's note (the run goes on). */
  run(engine: Engine, task: Task, o: MeasureOptions, tune: boolean): Promise<CellResult>;
  /**
   * The first trained step on a backend never created in this page or process, then the
   * training cell of the same model and batch, the first step being its warm-up;
   * on webcnn with `profileTop`, the top kernels of one more step (wc.profile);
   * `onFirst` hears the first step's figure before the training cell starts.
   */
  firstStepAndTrain(engine: Engine, model: ModelName, batch: number, o: MeasureOptions, profileTop: number, onFirst?: (first: CellResult) => void):
  Promise<{ first: CellResult; train: CellResult; profile: StepProfile | null }>;
}

const failed = (err: unknown): CellResult => notRun(`error: ${(err as Error).message ?? String(err)}`.slice(0, 300));

const isGpu = (engine: Engine) => engine === 'webcnn-webgpu' || engine === 'tfjs-webgpu' || engine === 'tfjs-webgl';

/**
 * When a long warm-up call may stand in for the timed one: on a CPU engine (nothing to compile),
 * and for one GEMM or conv pass (a few shaders, seconds at most, against a call over the cap).
 * Not for a model on a GPU engine: its first step compiles the whole model's shaders (tfjs-webgpu
 * on SwiftShader: most of a minute), so a step is always timed after it.
 */
function forEngine(engine: Engine, task: Task, o: MeasureOptions): MeasureOptions {
  const op = task.kind === 'gemm' || task.kind === 'conv' || task.kind === 'depthwise';
  return isGpu(engine) && !op ? { ...o, maxCallMs: Infinity } : o;
}

/** A GPU engine's warm-up standing in for the call also compiled shaders: say so. */
function marked(engine: Engine, c: CellResult): CellResult {
  return c.estimate && c.calls === 1 && isGpu(engine) ? { ...c, note: `${c.note}; it includes shader compilation: a lower bound` } : c;
}

const tfjsBackend = (engine: Engine) => engine.slice('tfjs-'.length).replace(/-2t$/, '') as TfBackend;

/** wasmThreads: tfjs-backend-wasm's thread setting, where the host loads that backend (the page does). */
export function cellRunner(wc: typeof Wc, tf: typeof Tf, wasmThreads: WasmThreadControl | null = null): CellRunner {
  const weightCache = new Map<ModelName, WeightValues[]>();
  let mobilenetCache: Promise<Wc.ModelArtifacts> | null = null;
  /** Threads the current tfjs-wasm backend was pinned to (null: not pinned yet). */
  let tfjsWasmThreads: number | null = null;

  /** Before a tfjs-wasm cell: that engine's thread count, the backend remade when it changes. */
  function pinTfjs(engine: Engine): void {
    if (tfjsBackend(engine) !== 'wasm' || !wasmThreads) return;
    const want = engineThreads(engine);
    if (tfjsWasmThreads === want) return;
    pinWasmThreads(tf, wasmThreads, want);
    tfjsWasmThreads = want;
  }

  // Both libraries start a model from webcnn's initial weights.
  async function initialWeights(task: Task): Promise<WeightValues[] | null> {
    if (task.kind !== 'train' && task.kind !== 'infer' && task.kind !== 'trainAugmented') return null;
    let w = weightCache.get(task.model);
    if (!w) {
      w = await webcnnWeights(wc, task.model);
      weightCache.set(task.model, w);
    }
    return w;
  }

  return {
    async run(engine, task, o, tune) {
      const why = unsupported(engine, task);
      if (why) return notRun(why);
      try {
        const opts = forEngine(engine, task, o);
        if (task.kind === 'mobilenet') {
          // one untrained model for every cell, so both libraries run the same weights
          mobilenetCache ??= mobilenetArtifacts(wc);
          const artifacts = await mobilenetCache;
          if (isWebcnn(engine)) return marked(engine, await runWebcnnMobileNet(wc, webcnnBackend(engine), task, opts, artifacts));
          pinTfjs(engine);
          return marked(engine, await runTfjsMobileNet(tf, tfjsBackend(engine), task, opts, artifacts));
        }
        const weights = await initialWeights(task);
        if (task.kind === 'trainAugmented') return await runWebcnnAugmented(wc, webcnnBackend(engine), task, opts, weights);
        if (isWebcnn(engine)) return marked(engine, await runWebcnn(wc, webcnnBackend(engine), task, opts, weights, tune));
        pinTfjs(engine);
        return marked(engine, await runTfjs(tf, tfjsBackend(engine), task, opts, weights));
      } catch (err) {
        return failed(err);
      }
    },

    async firstStepAndTrain(engine, model, batch, o, profileTop, onFirst) {
      const why = unsupported(engine, { kind: 'firstStep', model, batch });
      if (why) return { first: notRun(why), train: notRun(why), profile: null };
      try {
        const train = { o: forEngine(engine, { kind: 'train', model, batch }, o), weights: (await initialWeights({ kind: 'train', model, batch }))!, profileTop, onFirst };
        if (isWebcnn(engine)) {
          const r = await webcnnFirstStep(wc, webcnnBackend(engine), model, batch, train);
          return { first: r.first, train: r.train!, profile: r.profile };
        }
        pinTfjs(engine);
        const r = await tfjsFirstStep(tf, tfjsBackend(engine), model, batch, train);
        return { first: r.first, train: r.train!, profile: null };
      } catch (err) {
        return { first: failed(err), train: failed(err), profile: null };
      }
    },
  };
}
