// model.save(target) and wc.loadModel(source) in TensorFlow.js's layers-model
// format, so models move between webcnn, TF.js and (through
// tensorflowjs_converter) Keras.

import { tensor } from '../engine.js';
import { decodeWeights, encodeWeights, GENERATED_BY, FORMAT } from './artifacts.js';
import { readArtifacts, writeArtifacts } from './handlers.js';
import { type ModelMakers, type SavableModel, modelToTopology, topologyToModel } from './topology.js';
import type { LoadSource, ModelArtifacts, SaveTarget } from './types.js';
import { encodeWeight, type QuantizeDtype } from './weightCodec.js';
import { withWeightBudget } from '../layers/layer.js';
import { clipped, listed } from '../preview.js';

export type { ModelArtifacts, WeightSpec, WeightQuantization, ModelJson, IOHandler, LoadSource, SaveTarget, ModelJsonSource } from './types.js';
export type { QuantizeDtype } from './weightCodec.js';

/** How model.save writes the weights. */
export interface SaveOptions {
  /** Quantize every weight as TF.js's converter does: affine 'uint8' / 'uint16', or 'float16'. Default: float32. */
  quantize?: QuantizeDtype;
}

function checkSaveOptions(options: unknown, where: string): SaveOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw new Error(`${where}: options must be an object ({ quantize }), got ${clipped(String(options))}`);
  const q = (options as SaveOptions).quantize;
  if (q !== undefined && q !== 'uint8' && q !== 'uint16' && q !== 'float16') {
    throw new Error(`${where}: quantize must be 'uint8', 'uint16' or 'float16', got ${clipped(String(q))}`);
  }
  return options as SaveOptions;
}

/** The model as in-memory artifacts: topology, weight specs (TF.js order: trainable first), bytes (quantized if asked). */
export async function modelToArtifacts(model: SavableModel, options: SaveOptions = {}): Promise<ModelArtifacts> {
  const { quantize } = checkSaveOptions(options, `${model.className}.save`);
  const weights = await Promise.all(model.weights.map(async (v) => encodeWeight(v.name, v.shape, await v.value.data(), quantize)));
  return {
    modelTopology: modelToTopology(model), weightSpecs: weights.map((w) => w.spec), weightData: encodeWeights(weights),
    format: FORMAT, generatedBy: GENERATED_BY, convertedBy: null,
  };
}

export async function saveModel(model: SavableModel, target: SaveTarget, options: SaveOptions = {}): Promise<unknown> {
  return writeArtifacts(await modelToArtifacts(model, options), target, `${model.className}.save`);
}

/**
 * Reads a saved model and builds it on the selected backend with `make`. The
 * model is built and every weight checked before it is returned: a bad file
 * throws and leaves nothing half-made (the tensors of a failed build are freed).
 */
export async function loadModelWith<M extends SavableModel>(source: LoadSource, make: ModelMakers<M>): Promise<M> {
  const where = 'loadModel';
  const artifacts = await readArtifacts(source, where);
  // the weights first: their sizes are checked against the bytes, and they bound the model the topology may build
  const stored = decodeWeights(artifacts.weightSpecs, artifacts.weightData, where);
  const values = [...stored.values()].reduce((s, w) => s + w.values.length, 0);
  // Slack past the file's size lets a model that is short of a few weights fail with the message that names them.
  const budget = 2 * values + 2 ** 20;
  const built = withWeightBudget(budget, where, `the weights file holds ${values} values in all, so the topology cannot be right`, () => topologyToModel(artifacts.modelTopology, where, make));
  const model = built.result;
  // layers the topology builds but the outputs do not reach are not the model's: their weights are freed either way
  const kept = new Set(model.weights.map((v) => v.value));
  try {
    setLoadedWeights(model, stored, where);
  } catch (err) {
    for (const t of built.made) t.dispose();
    model.dispose();
    throw err;
  } finally {
    for (const t of built.made) if (!kept.has(t)) t.dispose();
  }
  return model;
}

/** Every weight of the model from the file: none missing, none extra, every shape as the model needs. */
function setLoadedWeights(model: SavableModel, stored: Map<string, { shape: number[]; values: Float32Array }>, where: string): void {
  const vars = model.weights;
  const missing = vars.filter((v) => !stored.has(v.name)).map((v) => v.name);
  if (missing.length) throw new Error(`${where}: the weights file has no values for ${listed(missing)} (it holds ${listed([...stored.keys()]) || 'none'})`);
  for (const v of vars) {
    const s = stored.get(v.name)!;
    if (s.shape.length !== v.shape.length || s.shape.some((d, i) => d !== v.shape[i])) {
      throw new Error(`${where}: weight '${clipped(v.name)}' has shape [${clipped(s.shape.join(', '))}] in the file, but the model needs [${clipped(v.shape.join(', '))}]`);
    }
  }
  const unused = [...stored.keys()].filter((k) => !vars.some((v) => v.name === k));
  if (unused.length) throw new Error(`${where}: the weights file holds ${listed(unused)}, which the model does not have`);
  for (const v of vars) {
    const t = tensor(stored.get(v.name)!.values, v.shape);
    try {
      v.write(t);
    } finally {
      t.dispose();
    }
  }
}
