// LayersModel, the model users see: a functional graph of layers
// (wc.model({ inputs, outputs })) with the weights API and summary. It
// composes the graph (src/graph), training (src/train) and saving (src/io),
// which know a model only through their own small interfaces.
// Sequential (sequential.ts) is a LayersModel built as a chain.

import type { Tensor } from '../tensor.js';
import { Layer, LayerVariable, Node, SymbolicTensor, uniqueName, type ApplyArgs } from '../layers/layer.js';
import { isRecording } from '../autodiff/tape.js';
import { InputLayer } from '../layers/input.js';
import { clipped, listed } from '../preview.js';
import { buildTopology, ModelGraph } from '../graph/topology.js';
import { checkFeeds, forwardGraph, type ForwardPass } from '../graph/executor.js';
import { formatSummary, outputShapeString } from '../graph/summary.js';
import { compileModel, type CompileArgs } from '../train/compile.js';
import { evaluateModel, fitModel, predictModel, trainOnBatchModel, type EvaluateArgs, type FitArgs, type PredictArgs } from '../train/fit.js';
import type { History } from '../train/callbacks.js';
import { evaluateDatasetModel, fitDatasetModel, type EvaluateDatasetArgs, type FitDatasetArgs } from '../train/fitDataset.js';
import type { Dataset } from '../data/dataset.js';
import type { DataElement } from '../data/element.js';
import { restoreCheckpoint, takeCheckpoint } from '../train/checkpoint.js';
import type { Checkpoint, Compiled } from '../train/types.js';
import { saveModel, type SaveOptions } from '../io/index.js';
import type { SaveTarget } from '../io/types.js';

export interface ModelArgs {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  name?: string;
}

const asList = <T>(v: T | readonly T[]): T[] => (Array.isArray(v) ? [...(v as readonly T[])] : [v as T]);

export class LayersModel {
  readonly className: string = 'Model';
  readonly name: string;
  /** Set by callbacks (early stopping) to end fit() after the current epoch. */
  stopTraining = false;
  /** What compile() resolved: optimizer, losses, metrics. */
  compiled: Compiled | null = null;
  /**
   * The latest checkpoint of the weights and optimizer state, in CPU memory so
   * that it survives device loss: fit keeps one every `checkpointEvery` batches,
   * takeCheckpoint() takes one now.
   */
  checkpoint: Checkpoint | null = null;
  protected graph: ModelGraph | null = null;

  constructor(args: ModelArgs | null, defaultPrefix = 'model', name?: string) {
    this.name = args?.name ?? name ?? uniqueName(defaultPrefix);
    if (args) this.setGraph(asList(args.inputs), asList(args.outputs));
  }

  /**
   * Wires the model to these inputs and outputs. The topology is built now
   * (a functional model's graph errors belong to its constructor), or, with
   * `lazy`, on first use: Sequential.add extends its chain in constant time
   * and checks what the topology would itself.
   */
  protected setGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[], lazy = false): void {
    const where = `${this.className === 'Sequential' ? 'sequential' : 'model'} '${this.name}'`;
    if (inputs.length === 0 || outputs.length === 0) throw new Error(`${where}: needs at least one input and one output`);
    this.graph = new ModelGraph(inputs, outputs, () => buildTopology(where, inputs, outputs));
    if (!lazy) void this.graph.topology;
  }

  /** The graph, or a clear error when a sequential model has no input shape yet. */
  protected requireGraph(where: string): ModelGraph {
    if (!this.graph) {
      throw new Error(`${this.className}.${where}: the model has no input shape yet; give its first layer an inputShape (or call it on data first)`);
    }
    return this.graph;
  }

  get inputs(): SymbolicTensor[] {
    return this.requireGraph('inputs').inputs;
  }
  get outputs(): SymbolicTensor[] {
    return this.requireGraph('outputs').outputs;
  }
  /** TF.js's layer order (functional models include their InputLayers). */
  get layers(): Layer[] {
    return this.graph ? this.graph.topology.layers : [];
  }

  /** The call sites the outputs need, in run order. */
  get nodes(): Node[] {
    return this.requireGraph('nodes').topology.nodes;
  }

  getLayer(nameOrIndex: string | number): Layer {
    const layer = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((l) => l.name === nameOrIndex);
    if (!layer) throw new Error(`${this.className}.getLayer: no layer ${typeof nameOrIndex === 'number' ? `at index ${nameOrIndex}` : `named '${clipped(nameOrIndex)}'`}; layers: ${listed(this.layers.map((l) => l.name))}`);
    return layer;
  }

  // ---- weights: every trainable weight in layer order, then every non-trainable one

  get trainableWeights(): LayerVariable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }
  get nonTrainableWeights(): LayerVariable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }
  /**
   * Saves in TensorFlow.js's layers-model format: an IO handler (in memory),
   * 'indexeddb://name' or 'downloads://name' in a browser, a directory in Node.
   * `{ quantize: 'uint8' | 'uint16' | 'float16' }` writes the weights quantized
   * as TF.js's converter does (smaller files; TF.js and loadModel read them).
   */
  async save(target: SaveTarget, options: SaveOptions = {}): Promise<unknown> {
    return saveModel(this, target, options);
  }

  get weights(): LayerVariable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }
  /** The weight tensors themselves (not copies), TF.js's order. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.value);
  }
  /** Copies values into the weights, in getWeights() order. */
  setWeights(values: readonly Tensor[]): void {
    const vars = this.weights;
    if (values.length !== vars.length) {
      throw new Error(`${this.className}.setWeights: expected ${vars.length} tensors (${listed(vars.map((v) => v.name))}), got ${values.length}`);
    }
    // all checked before any is written: a bad tensor leaves every weight as it was
    vars.forEach((v, i) => v.checkWrite(values[i]));
    vars.forEach((v, i) => v.write(values[i]));
  }
  countParams(): number {
    return this.layers.reduce((s, l) => s + (l.built ? l.countParams() : 0), 0);
  }
  get trainable(): boolean {
    return this.layers.every((l) => l.trainable);
  }
  set trainable(value: boolean) {
    for (const l of this.layers) l.trainable = value;
  }

  /** Prints TF.js's summary table (printFn defaults to console.log). */
  summary(lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): void {
    void lineLength; void positions;
    const g = this.requireGraph('summary');
    const sequential = this.className === 'Sequential';
    const inGraph = new Set(g.topology.nodes);
    const rows = this.layers
      .filter((l) => !(sequential && l instanceof InputLayer))
      .map((layer) => {
        const nodes = layer.inboundNodes.filter((n) => inGraph.has(n));
        const receives = nodes.flatMap((n) => n.inputs.map((x) => x.sourceLayer.name)).join(', ');
        return { layer, outputShape: outputShapeString(layer), receives };
      });
    formatSummary(this.name, rows, sequential, printFn);
  }

  // ---- running the graph

  /** One pass over a batch; training turns on dropout and batch statistics. */
  forwardPass(feeds: readonly Tensor[], training: boolean): ForwardPass {
    const g = this.requireGraph('forward');
    checkFeeds(`${this.className} '${this.name}'`, g.inputs, feeds);
    return forwardGraph(g.topology.nodes, g.inputs, g.outputs, feeds, training);
  }

  /** Called by fit/predict with the data's shapes; Sequential builds itself here. */
  ensureBuilt(_feeds: readonly Tensor[]): void {
    this.requireGraph('fit/predict');
  }

  /**
   * On real tensors: one pass over the whole input, as TF.js's apply
   * (training: true runs dropout and batch statistics). Inside a gradient call
   * (wc.grad, optimizer.minimize) each layer records its gradient. Symbolic
   * nesting of models inside models is not supported.
   */
  apply(x: Tensor | readonly Tensor[], kwargs: ApplyArgs = {}): Tensor | Tensor[] {
    if (!kwargs.training && !isRecording()) return this.predict(x as Tensor | Tensor[], { batchSize: Number.MAX_SAFE_INTEGER });
    const feeds = Array.isArray(x) ? [...x] as Tensor[] : [x as Tensor];
    this.ensureBuilt(feeds);
    const { outputs } = this.forwardPass(feeds, kwargs.training ?? false);
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  // ---- training (src/train)

  compile(args: CompileArgs): void {
    this.compiled = compileModel(this, args);
  }
  fit(x: Tensor | Tensor[], y: Tensor | Tensor[], args: FitArgs = {}): Promise<History> {
    return fitModel(this, x, y, args);
  }
  evaluate(x: Tensor | Tensor[], y: Tensor | Tensor[], args: EvaluateArgs = {}): Promise<number[]> {
    return evaluateModel(this, x, y, args);
  }
  /** Trains on a dataset of { xs, ys } (or [xs, ys]) batches, streaming them: TF.js's fitDataset. */
  fitDataset(dataset: Dataset<DataElement>, args: FitDatasetArgs): Promise<History> {
    return fitDatasetModel(this, dataset, args);
  }
  /** evaluate over a dataset of batches: [loss, ...metrics] as numbers. */
  evaluateDataset(dataset: Dataset<DataElement>, args: EvaluateDatasetArgs = {}): Promise<number[]> {
    return evaluateDatasetModel(this, dataset, args);
  }
  trainOnBatch(x: Tensor | Tensor[], y: Tensor | Tensor[]): Promise<number | number[]> {
    return trainOnBatchModel(this, x, y);
  }
  predict(x: Tensor | Tensor[], args: PredictArgs = {}): Tensor | Tensor[] {
    // inside a gradient call, one recorded pass (batching would concatenate outside the tape)
    if (isRecording()) return this.apply(x);
    return predictModel(this, x, args) as Tensor | Tensor[];
  }

  /** The loss and metric names fit's logs use, TF.js's metricsNames. */
  get metricsNames(): string[] {
    return this.compiled ? ['loss', ...this.compiled.lossKeys, ...this.compiled.metricKeys] : ['loss'];
  }

  /** Copies the weights and optimizer state to CPU memory now (one readback) and keeps it as `checkpoint`. */
  takeCheckpoint(): Promise<Checkpoint> {
    return takeCheckpoint(this);
  }

  /**
   * Puts a checkpoint's weights and optimizer state (default: the latest) back,
   * on the selected backend. After device loss: await wc.setBackend('webgpu'),
   * then this, then fit again. The weight tensors stay the same objects.
   */
  async restoreCheckpoint(checkpoint: Checkpoint | null = this.checkpoint): Promise<void> {
    if (!checkpoint) throw new Error(`${this.className}.restoreCheckpoint: no checkpoint; pass checkpointEvery to fit, or call takeCheckpoint()`);
    await restoreCheckpoint(this, checkpoint);
  }

  /** Frees the weights and the optimizer's slots (the optimizer makes new ones if training goes on). */
  dispose(): void {
    for (const l of this.layers) l.dispose();
    this.compiled?.optimizer.dispose();
  }
}

/** wc.model({ inputs, outputs }). */
export function model(args: ModelArgs): LayersModel {
  return new LayersModel(args);
}
