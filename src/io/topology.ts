// A model to its Keras topology (model.json's modelTopology) and back, as TF.js
// and Keras write it: Sequential as a list of layer configs, functional models
// ('Model' / 'Functional') with inbound nodes naming their input layers.

import * as layers from '../layers/index.js';
import * as initializers from '../layers/initializers.js';
import { l1l2 } from '../layers/regularizers.js';
import type { Layer, LayerConfig, SymbolicTensor } from '../layers/layer.js';
import { InputLayer } from '../layers/input.js';
import { LayersModel } from '../graph/model.js';
import { Sequential, sequential } from '../graph/sequential.js';
import { model as functionalModel } from '../graph/model.js';
import { type Json, pythonicToTs, tsToPythonic } from './keras.js';

const KERAS_VERSION = 'tfjs-layers 4.22.0';

type AnyLayerArgs = Record<string, unknown>;
type LayerCtor = new (args: never) => Layer;

/** Keras class names webcnn can build, with their TF.js aliases. */
const LAYER_CLASSES: Record<string, LayerCtor> = {
  Conv2D: layers.Conv2D, Dense: layers.Dense, MaxPooling2D: layers.MaxPooling2D, MaxPool2D: layers.MaxPooling2D,
  AveragePooling2D: layers.AveragePooling2D, AvgPool2D: layers.AveragePooling2D,
  GlobalAveragePooling2D: layers.GlobalAveragePooling2D, GlobalMaxPooling2D: layers.GlobalMaxPooling2D,
  Flatten: layers.Flatten, Reshape: layers.Reshape, Activation: layers.Activation, ReLU: layers.ReLU,
  LeakyReLU: layers.LeakyReLU, ELU: layers.ELU, Softmax: layers.Softmax, BatchNormalization: layers.BatchNormalization,
  Dropout: layers.Dropout, ZeroPadding2D: layers.ZeroPadding2D, Add: layers.Add, Concatenate: layers.Concatenate,
  LocallyConnected2D: layers.LocallyConnected2D, InputLayer,
};

// ---- saving ---------------------------------------------------------------

function layerEntry(layer: Layer): { class_name: string; config: Json } {
  return { class_name: layer.className, config: tsToPythonic(layer.getConfig() as Json) };
}

/** The modelTopology of a model, as TF.js's model.toJSON writes it. */
export function modelToTopology(m: LayersModel): Json {
  if (m instanceof Sequential) {
    return { class_name: 'Sequential', config: { name: m.name, layers: m.layers.map(layerEntry) }, keras_version: KERAS_VERSION, backend: 'tensor_flow.js' };
  }
  const ref = (t: SymbolicTensor): Json => [t.sourceLayer.name, t.sourceLayer.inboundNodes.indexOf(t.node), 0, {}];
  const entries = m.layers.map((layer) => ({
    name: layer.name,
    class_name: layer.className,
    config: tsToPythonic(layer.getConfig() as Json),
    inbound_nodes: layer.inboundNodes.filter((n) => n.inputs.length > 0 && m.nodes.includes(n)).map((n) => n.inputs.map(ref)),
  }));
  return {
    class_name: 'Model',
    config: { name: m.name, layers: entries, input_layers: m.inputs.map(ref), output_layers: m.outputs.map(ref) },
    keras_version: KERAS_VERSION, backend: 'tensor_flow.js',
  };
}

// ---- loading --------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** {className, config} initializer and regularizer dicts back into objects; constraints are not supported. */
function resolveArgs(cfg: Record<string, unknown>, where: string): AnyLayerArgs {
  const args: AnyLayerArgs = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (k.endsWith('Initializer') && isObject(v)) {
      const name = String(v.className ?? '');
      const factory = (initializers as unknown as Record<string, (a: unknown) => unknown>)[name.charAt(0).toLowerCase() + name.slice(1)];
      if (typeof factory !== 'function') throw new Error(`${where}: unknown initializer '${name}'`);
      args[k] = factory(isObject(v.config) ? v.config : {});
    } else if (k.endsWith('Regularizer') && v !== null) {
      if (!isObject(v) || !isObject(v.config)) throw new Error(`${where}: ${k} must be {class_name, config}, got ${JSON.stringify(v)}`);
      args[k] = l1l2({ l1: Number(v.config.l1 ?? 0), l2: Number(v.config.l2 ?? 0) });
    } else if (k.endsWith('Constraint')) {
      if (v !== null) throw new Error(`${where}: weight constraints are not supported (${k})`);
    } else if (k === 'dataFormat') {
      if (v !== 'channelsLast') throw new Error(`${where}: only channels-last (NHWC) data is supported, got dataFormat '${String(v)}'`);
    } else if (k === 'batchInputShape' && Array.isArray(v)) {
      args[k] = v;
    } else if (v !== null && k !== 'activityRegularizer' && k !== 'dtype') {
      args[k] = v;
    }
  }
  return args;
}

function buildLayer(entry: unknown, where: string): Layer {
  if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
    throw new Error(`${where}: each layer must be {class_name, config}, got ${JSON.stringify(entry)?.slice(0, 80)}`);
  }
  const Ctor = Object.hasOwn(LAYER_CLASSES, entry.class_name) ? LAYER_CLASSES[entry.class_name] : undefined;
  if (!Ctor) throw new Error(`${where}: unknown layer class '${entry.class_name}'; webcnn knows ${Object.keys(LAYER_CLASSES).join(', ')}`);
  const cfg = pythonicToTs(entry.config as Json) as Record<string, unknown>;
  if (entry.class_name === 'InputLayer') {
    // Keras writes batch_input_shape (or batch_shape in Keras 3).
    const shape = cfg.batchInputShape ?? cfg.batchShape;
    if (!Array.isArray(shape)) throw new Error(`${where}: InputLayer '${String(cfg.name)}' needs batch_input_shape (a list), got ${JSON.stringify(shape) ?? 'none'}`);
    return new InputLayer({ name: typeof cfg.name === 'string' ? cfg.name : undefined, batchInputShape: shape as (number | null)[] });
  }
  return new Ctor(resolveArgs(cfg, `${where} (${entry.class_name} '${String(cfg.name)}')`) as never);
}

function buildSequential(config: Record<string, unknown>, where: string): LayersModel {
  const entries = Array.isArray(config) ? config : config.layers;
  if (!Array.isArray(entries)) throw new Error(`${where}: a Sequential topology needs a 'layers' list`);
  let pendingShape: unknown = null;
  const built: Layer[] = [];
  for (const entry of entries) {
    if (isObject(entry) && entry.class_name === 'InputLayer' && isObject(entry.config)) {
      // Keras 2 writes an explicit InputLayer first: carry its shape to the next layer.
      pendingShape = entry.config.batch_input_shape ?? entry.config.batch_shape;
      continue;
    }
    if (pendingShape && isObject(entry) && isObject(entry.config)) {
      // a copy: the caller's topology object is not changed
      built.push(buildLayer({ ...entry, config: { ...entry.config, batch_input_shape: pendingShape as Json } }, where));
      pendingShape = null;
      continue;
    }
    built.push(buildLayer(entry, where));
  }
  return sequential({ layers: built, name: typeof config.name === 'string' ? config.name : undefined });
}

type NodeRef = [string, number, number];

function parseRef(r: unknown, where: string): NodeRef {
  if (!Array.isArray(r) || typeof r[0] !== 'string' || !Number.isInteger(r[1]) || !Number.isInteger(r[2] ?? 0)) {
    throw new Error(`${where}: expected [layerName, nodeIndex, tensorIndex], got ${JSON.stringify(r)}`);
  }
  return [r[0], r[1] as number, (r[2] as number) ?? 0];
}

function buildFunctional(config: Record<string, unknown>, where: string): LayersModel {
  if (!Array.isArray(config.layers)) throw new Error(`${where}: a functional topology needs a 'layers' list`);
  const byName = new Map<string, { layer: Layer; calls: unknown[]; outputs: SymbolicTensor[] }>();
  for (const entry of config.layers) {
    const layer = buildLayer(entry, where);
    const calls = isObject(entry) && Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : [];
    if (byName.has(layer.name)) throw new Error(`${where}: two layers are named '${layer.name}'`);
    const outputs = layer instanceof InputLayer ? [layer.output] : [];
    byName.set(layer.name, { layer, calls, outputs });
  }
  const lookup = (ref: NodeRef): SymbolicTensor | undefined => byName.get(ref[0])?.outputs[ref[1]];
  // Apply call sites once their inputs exist; a pass that adds nothing means a dangling or cyclic reference.
  let progress = true;
  while (progress) {
    progress = false;
    for (const [name, rec] of byName) {
      while (rec.outputs.length < rec.calls.length + (rec.layer instanceof InputLayer ? 1 : 0)) {
        const call = rec.calls[rec.outputs.length];
        // Keras 2 nests each call as [[name, node, tensor, kwargs], ...]; Keras 3 writes {args, kwargs}.
        if (!Array.isArray(call)) {
          throw new Error(`${where}: layer '${name}' has an inbound node ${JSON.stringify(call)?.slice(0, 60)}; expected a list of [layerName, nodeIndex, tensorIndex] (Keras 3's {args, kwargs} nodes are not read: convert with tensorflowjs_converter)`);
        }
        const refs = call.map((r) => parseRef(r, `${where} (inbound node of '${name}')`));
        if (!refs.every((r) => byName.has(r[0]))) throw new Error(`${where}: layer '${name}' takes input from an unknown layer (${refs.map((r) => r[0]).join(', ')})`);
        const inputs = refs.map(lookup);
        if (inputs.some((t) => !t)) break;
        const list = inputs as SymbolicTensor[];
        rec.outputs.push(rec.layer.apply(list.length === 1 ? list[0] : list));
        progress = true;
      }
    }
  }
  const ends = (key: string): SymbolicTensor[] => {
    const refs = config[key];
    if (!Array.isArray(refs) || refs.length === 0) throw new Error(`${where}: the topology has no ${key}`);
    return refs.map((r) => {
      const t = lookup(parseRef(r, where));
      if (!t) throw new Error(`${where}: ${key} names ${JSON.stringify(r)}, which no layer call produces (a cycle or a missing layer?)`);
      return t;
    });
  };
  return functionalModel({ inputs: ends('input_layers'), outputs: ends('output_layers'), name: typeof config.name === 'string' ? config.name : undefined });
}

/** The newest major versions whose model configs webcnn reads: Keras (tensorflowjs_converter) and TF.js's layers. */
const NEWEST = { keras: 3, tfjs: 4 };

/** keras_version as Keras ('2.15.0') or TF.js ('tfjs-layers 4.22.0') writes it; a newer major version has a format webcnn does not know. */
function checkVersion(v: unknown, where: string): void {
  if (v === undefined || v === null) return;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  const tfjs = typeof v === 'string' ? /^tfjs-layers (\d+)\.\d+/.exec(v) : null;
  const keras = typeof v === 'string' ? /^(\d+)\.\d+/.exec(v) : null;
  const major = Number((tfjs ?? keras)?.[1]);
  const newest = tfjs ? NEWEST.tfjs : NEWEST.keras;
  if (!(major >= 1 && major <= newest)) {
    throw new Error(`${where}: the model was saved by ${tfjs ? 'TensorFlow.js layers' : 'Keras'} version ${text}, a format webcnn does not know; `
      + `it reads models from Keras 1 to ${NEWEST.keras} and TensorFlow.js layers 1 to ${NEWEST.tfjs} (keras_version '2.15.0' or 'tfjs-layers 4.22.0')`);
  }
}

/** Builds the model a modelTopology describes (weights freshly initialized; the loader then sets them). */
export function topologyToModel(topology: Json, where: string): LayersModel {
  try {
    // Some writers nest the Keras JSON under 'model_config'.
    const t = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
    if (!isObject(t) || typeof t.class_name !== 'string') throw new Error(`${where}: modelTopology must be {class_name, config}, got ${JSON.stringify(t)?.slice(0, 80)}`);
    checkVersion(isObject(topology) ? topology.keras_version ?? t.keras_version : undefined, where);
    const config = t.config as Record<string, unknown>;
    if (!isObject(config) && !Array.isArray(config)) throw new Error(`${where}: modelTopology.config must be an object, got ${JSON.stringify(config)?.slice(0, 80) ?? 'none'}`);
    if (t.class_name === 'Sequential') return buildSequential(config, where);
    if (t.class_name === 'Model' || t.class_name === 'Functional') return buildFunctional(config, where);
    throw new Error(`${where}: unknown model class '${t.class_name}'; expected 'Sequential', 'Model' or 'Functional'`);
  } catch (err) {
    // Layer and graph checks name the layer but not the loader: say where the bad config came from.
    // Only plain Errors: a TypeError from deep inside is a defect and must stay visible as one.
    if (err instanceof Error && err.name === 'Error' && !err.message.startsWith(`${where}`)) throw new Error(`${where}: ${err.message}`);
    throw err;
  }
}

export type { LayerConfig };
