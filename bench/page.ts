// The bench page: runs one cell at a time for Node (window.bench), so a slow
// cell never holds one DevTools call for the whole run, and Node prints
// progress between cells.

import * as wc from '../src/index.js';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { cellRunner } from './dispatch.js';

// bench/run.mjs serves the package's .wasm files here, cross-origin isolated so that tfjs-wasm
// may start threads; by default it takes half the cores. The engines pin theirs (tfjs-wasm 1,
// tfjs-wasm-2t 2); info() reports what it takes with all of them.
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

const cells = cellRunner(wc, tf, { set: setThreadsCount });

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

  run: cells.run,
  firstStepAndTrain: cells.firstStepAndTrain,
};

export type BenchApi = typeof bench;

declare global {
  interface Window { bench: BenchApi; benchReady?: boolean }
}

window.bench = bench;
window.benchReady = true;
