// The types train/ shares: the model it trains, seen through the few members
// training uses (the user-facing LayersModel has them all), what compile()
// resolves, and a checkpoint.

import type { Tensor } from '../tensor.js';
import type { LossKind, MetricKind } from '../backend/types.js';
import type { LayerVariable, Node, SymbolicTensor } from '../layers/layer.js';
import type { ForwardPass } from '../graph/executor.js';
import type { Optimizer } from './optimizers.js';

/** A model as fit, evaluate, predict, compile, checkpoints and callbacks use it. */
export interface TrainableModel {
  readonly className: string;
  readonly name: string;
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** The call sites the outputs need, in run order. */
  readonly nodes: Node[];
  readonly weights: LayerVariable[];
  compiled: Compiled | null;
  /** Set by callbacks to end fit() after the current epoch. */
  stopTraining: boolean;
  checkpoint: Checkpoint | null;
  /** Called with the data's shapes before anything runs; Sequential builds itself here. */
  ensureBuilt(feeds: readonly Tensor[]): void;
  /** One pass over a batch; training turns on dropout and batch statistics. */
  forwardPass(feeds: readonly Tensor[], training: boolean): ForwardPass;
  getWeights(): Tensor[];
  setWeights(values: readonly Tensor[]): void;
}

/** A loss written as a function, as TF.js's compile takes one: per-sample losses or a scalar (fit takes their mean). */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;
/** A metric written as a function; the logs show the mean of what it returns under the function's name. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

export interface ResolvedMetric {
  /** The logs' key: 'acc', 'mse', ... (prefixed with the output layer's name when there are several outputs). */
  key: string;
  /** A built-in metric kernel, or null for a metric function. */
  kind: MetricKind | null;
  fn: MetricFunction | null;
  output: number;
}

/** What compile() resolved: optimizer, losses, metrics. */
export interface Compiled {
  optimizer: Optimizer;
  /** Per output: a built-in loss kernel, or the user's loss function. */
  losses: (LossKind | LossFunction)[];
  /** Per-output loss keys in the logs ('dense_2_loss'); empty for one output. */
  lossKeys: string[];
  metrics: ResolvedMetric[];
  metricKeys: string[];
}

export interface CheckpointTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface Checkpoint {
  /** Training steps taken (the optimizer's iterations, which Adam's bias correction counts). */
  readonly iterations: number;
  /** Where fit was: after batch `batch` (0-based) of epoch `epoch`; both -1 when taken outside fit. */
  readonly epoch: number;
  readonly batch: number;
  /** Every weight, in model.weights order. */
  readonly weights: readonly CheckpointTensor[];
  /** The optimizer's slots (Adam's m and v, momentum accumulators), named `<weight>/<slot>` as optimizer.getWeights() names them. */
  readonly optimizer: readonly CheckpointTensor[];
}
