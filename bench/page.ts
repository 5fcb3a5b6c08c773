// The bench page: runs one cell at a time for Node (window.bench), so a slow
// cell never holds one DevTools call for the whole run, and Node prints
// progress between cells.

import * as wc from '../src/index.js';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { notRun, type CellResult } from './cell.js';
import type { MeasureOptions } from './measure.js';
import { isWebcnn, unsupported, webcnnBackend, type Engine, type ModelName, type Task } from './plan.js';
import { firstStep as tfjsFirstStep, runTfjs, runTfjsMobileNet, type TfBackend } from './tfjsCells.js';
import {
  firstStep as webcnnFirstStep, mobilenetArtifacts, runWebcnn, runWebcnnAugmented, runWebcnnMobileNet, webcnnWeights, type StepProfile, type WeightValues,
} from './webcnnCells.js';

// bench/run.mjs serves the package's .wasm files here, cross-origin isolated so that tfjs-wasm
// may start threads; by default it takes half the cores, here all of them (its best case).
setWasmPaths('/tfjs-wasm/');
setThreadsCount(navigator.hardwareConcurrency);

export interface PageInfo {
  userAgent: string;
  hardwareConcurrency: number;
  /** GiB, as the browser rounds it (navigator.deviceMemory); null where not exposed. */
  deviceMemory: number | null;
  crossOriginIsolated: boolean;
  adapter: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean; timestampQuery: boolean } | null;
  tfjsVersion: string;
  /** Threads tfjs-wasm runs with (1 unless the page is cross-origin isolated); null if it failed to start. */
  wasmThreads: number | null;
  /** TF.js's own checks that decide which wasm binary it loads. */
  wasmSimd: boolean;
  wasmMultithread: boolean;
}


const weightCache = new Map<ModelName, WeightValues[]>();
let mobilenetCache: Promise<wc.ModelArtifacts> | null = null;

const failed = (err: unknown): CellResult => notRun(`error: ${(err as Error).message ?? String(err)}`.slice(0, 300));

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

const isGpu = (engine: Engine) => engine === 'webcnn-webgpu' || engine === 'tfjs-webgpu' || engine === 'tfjs-webgl';

/** A GPU engine's warm-up standing in for the call also compiled shaders: say so. */
function marked(engine: Engine, c: CellResult): CellResult {
  return c.estimate && c.calls === 1 && isGpu(engine) ? { ...c, note: `${c.note}; it includes shader compilation: a lower bound` } : c;
}

async function initialWeights(task: Task): Promise<WeightValues[] | null> {
  if (task.kind !== 'train' && task.kind !== 'infer' && task.kind !== 'trainAugmented') return null;
  let w = weightCache.get(task.model);
  if (!w) {
    w = await webcnnWeights(wc, task.model);
    weightCache.set(task.model, w);
  }
  return w;
}

const bench = {
  async info(): Promise<PageInfo> {
    const adapter = navigator.gpu ? await navigator.gpu.requestAdapter() : null;
    const nav = navigator as Navigator & { deviceMemory?: number };
    // Starting tfjs-wasm here tells how many threads it got (its module is fetched and compiled once).
    const wasmThreads = (await tf.setBackend('wasm').catch(() => false)) ? getThreadsCount() : null;
    return {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      deviceMemory: nav.deviceMemory ?? null,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      adapter: adapter ? {
        vendor: adapter.info.vendor, architecture: adapter.info.architecture, description: adapter.info.description,
        isFallbackAdapter: adapter.info.isFallbackAdapter ?? false, timestampQuery: adapter.features.has('timestamp-query'),
      } : null,
      tfjsVersion: tf.version.tfjs,
      wasmThreads,
      wasmSimd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
      wasmMultithread: (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true,
    };
  },

  /** One cell; an error becomes the cell's note (the run goes on). */
  async run(engine: Engine, task: Task, o: MeasureOptions, tune: boolean): Promise<CellResult> {
    const why = unsupported(engine, task);
    if (why) return notRun(why);
    try {
      const opts = forEngine(engine, task, o);
      if (task.kind === 'mobilenet') {
        // one untrained model for every cell, so both libraries run the same weights
        mobilenetCache ??= mobilenetArtifacts(wc);
        const artifacts = await mobilenetCache;
        if (isWebcnn(engine)) return marked(engine, await runWebcnnMobileNet(wc, webcnnBackend(engine), task, opts, artifacts));
        return marked(engine, await runTfjsMobileNet(tf, engine.slice('tfjs-'.length) as TfBackend, task, opts, artifacts));
      }
      const weights = await initialWeights(task);
      if (task.kind === 'trainAugmented') return await runWebcnnAugmented(wc, webcnnBackend(engine), task, opts, weights);
      if (isWebcnn(engine)) return marked(engine, await runWebcnn(wc, webcnnBackend(engine), task, opts, weights, tune));
      return marked(engine, await runTfjs(tf, engine.slice('tfjs-'.length) as TfBackend, task, opts, weights));
    } catch (err) {
      return failed(err);
    }
  },

  /**
   * The first trained step on a backend never created in this page, then the
   * training cell of the same model and batch, the first step being its warm-up;
   * on webcnn with `profileTop`, the top kernels of one more step (wc.profile).
   */
  async firstStepAndTrain(engine: Engine, model: ModelName, batch: number, o: MeasureOptions, profileTop: number):
  Promise<{ first: CellResult; train: CellResult; profile: StepProfile | null }> {
    const why = unsupported(engine, { kind: 'firstStep', model, batch });
    if (why) return { first: notRun(why), train: notRun(why), profile: null };
    try {
      const train = { o: forEngine(engine, { kind: 'train', model, batch }, o), weights: (await initialWeights({ kind: 'train', model, batch }))!, profileTop };
      if (isWebcnn(engine)) {
        const r = await webcnnFirstStep(wc, webcnnBackend(engine), model, batch, train);
        return { first: r.first, train: r.train!, profile: r.profile };
      }
      const r = await tfjsFirstStep(tf, engine.slice('tfjs-'.length) as TfBackend, model, batch, train);
      return { first: r.first, train: r.train!, profile: null };
    } catch (err) {
      return { first: failed(err), train: failed(err), profile: null };
    }
  },
};

export type BenchApi = typeof bench;

declare global {
  interface Window { bench: BenchApi; benchReady?: boolean }
}

window.bench = bench;
window.benchReady = true;
