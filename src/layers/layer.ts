// The Layer base class, its weights (LayerVariable) and the symbolic tensors
// (SymbolicTensor, Node) that wire layers into a graph. Layer is the API that
// src/graph, src/model, src/train and src/io build on; it mirrors Keras and
// TF.js: getConfig() is the TF.js camelCase config model.json stores, and
// weights are named `<layer name>/<weight name>` (conv2d_1/kernel), as the
// TF.js weights manifest names them.

import type { Tensor } from '../tensor.js';
import { keep, shapeToString } from '../tensor.js';
import { backend } from '../engine.js';
import type { Initializer } from './initializers.js';
import type { Regularizer } from './regularizers.js';
import { shown } from './args.js';
import { refuseConstraint } from './constraints.js';
import { checkOutputSize, checkWeightSize } from './sizeLimit.js';
import { forwardRecorded } from './recorded.js';
import { registerTrainable, unregisterTrainable } from '../autodiff/trainables.js';
import { backwardByTape, forwardByTape, type CallArgs, type TapeSaved } from './tapeLayer.js';
import { getInitializer, glorotUniform, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, type RegularizerIdentifier } from './regularizers.js';
import type { LayerConfig, SymShape } from './types.js';
import { LayerVariable, type BackwardOptions, type LayerGrads } from './variable.js';

// Layers import these from here, beside the Layer API they belong to.
export type { ConfigValue, LayerConfig, SymShape } from './types.js';
export type { CallArgs } from './tapeLayer.js';
export { LayerVariable, type BackwardOptions, type LayerGrads } from './variable.js';

/** Arguments every layer takes, as in TF.js's LayerArgs. */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Shape of one sample (no batch axis): makes the layer the first of a sequential model. */
  inputShape?: readonly number[];
  /** Shape with the batch axis, which may be null. */
  batchInputShape?: SymShape;
  batchSize?: number;
  /** Only 'float32' exists here; accepted for TF.js compatibility. */
  dtype?: 'float32';
}

// ---- unique names: one counter per Keras prefix (conv2d_1, conv2d_2, ...)
const nameCounters = new Map<string, number>();

/** 'MaxPooling2D' -> 'max_pooling2d', 'BatchNormalization' -> 'batch_normalization', as Keras does. */
export function toSnakeCase(className: string): string {
  const s1 = className.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  return s1.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * A cap on the weight values layers may create while `fn` runs, and the
 * weight tensors made meanwhile (freed if fn throws; returned otherwise, so
 * the caller can free those of layers its model does not keep). loadModel
 * builds a model from a file's topology under a cap of what its weights file
 * holds: a corrupt topology that asks for absurd weight shapes fails before
 * anything that size is allocated, and a failed load leaves no tensors behind.
 */
export function withWeightBudget<T>(maxValues: number, where: string, explain: string, fn: () => T): { result: T; made: Tensor[] } {
  const outer = budget;
  const mine = { remaining: maxValues, where, explain, made: [] as Tensor[] };
  budget = mine;
  try {
    return { result: fn(), made: mine.made };
  } catch (err) {
    for (const t of mine.made) t.dispose();
    throw err;
  } finally {
    budget = outer;
  }
}

let budget: { remaining: number; where: string; explain: string; made: Tensor[] } | null = null;

export function uniqueName(prefix: string): string {
  const n = (nameCounters.get(prefix) ?? 0) + 1;
  nameCounters.set(prefix, n);
  return `${prefix}_${n}`;
}

/** A call site of a layer: its symbolic inputs and its output. */
export class Node {
  private static nextId = 0;
  readonly id = Node.nextId++;
  constructor(readonly layer: Layer, readonly inputs: readonly SymbolicTensor[], readonly output: SymbolicTensor) {}
}

/** A placeholder in a layer graph: a shape (batch axis null) and the node that makes it. */
export class SymbolicTensor {
  private static nextId = 0;
  readonly id = SymbolicTensor.nextId++;
  /** Set right after construction by the node that produces it. */
  node!: Node;
  constructor(readonly shape: SymShape, readonly name: string) {}

  get sourceLayer(): Layer {
    return this.node.layer;
  }
  get rank(): number {
    return this.shape.length;
  }
}

/** What apply() takes besides its inputs, as TF.js's kwargs. */
export interface ApplyArgs {
  /** Run as in training (dropout on, batch statistics); default false. */
  training?: boolean;
}

/**
 * A layer: name is unique per Keras class (conv2d_1, conv2d_2, dense_1, ...),
 * className the Keras class name. build() creates the weights once the input
 * shape is known; forward(xs, training) returns the output and what backward
 * needs (inputs, pre-activations, batch statistics); backward returns the
 * gradients for each input (null where not needed) and each trainable weight.
 * apply() records a call site on symbolic tensors, or runs inference on tensors.
 */
export class Layer<S = unknown> {
  /** A user's subclass sets `static className = 'MyLayer'`: the name model.json stores. */
  static className = 'Layer';
  /** The Keras class name ('Conv2D'); a user's layer takes its class's static className. */
  readonly className: string;
  readonly name: string;
  /** Shape with the batch axis, when the layer was given one (first layer of a model). */
  readonly batchInputShape: SymShape | null;
  /** Call sites, in order of apply(). */
  readonly inboundNodes: Node[] = [];
  built = false;
  protected trainableFlag: boolean;
  private readonly variables: LayerVariable[] = [];

  /** A user's subclass calls super(args); built-in layers also pass their Keras name prefix. */
  constructor(args: LayerArgs = {}, defaultPrefix?: string) {
    this.className = staticClassName(new.target);
    defaultPrefix ??= toSnakeCase(this.className);
    args ??= {};
    checkLayerArgs(args, defaultPrefix);
    this.name = args.name ?? uniqueName(defaultPrefix);
    this.trainableFlag = args.trainable ?? true;
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    else this.batchInputShape = null;
    if (args.dtype !== undefined && args.dtype !== 'float32') {
      throw new Error(`${this.constructor.name} '${this.name}': only dtype 'float32' is supported, got '${String(args.dtype)}'`);
    }
  }

  // ---- shapes and weights --------------------------------------------------

  /** Creates the weights for the given input shape(s). Layers without weights keep the default. */
  protected buildWeights(_inputShapes: SymShape[]): void {}

  /**
   * Creates the weights for the input shape: one shape for one input, a list
   * for several, as TF.js passes them. A user's layer overrides it and calls
   * addWeight; built-in layers implement buildWeights.
   */
  build(inputShape: SymShape | SymShape[]): void {
    if (this.built) return;
    this.buildWeights(isShapeList(inputShape) ? inputShape : [inputShape]);
    this.built = true;
  }

  /** Builds once, for the shapes of the inputs of a call (what apply and the graph call). */
  ensureBuilt(inputShapes: SymShape[]): void {
    if (this.built) return;
    this.build(inputShapes.length === 1 ? inputShapes[0] : inputShapes);
    this.built = true;
  }

  /** The output shape for the input shape(s) (one shape for one input); the default is the input's, as TF.js's. */
  computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    return isShapeList(inputShape) ? inputShape[0] : inputShape;
  }

  /** Adds a weight filled by an initializer (kept alive outside tidy scopes). */
  protected createWeight(name: string, shape: readonly number[], init: Initializer, trainable: boolean, regularizer: Regularizer | null = null): LayerVariable {
    checkWeightSize(`${this.className} '${this.name}'`, name, shape);
    const count = shape.reduce((a, b) => a * b, 1);
    if (budget) {
      if (count > budget.remaining) {
        throw new Error(`${budget.where}: layer '${this.name}' needs a weight '${name}' of shape ${shapeToString(shape)} (${count} values); ${budget.explain}`);
      }
      budget.remaining -= count;
    }
    const values = init.values(shape);
    const t = keep(backend().fromValues(values, shape));
    budget?.made.push(t);
    const v = new LayerVariable(`${this.name}/${name}`, t, trainable, regularizer);
    v.trainable = trainable && this.trainableFlag;
    this.variables.push(v);
    // listed by name, as TF.js's layer weights are variables: variableGrads and minimize find them
    registerTrainable(v);
    return v;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  /** false freezes every weight of the layer (their gradients are not computed or applied). */
  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const v of this.variables) v.trainable = value && v.declaredTrainable;
  }

  /** Every weight: trainable first, then non-trainable, as TF.js lists a layer's weights. */
  get weights(): LayerVariable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }
  get trainableWeights(): LayerVariable[] {
    return this.variables.filter((v) => v.trainable);
  }
  get nonTrainableWeights(): LayerVariable[] {
    return this.variables.filter((v) => !v.trainable);
  }

  /** The weight tensors themselves (not copies), in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.value);
  }

  /** Copies values into the weights, in getWeights() order. */
  setWeights(values: readonly Tensor[]): void {
    const vars = this.weights;
    if (values.length !== vars.length) {
      throw new Error(`${this.className}.setWeights ('${this.name}'): expected ${vars.length} tensors (${vars.map((v) => v.name).join(', ') || 'none'}), got ${values.length}`);
    }
    // all checked before any is written: a bad tensor leaves every weight as it was
    vars.forEach((v, i) => v.checkWrite(values[i]));
    vars.forEach((v, i) => v.write(values[i]));
  }

  countParams(): number {
    if (!this.built) {
      throw new Error(`${this.className} '${this.name}': countParams() needs the layer built; give the model an inputShape or call it on data first`);
    }
    return this.variables.reduce((s, v) => s + v.value.size, 0);
  }

  /** Frees the weights. */
  dispose(): void {
    for (const v of this.variables) {
      unregisterTrainable(v);
      v.value.dispose();
    }
  }

  // ---- math ----------------------------------------------------------------

  /**
   * TF.js's addWeight(name, shape, dtype?, initializer?, regularizer?,
   * trainable?, constraint?), for a user's layer: a weight named
   * `<layer>/<name>`, initialized by the initializer (default glorotUniform,
   * as Keras), listed in getWeights and saved with the model.
   */
  addWeight(
    name: string, shape: readonly number[], dtype?: 'float32', initializer?: InitializerIdentifier,
    regularizer?: RegularizerIdentifier | null, trainable = true, constraint?: unknown,
  ): LayerVariable {
    const where = `${this.className} '${this.name}'.addWeight(${JSON.stringify(String(name))})`;
    if (typeof name !== 'string' || name === '') throw new Error(`${where}: name must be a non-empty string`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`${where}: shape must be a list of non-negative integers, got ${shown(shape)}`);
    }
    if (dtype !== undefined && dtype !== null && dtype !== 'float32') throw new Error(`${where}: only dtype 'float32' is supported, got ${shown(dtype)}`);
    refuseConstraint(where, 'constraint', constraint);
    const init = getInitializer(initializer, () => glorotUniform(), where);
    const reg = regularizer === undefined || regularizer === null ? null : getRegularizer(regularizer, where);
    return this.createWeight(name, shape, init, trainable, reg);
  }

  /** A user's layer's computation, in webcnn's ops (TF.js's call); the default passes the input through. */
  call(inputs: Tensor | Tensor[], _kwargs: CallArgs): Tensor | Tensor[] {
    return inputs;
  }

  /**
   * One call: the output and what the backward needs. `training` turns on
   * dropout and batch statistics. Built-in layers run their kernels here; the
   * default runs call() and records its ops on a tape (src/layers/tapeLayer.ts).
   */
  forward(xs: Tensor[], training: boolean): [Tensor, S] {
    return forwardByTape(this, xs, training) as [Tensor, S];
  }

  /** Gradients for the inputs and the trainable weights, from what forward saved; the default backpropagates through call()'s tape. */
  backward(dy: Tensor, saved: S, opts: BackwardOptions): LayerGrads {
    return backwardByTape(this, dy, saved as TapeSaved, opts);
  }

  /**
   * The symbolic output of the layer's call site (TF.js's layer.output), for
   * cutting a model: wc.model({ inputs: base.inputs, outputs: base.getLayer('x').output }).
   * A layer called at several sites has no single output: that is an error, as in TF.js.
   */
  get output(): SymbolicTensor {
    return this.onlyNode('output').output;
  }

  /** The symbolic input(s) of the layer's call site (TF.js's layer.input): one tensor, or a list for several inputs. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const inputs = this.onlyNode('input').inputs;
    return inputs.length === 1 ? inputs[0] : [...inputs];
  }

  private onlyNode(what: string): Node {
    if (this.inboundNodes.length === 0) {
      throw new Error(`${this.className} '${this.name}' is not connected, so it has no ${what}; apply it to a symbolic tensor or build its model first`);
    }
    if (this.inboundNodes.length > 1) {
      throw new Error(`${this.className} '${this.name}' is called at ${this.inboundNodes.length} places, so its ${what} is ill-defined (as in TF.js)`);
    }
    return this.inboundNodes[0];
  }

  /** True where the layer's gradient comes from the ops call() runs (a user's layer), not from a backward of its own. */
  get differentiatesItself(): boolean {
    return this.forward === Layer.prototype.forward;
  }

  /** Whether the output is a softmax over the last axis (enables the fused softmax + cross-entropy gradient). */
  endsWithSoftmax(): boolean {
    return false;
  }

  // ---- config --------------------------------------------------------------

  /** The layer's own config keys (TF.js camelCase); a user's layer adds its keys by overriding getConfig instead. */
  protected layerConfig(): LayerConfig {
    return {};
  }

  getConfig(): LayerConfig {
    const base: LayerConfig = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) base.batchInputShape = [...this.batchInputShape];
    base.dtype = 'float32';
    return { ...base, ...this.layerConfig() };
  }

  // ---- graph ---------------------------------------------------------------

  /**
   * On symbolic tensors: builds the layer, records a call site and returns the
   * symbolic output. On real tensors: runs the layer in inference mode.
   */
  apply(input: SymbolicTensor | readonly SymbolicTensor[], kwargs?: ApplyArgs): SymbolicTensor;
  apply(input: Tensor | readonly Tensor[], kwargs?: ApplyArgs): Tensor;
  apply(input: SymbolicTensor | readonly SymbolicTensor[] | Tensor | readonly Tensor[], kwargs: ApplyArgs = {}): SymbolicTensor | Tensor {
    const list = (Array.isArray(input) ? input : [input]) as readonly (SymbolicTensor | Tensor)[];
    if (list.length === 0) throw new Error(`${this.className} '${this.name}': apply() got no inputs`);
    if (list.every((t) => t instanceof SymbolicTensor)) {
      const syms = list as readonly SymbolicTensor[];
      const shapes = syms.map((s) => s.shape);
      // the output's shape and size first: a layer that cannot be run is refused before it makes weights
      const outShape = this.computeOutputShape(shapes.length === 1 ? shapes[0] : shapes);
      checkOutputSize(`${this.className} '${this.name}'`, outShape);
      this.ensureBuilt(shapes);
      const out = new SymbolicTensor(outShape, `${this.name}/out${this.inboundNodes.length}`);
      const node = new Node(this, syms, out);
      out.node = node;
      this.inboundNodes.push(node);
      return out;
    }
    if (list.some((t) => t instanceof SymbolicTensor)) {
      throw new Error(`${this.className} '${this.name}': apply() got a mix of symbolic tensors and real tensors`);
    }
    const tensors = list as readonly Tensor[];
    this.ensureBuilt(tensors.map((t) => [null, ...t.shape.slice(1)]));
    // inside a gradient call the layer's backward becomes the output's gradient
    return forwardRecorded(this, [...tensors], kwargs.training ?? false)[0];
  }
}

/** The arguments every layer shares, checked before use: JavaScript callers and model.json files can give any type. */
function checkLayerArgs(args: LayerArgs, prefix: string): void {
  if (args === null || typeof args !== 'object') throw new Error(`${prefix}: expected an arguments object, got ${shown(args)}`);
  const where = `${prefix}${typeof args.name === 'string' ? ` '${args.name}'` : ''}`;
  if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) throw new Error(`${where}: name must be a non-empty string, got ${shown(args.name)}`);
  if (args.trainable !== undefined && typeof args.trainable !== 'boolean') throw new Error(`${where}: trainable must be true or false, got ${shown(args.trainable)}`);
  const dims = (v: unknown, batch: boolean): boolean => Array.isArray(v)
    && v.every((d, i) => (batch && i === 0 && d === null) || (typeof d === 'number' && Number.isInteger(d) && d >= 0));
  if (args.inputShape !== undefined && args.inputShape !== null && !dims(args.inputShape, false)) {
    throw new Error(`${where}: inputShape must be a list of non-negative integers (one sample's shape), got ${shown(args.inputShape)}`);
  }
  if (args.batchInputShape !== undefined && args.batchInputShape !== null && !dims(args.batchInputShape, true)) {
    throw new Error(`${where}: batchInputShape must be a list of non-negative integers (the first may be null), got ${shown(args.batchInputShape)}`);
  }
  if (args.batchSize !== undefined && args.batchSize !== null && !(Number.isInteger(args.batchSize) && args.batchSize > 0)) {
    throw new Error(`${where}: batchSize must be a positive integer, got ${shown(args.batchSize)}`);
  }
  // arguments webcnn would otherwise ignore, silently changing what trains
  for (const key of Object.keys(args)) {
    if (key.endsWith('Constraint')) refuseConstraint(where, key, (args as Record<string, unknown>)[key]);
  }
  const activity = (args as { activityRegularizer?: unknown }).activityRegularizer;
  if (activity !== undefined && activity !== null) throw new Error(`${where}: activityRegularizer is not supported, got ${shown(activity)}; remove it`);
}

/** A user's class's static className (built-in classes pass their own name in their field). */
function staticClassName(ctor: unknown): string {
  const name = (ctor as { className?: unknown }).className;
  if (typeof name !== 'string' || name === '') {
    throw new Error(`wc.layers.Layer: a layer class needs a static className (static className = 'MyLayer'), got ${shown(name)}`);
  }
  return name;
}

/** Whether a shape argument is a list of shapes (several inputs) rather than one shape. */
function isShapeList(s: SymShape | SymShape[]): s is SymShape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** For single-input layers: the one shape, whether given alone or in a list. */
export function singleShape(layer: { className: string; name: string }, s: SymShape | SymShape[]): SymShape {
  if (s.length > 0 && Array.isArray(s[0])) {
    const list = s as SymShape[];
    if (list.length !== 1) throw new Error(`${layer.className} '${layer.name}': expects one input, got ${list.length}`);
    return list[0];
  }
  return s as SymShape;
}

export function symShapeToString(s: SymShape): string {
  return `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

/** Throws unless the input (batch axis included) has the given rank. */
export function expectInputRank(layer: { className: string; name: string }, s: SymShape, rank: number, what: string): void {
  if (s.length !== rank) {
    throw new Error(`${layer.className} '${layer.name}': expected an input of rank ${rank} (${what}), got shape ${symShapeToString(s)}`);
  }
}
