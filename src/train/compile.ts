// compile(): resolves the optimizer, one loss per output and the metrics,
// naming the metrics as TF.js's logs and History do ('acc' for 'accuracy').

import type { LossKind, MetricKind } from '../backend/types.js';
import { LOSS_KINDS } from '../kernels/loss/index.js';
import { getOptimizer, type Optimizer, type OptimizerName } from './optimizers.js';
import type { Compiled, LossFunction, MetricFunction, ResolvedMetric, TrainableModel } from './types.js';

export type LossIdentifier = LossKind | 'mse' | 'mae' | 'mape' | 'msle' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy'
  | 'binary_crossentropy' | 'mean_squared_error' | 'mean_absolute_error';
export type MetricIdentifier = 'accuracy' | 'acc' | MetricKind | 'mse' | 'mae' | 'MSE' | 'MAE'
  | 'top_k_categorical_accuracy' | 'sparse_top_k_categorical_accuracy';

export interface CompileArgs {
  optimizer: OptimizerName | Optimizer;
  /** One loss for every output, or one per output: a name, or a function (yTrue, yPred) => Tensor. */
  loss: LossIdentifier | LossFunction | readonly (LossIdentifier | LossFunction)[];
  /** Names, or functions (yTrue, yPred) => Tensor logged under the function's name. */
  metrics?: readonly (MetricIdentifier | MetricFunction)[] | MetricIdentifier | MetricFunction;
}

const LOSS_ALIASES: Record<string, LossKind> = {
  mse: 'meanSquaredError', MSE: 'meanSquaredError', mean_squared_error: 'meanSquaredError',
  mae: 'meanAbsoluteError', MAE: 'meanAbsoluteError', mean_absolute_error: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError', MAPE: 'meanAbsolutePercentageError', mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError', MSLE: 'meanSquaredLogarithmicError', mean_squared_logarithmic_error: 'meanSquaredLogarithmicError',
  categorical_crossentropy: 'categoricalCrossentropy', sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
};

export function resolveLoss(id: string, where: string): LossKind {
  if ((LOSS_KINDS as readonly string[]).includes(id)) return id as LossKind;
  // own keys only: 'constructor' or 'toString' must not resolve to Object.prototype's members
  const alias = Object.hasOwn(LOSS_ALIASES, id) ? LOSS_ALIASES[id] : undefined;
  if (alias) return alias;
  throw new Error(`${where}: unknown loss ${JSON.stringify(id)}; expected one of ${LOSS_KINDS.map((k) => `'${k}'`).join(', ')} (or 'mse', 'mae', 'mape', 'msle')`);
}

const METRIC_ALIASES: Record<string, MetricKind> = {
  mse: 'meanSquaredError', MSE: 'meanSquaredError', meanSquaredError: 'meanSquaredError',
  mae: 'meanAbsoluteError', MAE: 'meanAbsoluteError', meanAbsoluteError: 'meanAbsoluteError',
  categoricalAccuracy: 'categoricalAccuracy', sparseCategoricalAccuracy: 'sparseCategoricalAccuracy', binaryAccuracy: 'binaryAccuracy',
  // Keras's top-k (k = 5) accuracies, precision and recall (threshold 0.5), under TF.js's and Keras's names
  topKCategoricalAccuracy: 'topKCategoricalAccuracy', top_k_categorical_accuracy: 'topKCategoricalAccuracy',
  sparseTopKCategoricalAccuracy: 'sparseTopKCategoricalAccuracy', sparse_top_k_categorical_accuracy: 'sparseTopKCategoricalAccuracy',
  precision: 'precision', recall: 'recall',
};

/**
 * 'accuracy'/'acc' as TF.js resolves it: binary when the output has one unit
 * or the loss is binary cross-entropy, sparse for sparse cross-entropy,
 * categorical otherwise; the logs call it 'acc'. Other names keep their name.
 */
export function resolveMetric(id: string, loss: LossKind, outputUnits: number | null, where: string): { key: string; kind: MetricKind } {
  if (id === 'accuracy' || id === 'acc') {
    const kind: MetricKind = outputUnits === 1 || loss === 'binaryCrossentropy' ? 'binaryAccuracy'
      : loss === 'sparseCategoricalCrossentropy' ? 'sparseCategoricalAccuracy' : 'categoricalAccuracy';
    return { key: 'acc', kind };
  }
  const kind = Object.hasOwn(METRIC_ALIASES, id) ? METRIC_ALIASES[id] : undefined;
  if (!kind) throw new Error(`${where}: unknown metric ${JSON.stringify(id)}; expected one of 'accuracy', 'acc', ${Object.keys(METRIC_ALIASES).map((k) => `'${k}'`).join(', ')}`);
  return { key: id, kind };
}

export function compileModel(model: TrainableModel, args: CompileArgs): Compiled {
  const where = `${model.className}.compile`;
  if (!args || args.loss === undefined) throw new Error(`${where}: loss is required (e.g. 'categoricalCrossentropy')`);
  const outputs = model.outputs;
  const lossIds = Array.isArray(args.loss) ? args.loss : outputs.map(() => args.loss as LossIdentifier | LossFunction);
  if (lossIds.length !== outputs.length) throw new Error(`${where}: the model has ${outputs.length} output(s), got ${lossIds.length} losses`);
  const losses = lossIds.map((id) => (typeof id === 'function' ? id : resolveLoss(id, where)));
  const several = outputs.length > 1;
  const prefix = (i: number) => (several ? `${outputs[i].sourceLayer.name}_` : '');
  const metricIds = args.metrics === undefined ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics as MetricIdentifier | MetricFunction];
  const metrics: ResolvedMetric[] = [];
  outputs.forEach((y, i) => {
    metricIds.forEach((id, k) => {
      if (typeof id === 'function') {
        metrics.push({ key: prefix(i) + (id.name || `metric_${k}`), kind: null, fn: id, output: i });
        return;
      }
      // 'accuracy' after a loss function: as TF.js, by the output's width
      const loss = losses[i];
      const r = resolveMetric(id, typeof loss === 'function' ? 'meanSquaredError' : loss, y.shape[y.shape.length - 1], where);
      metrics.push({ key: prefix(i) + r.key, kind: r.kind, fn: null, output: i });
    });
  });
  return {
    optimizer: getOptimizer(args.optimizer, where),
    losses,
    lossKeys: several ? outputs.map((_, i) => `${prefix(i)}loss`) : [],
    metrics,
    metricKeys: metrics.map((m) => m.key),
  };
}
