// Normalization (Keras): (x - mean) / max(sqrt(variance), 1e-7) per index of
// the kept axes (axis, default -1: per channel), or its inverse with invert.
// mean and variance come from the config, or from adapt(data), which stores
// them in the non-trainable weights 'mean' and 'variance' (saved with the model).

import type { Tensor } from '../../tensor.js';
import { tensor } from '../../engine.js';
import { Layer, singleShape, symShapeToString, type LayerArgs, type LayerConfig, type LayerVariable, type SymShape } from '../layer.js';
import type { CallArgs } from '../tapeLayer.js';
import { ones, zeros } from '../initializers.js';
import { shown } from '../args.js';

/** Keras's backend.epsilon(): the smallest standard deviation divided by. */
const EPSILON = 1e-7;

export interface NormalizationArgs extends LayerArgs {
  /** The axis or axes kept (one mean per index of them); default -1; null: one mean for all. */
  axis?: number | readonly number[] | null;
  /** Fixed statistics (both or neither), broadcast to the kept axes; without them, adapt(data) sets them. */
  mean?: number | readonly number[] | null;
  variance?: number | readonly number[] | null;
  /** Undo the normalization instead: x · std + mean. Default false. */
  invert?: boolean;
}

export class Normalization extends Layer<null> {
  override readonly className = 'Normalization';
  readonly axis: number[];
  readonly invert: boolean;
  private readonly fixed: { mean: number[]; variance: number[] } | null;
  private meanWeight: LayerVariable | null = null;
  private varianceWeight: LayerVariable | null = null;
  private inputRank = 0;
  private keptSizes: number[] = [];

  constructor(args: NormalizationArgs = {}) {
    super(args, 'normalization');
    const where = this.where;
    const ax = args.axis === undefined ? [-1] : args.axis === null ? [] : typeof args.axis === 'number' ? [args.axis] : [...args.axis];
    if (ax.some((a) => !Number.isInteger(a))) throw new Error(`${where}: axis must be an integer, a list of integers or null, got ${shown(args.axis)}`);
    this.axis = ax;
    this.invert = Boolean(args.invert);
    const list = (what: string, v: unknown): number[] | null => {
      if (v === undefined || v === null) return null;
      const arr = typeof v === 'number' ? [v] : Array.isArray(v) ? v.flat(8) : null;
      if (!arr || arr.length === 0 || arr.some((d) => typeof d !== 'number' || !Number.isFinite(d))) throw new Error(`${where}: ${what} must be a number or a list of numbers, got ${shown(v)}`);
      return arr as number[];
    };
    const mean = list('mean', args.mean);
    const variance = list('variance', args.variance);
    if ((mean === null) !== (variance === null)) throw new Error(`${where}: give both mean and variance, or neither (and call adapt), got mean ${shown(args.mean)} and variance ${shown(args.variance)}`);
    if (variance?.some((v) => v < 0)) throw new Error(`${where}: variance must not be negative, got ${shown(args.variance)}`);
    this.fixed = mean && variance ? { mean, variance } : null;
  }

  private get where(): string {
    return `normalization '${this.name}'`;
  }

  /** The kept axes as non-negative indices of a rank-r input (the batch axis cannot be kept). */
  private keptAxes(rank: number): number[] {
    const kept = this.axis.map((a) => (a < 0 ? a + rank : a));
    if (kept.some((a) => a < 1 || a >= rank)) throw new Error(`${this.where}: axis ${shown(this.axis)} is outside the non-batch axes of a rank-${rank} input`);
    return [...new Set(kept)].sort((a, b) => a - b);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    return singleShape(this, inputShape);
  }

  protected override buildWeights(shapes: SymShape[]): void {
    const s = shapes[0];
    const kept = this.keptAxes(s.length);
    if (kept.some((a) => s[a] === null)) throw new Error(`${this.where}: the kept axes ${shown(this.axis)} of input ${symShapeToString(s)} must have known sizes`);
    this.inputRank = s.length;
    this.keptSizes = kept.map((a) => s[a] as number);
    if (this.fixed) return;
    this.meanWeight = this.createWeight('mean', this.keptSizes, zeros(), false);
    this.varianceWeight = this.createWeight('variance', this.keptSizes, ones(), false);
  }

  /** mean and variance shaped to broadcast against the input (size 1 on the reduced axes). */
  private statistics(): [Tensor, Tensor] {
    const kept = this.keptAxes(this.inputRank);
    const shape = Array.from({ length: this.inputRank }, (_, a) => (kept.includes(a) ? this.keptSizes[kept.indexOf(a)] : 1));
    const count = this.keptSizes.reduce((a, b) => a * b, 1);
    if (this.fixed) {
      const fit = (v: number[], what: string): number[] => {
        if (v.length === 1) return new Array<number>(count).fill(v[0]);
        if (v.length !== count) throw new Error(`${this.where}: ${what} has ${v.length} values; the kept axes need 1 or ${count}`);
        return v;
      };
      return [tensor(fit(this.fixed.mean, 'mean'), shape), tensor(fit(this.fixed.variance, 'variance'), shape)];
    }
    return [(this.meanWeight as LayerVariable).value.reshape(shape), (this.varianceWeight as LayerVariable).value.reshape(shape)];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallArgs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!this.built) this.ensureBuilt([[null, ...x.shape.slice(1)]]);
    const [mean, variance] = this.statistics();
    const std = variance.sqrt().maximum(EPSILON);
    return this.invert ? x.mul(std).add(mean) : x.sub(mean).div(std);
  }

  /**
   * Keras's adapt: sets mean and variance from data (a tensor of the layer's
   * input shape, batch first), reducing over every axis but the kept ones.
   */
  adapt(data: Tensor): void {
    if (this.fixed) throw new Error(`${this.where}: adapt() needs a layer built without mean and variance in its config`);
    this.ensureBuilt([[null, ...data.shape.slice(1)]]);
    if (data.rank !== this.inputRank) throw new Error(`${this.where}: adapt() got data of rank ${data.rank}; the layer takes rank ${this.inputRank}`);
    const kept = this.keptAxes(this.inputRank);
    if (kept.some((a, i) => data.shape[a] !== this.keptSizes[i])) throw new Error(`${this.where}: adapt() got data of shape [${data.shape.join(', ')}]; its kept axes must have sizes [${this.keptSizes.join(', ')}]`);
    const v = data.dataSync();
    const count = this.keptSizes.reduce((a, b) => a * b, 1);
    const sum = new Float64Array(count);
    const sq = new Float64Array(count);
    const strides = data.shape.map((_, a) => data.shape.slice(a + 1).reduce((p, d) => p * d, 1));
    for (let i = 0; i < v.length; i++) {
      let k = 0;
      for (let j = 0; j < kept.length; j++) k = k * this.keptSizes[j] + (Math.floor(i / strides[kept[j]]) % data.shape[kept[j]]);
      sum[k] += v[i];
      sq[k] += v[i] * v[i];
    }
    const per = v.length / count;
    const mean = Array.from(sum, (s) => s / per);
    const variance = Array.from(sq, (s, k) => Math.max(0, s / per - mean[k] * mean[k]));
    (this.meanWeight as LayerVariable).write(tensor(mean, this.keptSizes));
    (this.varianceWeight as LayerVariable).write(tensor(variance, this.keptSizes));
  }

  protected override layerConfig(): LayerConfig {
    const axis = this.axis.length === 1 ? this.axis[0] : this.axis.length === 0 ? null : [...this.axis];
    return { axis, mean: this.fixed ? [...this.fixed.mean] : null, variance: this.fixed ? [...this.fixed.variance] : null, invert: this.invert };
  }
}
