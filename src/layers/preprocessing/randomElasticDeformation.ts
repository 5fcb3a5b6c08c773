// RandomElasticDeformation (webcnn extra; Simard, Steinkraus and Platt, 2003,
// the distortion behind the MNIST records): per training image, two fields of
// uniform(-1, 1) displacements, each smoothed by a Gaussian of sigma pixels
// and scaled by alpha, move every pixel; the image is read there bilinearly
// (ops.displace). The fields are drawn and smoothed on the CPU from the
// layer's seeded generator, so a seed gives the same images on every backend.

import type { Tensor } from '../../tensor.js';
import { tensor } from '../../engine.js';
import { displaceImages } from '../../kernels/augment/ops.js';
import type { LayerConfig } from '../layer.js';
import { shown } from '../args.js';
import type { FillMode, TransformInterpolation } from '../../kernels/augment/index.js';
import { RandomLayer, fillArgsOf, type FillArgs, type RandomLayerArgs } from './randomLayer.js';

export interface RandomElasticDeformationArgs extends RandomLayerArgs, FillArgs {
  /** The displacement's scale in pixels; default 34 (Simard et al.'s choice for MNIST). */
  alpha?: number;
  /** The smoothing Gaussian's standard deviation in pixels; default 4. */
  sigma?: number;
}

/** A normalized 1-D Gaussian kernel of sigma, truncated at 4 sigma. */
export function gaussianKernel(sigma: number): Float64Array {
  const r = Math.max(1, Math.ceil(4 * sigma));
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return k.map((v) => v / sum);
}

/** field [h, w] convolved with the kernel along both axes, edges reflected (scipy's gaussian_filter). */
export function smooth(field: Float64Array, h: number, w: number, k: Float64Array): Float64Array {
  const r = (k.length - 1) / 2;
  const reflect = (i: number, n: number): number => {
    let j = i;
    for (let guard = 0; (j < 0 || j >= n) && guard < 8; guard++) j = j < 0 ? -j - 1 : 2 * n - j - 1;
    return Math.min(Math.max(j, 0), n - 1);
  };
  const tmp = new Float64Array(h * w);
  const out = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += k[d + r] * field[y * w + reflect(x + d, w)];
      tmp[y * w + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += k[d + r] * tmp[reflect(y + d, h) * w + x];
      out[y * w + x] = s;
    }
  }
  return out;
}

export class RandomElasticDeformation extends RandomLayer {
  override readonly className = 'RandomElasticDeformation';
  readonly fillMode: FillMode;
  readonly interpolation: TransformInterpolation;
  readonly fillValue: number;
  readonly alpha: number;
  readonly sigma: number;
  private readonly kernel: Float64Array;

  constructor(args: RandomElasticDeformationArgs = {}) {
    super(args, 'random_elastic_deformation');
    const positive = (what: string, v: unknown, fallback: number): number => {
      if (v === undefined) return fallback;
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${this.where}: ${what} must be a positive number, got ${shown(v)}`);
      return v;
    };
    ({ fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue } = fillArgsOf(this.where, args));
    this.alpha = positive('alpha', args.alpha, 34);
    this.sigma = positive('sigma', args.sigma, 4);
    this.kernel = gaussianKernel(this.sigma);
  }

  /** Image b's field [h, w, 2] of (dy, dx), appended to out. */
  private field(h: number, w: number, out: Float32Array, at: number): void {
    const draw = () => Float64Array.from({ length: h * w }, () => this.uniform(-1, 1));
    const dy = smooth(draw(), h, w, this.kernel);
    const dx = smooth(draw(), h, w, this.kernel);
    for (let i = 0; i < h * w; i++) {
      out[at + 2 * i] = this.alpha * dy[i];
      out[at + 2 * i + 1] = this.alpha * dx[i];
    }
  }

  protected augment(x: Tensor): Tensor {
    const [n, h, w] = x.shape;
    const flow = new Float32Array(n * h * w * 2);
    for (let b = 0; b < n; b++) this.field(h, w, flow, b * h * w * 2);
    return displaceImages(x, tensor(flow, [n, h, w, 2]), { interpolation: this.interpolation, fillMode: this.fillMode, fillValue: this.fillValue });
  }

  protected override layerConfig(): LayerConfig {
    return { alpha: this.alpha, sigma: this.sigma, fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue, ...super.layerConfig() };
  }
}
