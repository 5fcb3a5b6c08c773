// The types io/ shares: TF.js's layers-model format (model.json and its
// weights) and what models are saved to and loaded from. Kept apart from the
// modules that read and write them, so that those need not import each other.

import type { Json } from './keras.js';

/** How a weight is quantized in the file (TF.js's converter): affine uint8/uint16 (value = q · scale + min) or float16. */
export interface WeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  min?: number;
  scale?: number;
  /** The dtype the values had before quantization (TF.js's name, snake_case as in model.json). */
  original_dtype?: 'float32' | 'int32';
}

export interface WeightSpec {
  name: string;
  shape: number[];
  /** What the weight holds; webcnn keeps every weight as float32 in memory. */
  dtype: 'float32' | 'int32' | 'bool';
  quantization?: WeightQuantization;
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** model.json as TF.js writes it. */
export interface ModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: Json;
  weightsManifest: WeightsManifestGroup[];
}

/** A model in memory: the topology, the weight specs and all weight bytes. */
export interface ModelArtifacts {
  modelTopology: Json;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** TF.js-style IO handler: anything with save() and/or load(). */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<unknown>;
  load?(): Promise<ModelArtifacts>;
}

/**
 * model.json in memory, as text or parsed, with the bytes of its weight files:
 * one ArrayBuffer (the shards concatenated in manifest order) or one per path.
 * It is also what indexeddb:// stores.
 */
export interface ModelJsonSource {
  modelJson: string | ModelJson;
  weightData: ArrayBuffer | ArrayBuffer[];
}

export type SaveTarget = string | IOHandler;
export type LoadSource = string | IOHandler | ModelArtifacts | ModelJsonSource;
