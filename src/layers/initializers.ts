// Weight initializers, named and configured as Keras/TF.js name them. Each
// fills a Float32Array on the CPU once, at build time; the layer uploads it.
// Unseeded initializers draw their seed from one module-level generator, so a
// program that builds the same model twice gets different weights, and a
// fresh process gets the same ones (reproducible runs).

import type { LayerConfig } from './layer.js';

export interface Initializer {
  /** Keras class name, as model.json stores it: 'GlorotUniform', 'Zeros', ... */
  readonly className: string;
  values(shape: readonly number[]): Float32Array;
  getConfig(): LayerConfig;
}

/** mulberry32: small, fast, seeded; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedSource = seededRandom(0x5eed);
/** A fresh seed for an unseeded initializer or layer. */
export function nextSeed(): number {
  return Math.floor(seedSource() * 4294967296);
}

/** Standard normal draws by Box-Muller. */
function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand(); // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

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

/** Normal draws; truncated ones are redrawn beyond two standard deviations, as TF does. */
function normalValues(n: number, mean: number, stddev: number, truncated: boolean, seed: number | null): Float32Array {
  const g = gaussian(seededRandom(seed ?? nextSeed()));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let z = g();
    while (truncated && Math.abs(z) > 2) z = g();
    out[i] = mean + stddev * z;
  }
  return out;
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

/** The string names TF.js accepts for initializers, mapped to makers. */
const byName: Record<string, () => Initializer> = {
  zeros, ones, randomUniform, randomNormal, truncatedNormal, varianceScaling,
  glorotUniform, glorotNormal, heUniform, heNormal, leCunUniform, leCunNormal,
};

export type InitializerName = 'zeros' | 'ones' | 'randomUniform' | 'randomNormal' | 'truncatedNormal' | 'varianceScaling'
  | 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'leCunUniform' | 'leCunNormal';
export type InitializerIdentifier = InitializerName | Initializer;

/** Resolves a name or an initializer object; `where` names the layer for errors. */
export function getInitializer(id: InitializerIdentifier | undefined, fallback: () => Initializer, where: string): Initializer {
  if (id === undefined) return fallback();
  if (typeof id !== 'string') {
    // JavaScript callers and model.json files can hand anything here; only an object that can make values will do
    const maybe = id as Partial<Initializer> | null;
    if (maybe !== null && typeof maybe === 'object' && !Array.isArray(maybe) && typeof maybe.values === 'function' && typeof maybe.getConfig === 'function') return id;
    throw new Error(`${where}: an initializer must be a name (${Object.keys(byName).map((k) => `'${k}'`).join(', ')}) or a wc.initializers.* object, got ${JSON.stringify(id) ?? String(id)}`);
  }
  const make = Object.hasOwn(byName, id) ? byName[id] : undefined;
  if (!make) throw new Error(`${where}: unknown initializer '${String(id)}'; expected one of ${Object.keys(byName).map((k) => `'${k}'`).join(', ')}`);
  return make();
}

/** The {className, config} form model.json stores. */
export function serializeInitializer(init: Initializer): LayerConfig {
  return { className: init.className, config: init.getConfig() };
}
