// What the random preprocessing layers share: Keras's factor arguments, the
// seeded generator each layer draws its per-image parameters from (on the
// CPU, so a seed gives the same images on every backend), the rule that they
// act only in training (fit, trainOnBatch) and pass data through in predict
// and evaluate, and the per-image transforms they hand to wc.image.transform.

import type { Tensor } from '../../tensor.js';
import { tensor } from '../../engine.js';
import { transform } from '../../kernels/augment/ops.js';
import { FILL_MODES, type FillMode, type TransformInterpolation } from '../../kernels/augment/index.js';
import { Layer, expectInputRank, singleShape, type LayerArgs, type LayerConfig, type SymShape } from '../layer.js';
import type { CallArgs } from '../tapeLayer.js';
import { nextSeed, seededRandom } from '../initializers.js';
import { oneOf, shown } from '../args.js';

/** A Keras factor: one number f (the range [-f, f], or [1 - f, 1 + f] where said) or a [lower, upper] pair. */
export type Factor = number | readonly [number, number];

/** Checks a factor and returns its range (a number f gives [-|f|, |f|]), which must lie within [lo, hi]. */
export function factorRange(where: string, what: string, f: unknown, lo = -Infinity, hi = Infinity): [number, number] {
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  let range: [number, number];
  if (ok(f)) {
    range = [-Math.abs(f), Math.abs(f)];
  } else if (Array.isArray(f) && f.length === 2 && ok(f[0]) && ok(f[1])) {
    range = [f[0], f[1]];
  } else {
    throw new Error(`${where}: ${what} must be a number or a [lower, upper] pair of numbers, got ${shown(f)}`);
  }
  if (range[0] > range[1]) throw new Error(`${where}: ${what}'s lower bound ${range[0]} is above its upper bound ${range[1]}`);
  if (range[0] < lo || range[1] > hi) throw new Error(`${where}: ${what} must lie in [${lo}, ${hi}], got ${shown(f)}`);
  return range;
}

/** The factor as Keras's config writes it (a number, or a [lower, upper] list). */
export function factorConfig(f: Factor): number | number[] {
  return typeof f === 'number' ? f : [f[0], f[1]];
}

export interface RandomLayerArgs extends LayerArgs {
  /** Seeds the layer's generator: the same seed draws the same parameters, call after call. */
  seed?: number | null;
}

export interface FillArgs {
  /** What lies outside the image: 'reflect' (default), 'wrap', 'constant' (fillValue) or 'nearest'. */
  fillMode?: FillMode;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: TransformInterpolation;
  /** The value of 'constant' fill; default 0. */
  fillValue?: number;
}

/** A layer that changes images at random in training and passes them through otherwise. */
export abstract class RandomLayer extends Layer<null> {
  readonly seed: number | null;
  private readonly draw: () => number;

  constructor(args: RandomLayerArgs, prefix: string) {
    super(args, prefix);
    const s = args?.seed;
    if (s !== undefined && s !== null && (typeof s !== 'number' || !Number.isInteger(s))) {
      throw new Error(`${prefix} '${this.name}': seed must be an integer, got ${shown(s)}`);
    }
    this.seed = s ?? null;
    this.draw = seededRandom(s ?? nextSeed());
  }

  protected get where(): string {
    return `${this.className} '${this.name}'`;
  }

  /** Uniform in [lo, hi). */
  protected uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.draw();
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    return s;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallArgs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    this.computeOutputShape([null, ...x.shape.slice(1)]);
    return kwargs.training ? this.augment(x) : this.passThrough(x);
  }

  /** Inference: the input as it is (RandomCrop crops the centre instead). */
  protected passThrough(x: Tensor): Tensor {
    return x;
  }

  /** Training: one draw of the layer's parameters per image. */
  protected abstract augment(x: Tensor): Tensor;

  protected override layerConfig(): LayerConfig {
    return { seed: this.seed };
  }
}

/** The fill arguments, checked, with Keras's defaults. */
export function fillArgsOf(where: string, args: FillArgs): Required<FillArgs> {
  const fillMode = oneOf(where, 'fillMode', args.fillMode, FILL_MODES, 'reflect');
  const interpolation = oneOf(where, 'interpolation', args.interpolation, ['bilinear', 'nearest'], 'bilinear');
  const fillValue = args.fillValue ?? 0;
  if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw new Error(`${where}: fillValue must be a finite number, got ${shown(fillValue)}`);
  return { fillMode, interpolation, fillValue };
}

/** A random layer whose images move by one affine transform each (rotation, translation, zoom). */
export abstract class RandomTransformLayer extends RandomLayer {
  readonly fillMode: FillMode;
  readonly interpolation: TransformInterpolation;
  readonly fillValue: number;

  constructor(args: RandomLayerArgs & FillArgs, prefix: string) {
    super(args, prefix);
    ({ fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue } = fillArgsOf(this.where, args));
  }

  /** Image b's transform [a0, a1, a2, b0, b1, b2, c0, c1] (output to input) for an h x w image. */
  protected abstract matrix(h: number, w: number): number[];

  protected augment(x: Tensor): Tensor {
    const [n, h, w] = x.shape;
    const m = Array.from({ length: n }, () => this.matrix(h, w)).flat();
    return transform(x, tensor(m, [n, 8]), this.interpolation, this.fillMode, this.fillValue);
  }

  protected override layerConfig(): LayerConfig {
    return { ...super.layerConfig(), fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
  }
}

/** Per-image transforms as a [n, 8] tensor on the current backend (for layers that build their own). */
export function transformsTensor(rows: number[][]): Tensor {
  return tensor(rows.flat(), [rows.length, 8]);
}

/** Rotation by theta about the image centre, output to input (Keras's rotation matrix). */
export function rotationMatrix(theta: number, h: number, w: number): number[] {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const xo = ((w - 1) - (c * (w - 1) - s * (h - 1))) / 2;
  const yo = ((h - 1) - (s * (w - 1) + c * (h - 1))) / 2;
  return [c, -s, xo, s, c, yo, 0, 0];
}
