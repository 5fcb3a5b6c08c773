// A model to its Keras topology (model.json's modelTopology) and back, as TF.js
// and Keras write it: Sequential as a list of layer configs, functional models
// ('Model' / 'Functional') with inbound nodes naming their input layers. The
// model classes sit above io/: it reads them through SavableModel, and loading
// makes them through the ModelMakers it is handed.

import type { Layer, LayerVariable, Node, SymbolicTensor } from '../layers/layer.js';
import { InputLayer } from '../layers/input.js';
import { layerClass } from '../layers/registry.js';
import { initializerFromConfig } from '../layers/initializers.js';
import { regularizerFromConfig } from '../layers/regularizers.js';
import { refuseConstraint } from '../layers/constraints.js';
import { clipped, preview } from '../preview.js';
import { type Json, pythonicToTs, tsToPythonic } from './keras.js';

/** What saving reads of a model, and what loading needs of the model it makes. */
export interface SavableModel {
  readonly className: string;
  readonly name: string;
  readonly layers: Layer[];
  readonly nodes: Node[];
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  readonly weights: LayerVariable[];
  dispose(): void;
}

/** How loading makes the model a topology describes: a chain of layers, or a graph between symbolic tensors. */
export interface ModelMakers<M extends SavableModel> {
  sequential(layers: Layer[], name: string | undefined): M;
  functional(inputs: SymbolicTensor[], outputs: SymbolicTensor[], name: string | undefined): M;
}

const KERAS_VERSION = 'tfjs-layers 4.22.0';

type AnyLayerArgs = Record<string, unknown>;

// ---- saving ---------------------------------------------------------------

function layerEntry(layer: Layer): { class_name: string; config: Json } {
  return { class_name: layer.className, config: tsToPythonic(layer.getConfig() as Json) };
}

/** The modelTopology of a model, as TF.js's model.toJSON writes it. */
export function modelToTopology(m: SavableModel): Json {
  if (m.className === 'Sequential') {
    return { class_name: 'Sequential', config: { name: m.name, layers: m.layers.map(layerEntry) }, keras_version: KERAS_VERSION, backend: 'tensor_flow.js' };
  }
  const ref = (t: SymbolicTensor): Json => [t.sourceLayer.name, t.sourceLayer.inboundNodes.indexOf(t.node), 0, {}];
  const inModel = new Set<Node>(m.nodes);
  const entries = m.layers.map((layer) => ({
    name: layer.name,
    class_name: layer.className,
    config: tsToPythonic(layer.getConfig() as Json),
    inbound_nodes: layer.inboundNodes.filter((n) => n.inputs.length > 0 && inModel.has(n)).map((n) => n.inputs.map(ref)),
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

/**
 * {className, config} initializer and regularizer dicts back into objects,
 * each through its class table; constraints and activity regularizers, which
 * webcnn does not apply, are refused.
 */
function resolveArgs(cfg: Record<string, unknown>, where: string): AnyLayerArgs {
  const args: AnyLayerArgs = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (k.endsWith('Initializer') && isObject(v)) {
      args[k] = initializerFromConfig(v, `${where} ${k}`);
    } else if (k === 'activityRegularizer') {
      if (v !== null) throw new Error(`${where}: activity regularizers are not supported, got ${preview(v)}`);
    } else if (k.endsWith('Regularizer') && v !== null) {
      if (!isObject(v)) throw new Error(`${where}: ${k} must be {class_name, config}, got ${preview(v)}`);
      args[k] = regularizerFromConfig(v, `${where} ${k}`);
    } else if (k.endsWith('Constraint')) {
      refuseConstraint(where, k, v);
    } else if (k === 'dataFormat') {
      if (v !== 'channelsLast') throw new Error(`${where}: only channels-last (NHWC) data is supported, got dataFormat ${typeof v === 'string' ? `'${clipped(v)}'` : preview(v)}`);
    } else if (k === 'batchInputShape' && Array.isArray(v)) {
      args[k] = v;
    } else if (v !== null && k !== 'dtype') {
      args[k] = v;
    }
  }
  return args;
}

function buildLayer(entry: unknown, where: string): Layer {
  if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
    throw new Error(`${where}: each layer must be {class_name, config}, got ${preview(entry)}`);
  }
  const Ctor = layerClass(entry.class_name, where);
  const cfg = pythonicToTs(entry.config as Json) as Record<string, unknown>;
  if (Ctor === InputLayer) {
    // Keras writes batch_input_shape (or batch_shape in Keras 3).
    const shape = cfg.batchInputShape ?? cfg.batchShape;
    if (!Array.isArray(shape)) throw new Error(`${where}: InputLayer '${clipped(String(cfg.name))}' needs batch_input_shape (a list), got ${shape === undefined ? 'none' : preview(shape)}`);
    return new InputLayer({ name: typeof cfg.name === 'string' ? cfg.name : undefined, batchInputShape: shape as (number | null)[] });
  }
  return new Ctor(resolveArgs(cfg, `${where} (${entry.class_name} '${clipped(String(cfg.name))}')`) as never);
}

function buildSequential<M extends SavableModel>(config: Record<string, unknown>, where: string, make: ModelMakers<M>): M {
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
  return make.sequential(built, typeof config.name === 'string' ? config.name : undefined);
}

type NodeRef = [string, number, number];

function parseRef(r: unknown, where: string): NodeRef {
  if (!Array.isArray(r) || typeof r[0] !== 'string' || !Number.isInteger(r[1]) || !Number.isInteger(r[2] ?? 0)) {
    throw new Error(`${where}: expected [layerName, nodeIndex, tensorIndex], got ${preview(r)}`);
  }
  return [r[0], r[1] as number, (r[2] as number) ?? 0];
}

function buildFunctional<M extends SavableModel>(config: Record<string, unknown>, where: string, make: ModelMakers<M>): M {
  if (!Array.isArray(config.layers)) throw new Error(`${where}: a functional topology needs a 'layers' list`);
  const byName = new Map<string, { layer: Layer; calls: unknown[]; outputs: SymbolicTensor[] }>();
  for (const entry of config.layers) {
    const layer = buildLayer(entry, where);
    // an InputLayer is called by nothing: its one output exists from the start
    const calls = !(layer instanceof InputLayer) && isObject(entry) && Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : [];
    if (byName.has(layer.name)) throw new Error(`${where}: two layers are named '${clipped(layer.name)}'`);
    const outputs = layer instanceof InputLayer ? [layer.output] : [];
    byName.set(layer.name, { layer, calls, outputs });
  }
  const lookup = (ref: NodeRef): SymbolicTensor | undefined => byName.get(ref[0])?.outputs[ref[1]];
  // Apply each layer's call sites once their inputs exist. A call that waits
  // for an output is parked under it and woken when it is made, so the work
  // stays linear in the number of calls, in whatever order the file lists
  // them; a call never woken is a dangling or cyclic reference.
  const outputKey = (layerName: string, index: number): string => `${index}:${layerName}`;
  const parked = new Map<string, string[]>();
  const queue = [...byName.keys()];
  for (let head = 0; head < queue.length; head++) {
    const name = queue[head];
    const rec = byName.get(name)!;
    const made = rec.layer instanceof InputLayer ? 1 : 0;
    while (rec.outputs.length < rec.calls.length + made) {
      const call = rec.calls[rec.outputs.length - made];
      // Keras 2 nests each call as [[name, node, tensor, kwargs], ...]; Keras 3 writes {args, kwargs}.
      if (!Array.isArray(call)) {
        throw new Error(`${where}: layer '${clipped(name)}' has an inbound node ${preview(call, 60)}; expected a list of [layerName, nodeIndex, tensorIndex] (Keras 3's {args, kwargs} nodes are not read: convert with tensorflowjs_converter)`);
      }
      const refs = call.map((r) => parseRef(r, `${where} (inbound node of '${clipped(name)}')`));
      if (!refs.every((r) => byName.has(r[0]))) throw new Error(`${where}: layer '${clipped(name)}' takes input from an unknown layer (${clipped(refs.map((r) => r[0]).join(', '))})`);
      const missing = refs.find((r) => !lookup(r));
      if (missing) {
        const key = outputKey(missing[0], missing[1]);
        const list = parked.get(key);
        if (list) list.push(name);
        else parked.set(key, [name]);
        break;
      }
      const list = refs.map((r) => lookup(r)!);
      rec.outputs.push(rec.layer.apply(list.length === 1 ? list[0] : list));
      const woken = parked.get(outputKey(name, rec.outputs.length - 1));
      if (woken) {
        parked.delete(outputKey(name, rec.outputs.length - 1));
        for (const w of woken) queue.push(w);
      }
    }
  }
  const ends = (key: string): SymbolicTensor[] => {
    const refs = config[key];
    if (!Array.isArray(refs) || refs.length === 0) throw new Error(`${where}: the topology has no ${key}`);
    return refs.map((r) => {
      const t = lookup(parseRef(r, where));
      if (!t) throw new Error(`${where}: ${key} names ${preview(r)}, which no layer call produces (a cycle or a missing layer?)`);
      return t;
    });
  };
  return make.functional(ends('input_layers'), ends('output_layers'), typeof config.name === 'string' ? config.name : undefined);
}

/** The newest major versions whose model configs webcnn reads: Keras (tensorflowjs_converter) and TF.js's layers. */
const NEWEST = { keras: 3, tfjs: 4 };

/** keras_version as Keras ('2.15.0') or TF.js ('tfjs-layers 4.22.0') writes it; a newer major version has a format webcnn does not know. */
function checkVersion(v: unknown, where: string): void {
  if (v === undefined || v === null) return;
  const text = typeof v === 'string' ? clipped(v) : preview(v);
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
export function topologyToModel<M extends SavableModel>(topology: Json, where: string, make: ModelMakers<M>): M {
  try {
    // Some writers nest the Keras JSON under 'model_config'.
    const t = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
    if (!isObject(t) || typeof t.class_name !== 'string') throw new Error(`${where}: modelTopology must be {class_name, config}, got ${preview(t)}`);
    checkVersion(isObject(topology) ? topology.keras_version ?? t.keras_version : undefined, where);
    const config = t.config as Record<string, unknown>;
    if (!isObject(config) && !Array.isArray(config)) throw new Error(`${where}: modelTopology.config must be an object, got ${config === undefined ? 'none' : preview(config)}`);
    if (t.class_name === 'Sequential') return buildSequential(config, where, make);
    if (t.class_name === 'Model' || t.class_name === 'Functional') return buildFunctional(config, where, make);
    throw new Error(`${where}: unknown model class '${t.class_name}'; expected 'Sequential', 'Model' or 'Functional'`);
  } catch (err) {
    // Layer and graph checks name the layer but not the loader: say where the bad config came from.
    // Only plain Errors: a TypeError from deep inside is a defect and must stay visible as one.
    if (err instanceof Error && err.name === 'Error' && !err.message.startsWith(`${where}`)) throw new Error(`${where}: ${err.message}`);
    throw err;
  }
}
