// Messages between the demo page (main.ts) and the training worker (worker.ts).

import type { TrainEvent, TrainOptions } from './trainCore.js';
import type { AugmentChoice } from './augment.js';

export type ToWorker =
  | { type: 'init'; backend: 'webgpu' | 'wasm' | 'cpu' }
  | { type: 'train'; options: TrainOptions }
  | { type: 'stop' }
  | { type: 'classify'; pixels: Float32Array }
  | { type: 'preview'; choice: AugmentChoice; count: number }
  | { type: 'save' }
  | { type: 'load' }
  | { type: 'download' };

/** A layer's output for the drawn digit: h x w x c values, channels interleaved (NHWC). */
export interface FeatureMap { layer: string; h: number; w: number; c: number; values: Float32Array }

/** The first conv kernel for input channel 0: kh x kw x count values, filters interleaved. */
export interface Filters { kh: number; kw: number; count: number; values: Float32Array }

export interface MistakeImage { pixels: Float32Array; predicted: number; actual: number }

export interface Evaluation { accuracy: number; count: number; confusion: number[][]; mistakes: MistakeImage[] }

export type FromWorker =
  | { type: 'ready'; backend: 'webgpu' | 'wasm' | 'cpu'; adapter: string; notice?: string }
  | { type: 'progress'; event: TrainEvent }
  | { type: 'evaluation'; evaluation: Evaluation }
  | { type: 'model'; filters: Filters | null; description: string }
  | { type: 'classified'; probabilities: number[]; maps: FeatureMap[] }
  | { type: 'stored'; message: string }
  | { type: 'download'; files: { name: string; blob: Blob }[] }
  | { type: 'error'; message: string };
