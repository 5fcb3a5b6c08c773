// Messages between the demo page (main.ts) and the training worker (worker.ts).

import type { TrainEvent, TrainOptions } from './trainCore.js';

export type ToWorker =
  | { type: 'train'; options: TrainOptions }
  | { type: 'stop' }
  | { type: 'classify'; pixels: number[] }
  | { type: 'save' }
  | { type: 'load' }
  | { type: 'download' };

export interface FeatureMap { layer: string; h: number; w: number; c: number; values: number[] }

export type FromWorker =
  | { type: 'ready'; backend: string; notice?: string }
  | { type: 'progress'; event: TrainEvent }
  | { type: 'evaluation'; accuracy: number; confusion: number[][]; mistakes: { pixels: number[]; predicted: number; actual: number }[] }
  | { type: 'filters'; kh: number; kw: number; count: number; values: number[] }
  | { type: 'classified'; probabilities: number[]; maps: FeatureMap[] }
  | { type: 'saved' | 'loaded' | 'stopped'; message: string }
  | { type: 'download'; modelTopology: unknown; weightSpecs: unknown; weightData: ArrayBuffer }
  | { type: 'error'; message: string };
