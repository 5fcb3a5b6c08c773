// Weight initializers, named and configured as Keras/TF.js name them. Each
// fills a Float32Array on the CPU once, at build time; the layer uploads it.
// Unseeded initializers draw their seed from one module-level generator, so a
// program that builds the same model twice gets different weights, and a
// fresh process gets the same ones (reproducible runs).

import type { LayerConfig } from './types.js';
import { clipped, preview } from '../preview.js';

export interface Initializer {
  /** Keras class name, as model.json stores it: 'GlorotUniform', 'Zeros', ... */
  readonly className: string;
  values(shape: readonly number[]): Float32Array;
  getConfig(): LayerConfig;
}

export { seededRandom, nextSeed } from '../random.js';
import { nextSeed, normalValues, seededRandom } from '../random.js';

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Keras's fan-in/fan-out: [in, out] for dense; for conv kernels
 * [kh, kw, cin, cout] (and locally-connected [oh*ow, kh*kw*cin, cout]) the
 * receptive field (product of the leading axes) times the channels.
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  if (shape.length >= 3 && shape.length <= 5) {
    const receptive = size(shape.slice(0, -2));
    return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
  }
  const s = Math.sqrt(size(shape));
  return { fanIn: s, fanOut: s };
}

class Constant implements Initializer {
  constructor(readonly className: string, private readonly value: number) {}
  values(shape: readonly number[]): Float32Array {
    return new Float32Array(size(shape)).fill(this.value);
  }
  getConfig(): LayerConfig {
    return this.className === 'Constant' ? { value: this.value } : {};
  }
}

class RandomUniform implements Initializer {
  readonly className = 'RandomUniform';
  constructor(private readonly minval: number, private readonly maxval: number, private readonly seed: number | null) {}
  values(shape: readonly number[]): Float32Array {
    const r = seededRandom(this.seed ?? nextSeed());
    return Float32Array.from({ length: size(shape) }, () => this.minval + (this.maxval - this.minval) * r());
  }
  getConfig(): LayerConfig {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}

class RandomNormal implements Initializer {
  constructor(readonly className: 'RandomNormal' | 'TruncatedNormal', private readonly mean: number, private readonly stddev: number, private readonly seed: number | null) {}
  values(shape: readonly number[]): Float32Array {
    return normalValues(size(shape), this.mean, this.stddev, this.className === 'TruncatedNormal', this.seed);
  }
  getConfig(): LayerConfig {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type Distribution = 'normal' | 'uniform' | 'truncatedNormal';

/**
 * TF.js VarianceScaling: variance scale / fan. 'normal' is a truncated normal
 * whose stddev is divided by 0.8796..., the stddev of a unit normal truncated
 * at two standard deviations, so the drawn variance is the intended one.
 */
class VarianceScaling implements Initializer {
  constructor(
    readonly className: string, private readonly scale: number, private readonly mode: FanMode,
    private readonly distribution: Distribution, private readonly seed: number | null,
  ) {}
  values(shape: readonly number[]): Float32Array {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const s = this.scale / Math.max(1, fan);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * s);
      return new RandomUniform(-limit, limit, this.seed).values(shape);
    }
    const stddev = this.distribution === 'normal' ? Math.sqrt(s) / 0.87962566103423978 : Math.sqrt(s);
    return normalValues(size(shape), 0, stddev, true, this.seed);
  }
  getConfig(): LayerConfig {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}

export interface SeedArgs { seed?: number }

export const zeros = (): Initializer => new Constant('Zeros', 0);
export const ones = (): Initializer => new Constant('Ones', 1);
export const constant = (args: { value: number }): Initializer => new Constant('Constant', args.value);
export const randomUniform = (args: { minval?: number; maxval?: number; seed?: number } = {}): Initializer =>
  new RandomUniform(args.minval ?? -0.05, args.maxval ?? 0.05, args.seed ?? null);
export const randomNormal = (args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer =>
  new RandomNormal('RandomNormal', args.mean ?? 0, args.stddev ?? 0.05, args.seed ?? null);
export const truncatedNormal = (args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer =>
  new RandomNormal('TruncatedNormal', args.mean ?? 0, args.stddev ?? 0.05, args.seed ?? null);
export const varianceScaling = (args: { scale?: number; mode?: FanMode; distribution?: Distribution; seed?: number } = {}): Initializer =>
  new VarianceScaling('VarianceScaling', args.scale ?? 1, args.mode ?? 'fanIn', args.distribution ?? 'normal', args.seed ?? null);
export const glorotUniform = (args: SeedArgs = {}): Initializer => new VarianceScaling('GlorotUniform', 1, 'fanAvg', 'uniform', args.seed ?? null);
export const glorotNormal = (args: SeedArgs = {}): Initializer => new VarianceScaling('GlorotNormal', 1, 'fanAvg', 'normal', args.seed ?? null);
export const heUniform = (args: SeedArgs = {}): Initializer => new VarianceScaling('HeUniform', 2, 'fanIn', 'uniform', args.seed ?? null);
export const heNormal = (args: SeedArgs = {}): Initializer => new VarianceScaling('HeNormal', 2, 'fanIn', 'normal', args.seed ?? null);
export const leCunUniform = (args: SeedArgs = {}): Initializer => new VarianceScaling('LeCunUniform', 1, 'fanIn', 'uniform', args.seed ?? null);
export const leCunNormal = (args: SeedArgs = {}): Initializer => new VarianceScaling('LeCunNormal', 1, 'fanIn', 'normal', args.seed ?? null);

/** 2-D square kernels only, as TF.js's Identity: gain times the identity matrix. */
class Identity implements Initializer {
  readonly className = 'Identity';
  constructor(private readonly gain: number) {}
  values(shape: readonly number[]): Float32Array {
    if (shape.length !== 2 || shape[0] !== shape[1]) {
      throw new Error(`initializers: Identity only makes 2-D square matrices, got shape [${shape.join(',')}]`);
    }
    const out = new Float32Array(size(shape));
    for (let i = 0; i < shape[0]; i++) out[i * shape[0] + i] = this.gain;
    return out;
  }
  getConfig(): LayerConfig {
    return { gain: this.gain };
  }
}

/**
 * TF.js's Orthogonal, 2-D only: Gram-Schmidt on the rows of a normal matrix of
 * the shorter side by the longer, transposed back when there are more rows.
 */
class Orthogonal implements Initializer {
  readonly className = 'Orthogonal';
  constructor(private readonly gain: number, private readonly seed: number | null) {}
  values(shape: readonly number[]): Float32Array {
    if (shape.length !== 2) throw new Error(`initializers: Orthogonal only makes 2-D matrices, got shape [${shape.join(',')}]`);
    const [rows, cols] = shape[0] > shape[1] ? [shape[1], shape[0]] : [shape[0], shape[1]];
    const q = Float64Array.from(normalValues(rows * cols, 0, 1, false, this.seed));
    for (let r = 0; r < rows; r++) {
      const row = q.subarray(r * cols, (r + 1) * cols);
      for (let p = 0; p < r; p++) {
        const prev = q.subarray(p * cols, (p + 1) * cols);
        let dot = 0;
        for (let c = 0; c < cols; c++) dot += row[c] * prev[c];
        for (let c = 0; c < cols; c++) row[c] -= dot * prev[c];
      }
      let norm = 0;
      for (let c = 0; c < cols; c++) norm += row[c] * row[c];
      norm = Math.sqrt(norm) || 1;
      for (let c = 0; c < cols; c++) row[c] /= norm;
    }
    const out = new Float32Array(rows * cols);
    const transpose = shape[0] > shape[1];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[transpose ? c * rows + r : r * cols + c] = this.gain * q[r * cols + c];
    }
    return out;
  }
  getConfig(): LayerConfig {
    return { gain: this.gain, seed: this.seed };
  }
}

export const identity = (args: { gain?: number } = {}): Initializer => new Identity(args.gain ?? 1);
export const orthogonal = (args: { gain?: number; seed?: number } = {}): Initializer => new Orthogonal(args.gain ?? 1, args.seed ?? null);

/** The string names TF.js accepts for initializers, mapped to makers. */
const byName: Record<string, () => Initializer> = {
  zeros, ones, randomUniform, randomNormal, truncatedNormal, varianceScaling,
  glorotUniform, glorotNormal, heUniform, heNormal, leCunUniform, leCunNormal, identity, orthogonal,
};

export type InitializerName = 'zeros' | 'ones' | 'randomUniform' | 'randomNormal' | 'truncatedNormal' | 'varianceScaling'
  | 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'leCunUniform' | 'leCunNormal' | 'identity' | 'orthogonal';
/** A name, an initializer object, or the {className, config} form model.json stores. */
export type InitializerIdentifier = InitializerName | Initializer | { className: string; config?: LayerConfig };

type Config = Readonly<Record<string, unknown>>;

/** Reads one field of a class config: absent or null takes the default; anything else must pass the check. */
function field<T>(config: Config, key: string, fallback: T, ok: (v: unknown) => v is T, expected: string, where: string): T {
  const v = Object.hasOwn(config, key) ? config[key] : undefined;
  if (v === undefined || v === null) return fallback;
  if (!ok(v)) throw new Error(`${where}: ${key} must be ${expected}, got ${preview(v)}`);
  return v;
}
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPositive = (v: unknown): v is number => isFiniteNumber(v) && v > 0;
const isNonNegative = (v: unknown): v is number => isFiniteNumber(v) && v >= 0;
const num = (c: Config, key: string, fallback: number, where: string) => field(c, key, fallback, isFiniteNumber, 'a finite number', where);
const seed = (c: Config, where: string): { seed?: number } => {
  const v = field<number | undefined>(c, 'seed', undefined, isFiniteNumber, 'a number or null', where);
  return v === undefined ? {} : { seed: v };
};
const oneOfField = <T extends string>(c: Config, key: string, fallback: T, allowed: readonly T[], where: string): T =>
  field(c, key, fallback, (v): v is T => typeof v === 'string' && (allowed as readonly string[]).includes(v), `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, where);

/**
 * The Keras/TF.js class names model.json stores (TF.js's registry, with the
 * same classes), each reading its own config: an explicit table, so that only
 * these names resolve. Glorot/He/LeCun configs as TF.js writes them also carry
 * VarianceScaling's fixed scale, mode and distribution, which are implied by the class.
 */
const byClassName: Record<string, (config: Config, where: string) => Initializer> = {
  Zeros: () => zeros(),
  Ones: () => ones(),
  Constant: (c, w) => constant({ value: num(c, 'value', 0, w) }),
  RandomUniform: (c, w) => randomUniform({ minval: num(c, 'minval', -0.05, w), maxval: num(c, 'maxval', 0.05, w), ...seed(c, w) }),
  RandomNormal: (c, w) => randomNormal({ mean: num(c, 'mean', 0, w), stddev: field(c, 'stddev', 0.05, isNonNegative, 'a non-negative number', w), ...seed(c, w) }),
  TruncatedNormal: (c, w) => truncatedNormal({ mean: num(c, 'mean', 0, w), stddev: field(c, 'stddev', 0.05, isNonNegative, 'a non-negative number', w), ...seed(c, w) }),
  VarianceScaling: (c, w) => varianceScaling({
    scale: field(c, 'scale', 1, isPositive, 'a positive number', w),
    mode: oneOfField<FanMode>(c, 'mode', 'fanIn', ['fanIn', 'fanOut', 'fanAvg'], w),
    distribution: oneOfField<Distribution>(c, 'distribution', 'normal', ['normal', 'uniform', 'truncatedNormal'], w),
    ...seed(c, w),
  }),
  GlorotUniform: (c, w) => glorotUniform(seed(c, w)),
  GlorotNormal: (c, w) => glorotNormal(seed(c, w)),
  HeUniform: (c, w) => heUniform(seed(c, w)),
  HeNormal: (c, w) => heNormal(seed(c, w)),
  LeCunUniform: (c, w) => leCunUniform(seed(c, w)),
  LeCunNormal: (c, w) => leCunNormal(seed(c, w)),
  Identity: (c, w) => identity({ gain: num(c, 'gain', 1, w) }),
  Orthogonal: (c, w) => orthogonal({ gain: num(c, 'gain', 1, w), ...seed(c, w) }),
};

const listNames = (table: Record<string, unknown>): string => Object.keys(table).map((k) => `'${k}'`).join(', ');


/** An initializer from its {className, config} form; an unknown class is refused with the known ones listed. */
export function initializerFromConfig(dict: unknown, where: string): Initializer {
  const d = dict !== null && typeof dict === 'object' && !Array.isArray(dict) ? dict as Config : null;
  if (!d || typeof d.className !== 'string') throw new Error(`${where}: an initializer config must be {className, config}, got ${preview(dict)}`);
  const make = Object.hasOwn(byClassName, d.className) ? byClassName[d.className] : undefined;
  if (!make) throw new Error(`${where}: unknown initializer '${clipped(d.className)}'; expected one of ${listNames(byClassName)}`);
  const config = d.config === undefined || d.config === null ? {} : d.config;
  if (typeof config !== 'object' || Array.isArray(config)) throw new Error(`${where}: the config of initializer '${d.className}' must be an object, got ${preview(config)}`);
  return make(config as Config, `${where} (initializer ${d.className})`);
}

/**
 * Resolves a name (TF.js's identifier or class name), an initializer object or
 * a {className, config} dict; `where` names the layer for errors.
 */
export function getInitializer(id: InitializerIdentifier | undefined, fallback: () => Initializer, where: string): Initializer {
  if (id === undefined) return fallback();
  if (typeof id !== 'string') {
    // JavaScript callers and model.json files can hand anything here; only an object that can make values will do
    const maybe = id as Partial<Initializer> | null;
    if (maybe !== null && typeof maybe === 'object' && !Array.isArray(maybe)) {
      if (typeof maybe.values === 'function' && typeof maybe.getConfig === 'function') return id as Initializer;
      if (typeof maybe.className === 'string') return initializerFromConfig(id, where);
    }
    throw new Error(`${where}: an initializer must be a name (${listNames(byName)}), {className, config} or a wc.initializers.* object, got ${preview(id)}`);
  }
  if (Object.hasOwn(byName, id)) return byName[id]();
  if (Object.hasOwn(byClassName, id)) return byClassName[id]({}, where);
  throw new Error(`${where}: unknown initializer '${clipped(id)}'; expected one of ${listNames(byName)} (or a class name: ${listNames(byClassName)})`);
}

/** The {className, config} form model.json stores. */
export function serializeInitializer(init: Initializer): LayerConfig {
  return { className: init.className, config: init.getConfig() };
}
