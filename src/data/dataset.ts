// wc.data.Dataset: tf.data's lazy, streaming datasets. A dataset is a recipe:
// each iterator() starts the stream anew, and elements are made one at a time
// as the consumer asks, so a pass never needs the whole dataset in memory.
// Methods, sizes and edge cases follow tf.data (tfjs-data/src/dataset.ts);
// shuffling uses webcnn's seeded generator, so its orders differ from TF.js's.

import { nextSeed, seededRandom } from '../random.js';
import { cloneElement, disposeElement, isPlainObject, type DataElement } from './element.js';
import {
  BatchIterator, ConcatIterator, DataIterator, FilterIterator, GeneratorIterator, ItemsIterator, MapIterator,
  PrefetchIterator, ShuffleIterator, SkipIterator, TakeIterator, ZipIterator,
} from './iterators.js';

export { DataIterator } from './iterators.js';
export type { DataResult } from './iterators.js';

function positiveInteger(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${where}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

function optionalCount(where: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${where}: count must be an integer or undefined, got ${String(v)}`);
  return v;
}

/** A string seed (tf.data takes strings) as a number for the seeded generator. */
function seedNumber(seed: number | string): number {
  if (typeof seed === 'number') return seed >>> 0;
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class Dataset<T extends DataElement = DataElement> {
  /**
   * @param make starts a new stream (called by every iterator()).
   * @param size the number of elements: a count, Infinity, or null where it is not known (generators, filter).
   */
  constructor(private readonly make: () => Promise<DataIterator<T>> | DataIterator<T>, readonly size: number | null = null) {}

  /** A new stream over the elements; the caller owns (and disposes the tensors of) each element it takes. */
  async iterator(): Promise<DataIterator<T>> {
    return this.make();
  }

  /**
   * Groups elements into batches of batchSize along a new first axis: tensors
   * are stacked, numbers become 1-D tensors, objects and arrays are batched
   * leaf by leaf. The last batch may be smaller unless smallLastBatch is false.
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<DataElement> {
    const size = positiveInteger('Dataset.batch', 'batchSize', batchSize);
    const n = this.size === null || this.size === Infinity ? this.size : smallLastBatch ? Math.ceil(this.size / size) : Math.floor(this.size / size);
    return new Dataset(async () => new BatchIterator(await this.iterator(), size, smallLastBatch), n);
  }

  /** This dataset's elements, then those of another. */
  concatenate(other: Dataset<T>): Dataset<T> {
    const size = this.size === Infinity || other.size === Infinity ? Infinity : this.size !== null && other.size !== null ? this.size + other.size : null;
    return new Dataset(() => new ConcatIterator((round) => (round === 0 ? this.iterator() : other.iterator()), 2), size);
  }

  /** The elements for which predicate is true (size unknown). Dropped elements are disposed. */
  filter(predicate: (value: T) => boolean | Promise<boolean>): Dataset<T> {
    return new Dataset(async () => new FilterIterator(await this.iterator(), predicate), this.size === Infinity ? Infinity : null);
  }

  /**
   * Calls f on every element, in order, disposing each element's tensors after
   * f returns (as tf.data does); resolves when the stream ends.
   */
  async forEachAsync(f: (value: T) => void | Promise<void>): Promise<void> {
    if (this.size === Infinity) throw new Error('Dataset.forEachAsync: the dataset is infinite (repeat() without a count); take(n) first');
    const it = await this.iterator();
    for (let r = await it.next(); !r.done; r = await it.next()) {
      try {
        await f(r.value);
      } finally {
        disposeElement(r.value);
      }
    }
  }

  /**
   * Each element through transform, inside a tidy scope: tensors it makes and
   * does not return are freed, and tensors of the input it does not return
   * are disposed once it has run.
   */
  map<O extends DataElement>(transform: (value: T) => O): Dataset<O> {
    return new Dataset(async () => new MapIterator<T, O>(await this.iterator(), transform, true), this.size);
  }

  /** map with an async transform; it frees its own intermediate tensors (no tidy spans an await). */
  mapAsync<O extends DataElement>(transform: (value: T) => Promise<O>): Dataset<O> {
    return new Dataset(async () => new MapIterator<T, O>(await this.iterator(), transform, false), this.size);
  }

  /** Makes up to bufferSize elements ahead of the consumer, so that they are ready when asked for. */
  prefetch(bufferSize: number): Dataset<T> {
    const n = positiveInteger('Dataset.prefetch', 'bufferSize', bufferSize);
    return new Dataset(async () => new PrefetchIterator(await this.iterator(), n), this.size);
  }

  /** The dataset count times over (each time a new stream); without count (or negative) for ever. */
  repeat(count?: number): Dataset<T> {
    const c = optionalCount('Dataset.repeat', count);
    const times = c === undefined || c < 0 ? undefined : c;
    const size = times === 0 ? 0 : this.size === null ? null : times === undefined ? Infinity : this.size * times;
    return new Dataset(() => new ConcatIterator(() => this.iterator(), times), size);
  }

  /**
   * Shuffles in a streaming way: a buffer of bufferSize elements, each output
   * drawn from it at random. A buffer as large as the dataset gives a uniform
   * shuffle. seed makes the orders reproducible; with reshuffleEachIteration
   * (the default) each iterator() draws a new order, else every one repeats the first.
   */
  shuffle(bufferSize: number, seed?: number | string, reshuffleEachIteration = true): Dataset<T> {
    if (bufferSize === undefined || bufferSize === null) {
      throw new Error(`Dataset.shuffle: bufferSize is required${this.size !== null && Number.isFinite(this.size) ? `; the dataset's size (${this.size}) gives a uniform shuffle if its elements fit in memory` : ''}`);
    }
    const n = positiveInteger('Dataset.shuffle', 'bufferSize', bufferSize);
    const seeds = seededRandom(seed === undefined ? nextSeed() : seedNumber(seed));
    const first = Math.floor(seeds() * 4294967296);
    return new Dataset(async () => {
      const s = reshuffleEachIteration ? Math.floor(seeds() * 4294967296) : first;
      return new ShuffleIterator(await this.iterator(), n, seededRandom(s));
    }, this.size);
  }

  /** The elements after the first count (the skipped ones are disposed); a negative count skips none, as in tf.data. */
  skip(count: number): Dataset<T> {
    const c = optionalCount('Dataset.skip', count);
    const skipped = c === undefined || c < 0 ? 0 : c;
    const size = this.size === null ? null : Math.max(0, this.size - skipped);
    return new Dataset(async () => new SkipIterator(await this.iterator(), c), size);
  }

  /** The first count elements; a negative count takes all, as in tf.data. */
  take(count: number): Dataset<T> {
    const c = optionalCount('Dataset.take', count);
    const size = c === undefined || c < 0 ? this.size : this.size === null ? null : Math.min(this.size, c);
    return new Dataset(async () => new TakeIterator(await this.iterator(), c), size);
  }

  /** Every element, in order (the caller owns their tensors); refused for an infinite dataset. */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new Error('Dataset.toArray: cannot collect an infinite dataset (repeat() without a count); take(n) first');
    return (await this.iterator()).toArray();
  }
}

/**
 * A dataset of the given elements, in order. Each iteration hands out copies
 * of their tensors (the consumer disposes those), so the items stay usable.
 */
export function array<T extends DataElement>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new Error(`data.array: expected an array of elements, got ${items === null ? 'null' : typeof items}`);
  return new Dataset(() => new ItemsIterator(items, cloneElement), items.length);
}

/**
 * A dataset whose elements a JS iterator yields: fn is called for every
 * iteration and returns a fresh (sync or async) iterator, as a generator
 * function does. Its size is unknown. The consumer owns the yielded tensors.
 */
export function generator<T extends DataElement>(fn: () => Iterator<T> | AsyncIterator<T> | Promise<Iterator<T> | AsyncIterator<T>>): Dataset<T> {
  if (typeof fn !== 'function') throw new Error('data.generator: expected a function that returns an iterator (a generator function, say)');
  return new Dataset(async () => {
    const it = await fn();
    if (!it || typeof (it as Iterator<T>).next !== 'function') throw new Error('data.generator: the function must return an iterator (an object with next()); pass a generator function, not a generator');
    return new GeneratorIterator(it);
  }, null);
}

/** What zip takes: datasets, or arrays and plain objects nesting them. */
export type DatasetContainer = Dataset<DataElement> | readonly DatasetContainer[] | { readonly [key: string]: DatasetContainer };

function zipLeaves(node: unknown, path: string, into: Dataset<DataElement>[]): void {
  if (node instanceof Dataset) into.push(node);
  else if (Array.isArray(node)) node.forEach((v, i) => zipLeaves(v, `${path}[${i}]`, into));
  else if (isPlainObject(node)) for (const [k, v] of Object.entries(node)) zipLeaves(v, `${path}.${k}`, into);
  else throw new Error(`data.zip: ${path} must be a Dataset (or an array or object of them), got ${node === null ? 'null' : typeof node}`);
}

/**
 * A dataset of the datasets' elements side by side, in the same nesting as
 * `datasets` (an array gives array elements, an object gives objects); it ends
 * with the shortest. Its size is the smallest size, null if one is unknown.
 */
export function zip<O extends DataElement = DataElement>(datasets: DatasetContainer): Dataset<O> {
  if (!Array.isArray(datasets) && !isPlainObject(datasets)) throw new Error('data.zip: expected an array or an object of datasets');
  const leaves: Dataset<DataElement>[] = [];
  zipLeaves(datasets, 'datasets', leaves);
  const sizes = leaves.map((d) => d.size);
  const size = sizes.length === 0 ? 0 : sizes.includes(null) ? null : Math.min(...(sizes as number[]));
  return new Dataset<O>(async () => {
    const streams: DataIterator<unknown>[] = [];
    const build = async (node: unknown): Promise<unknown> => {
      if (node instanceof Dataset) {
        // the same dataset twice is two streams, as two iterator() calls are
        const it = await node.iterator();
        streams.push(it);
        return it;
      }
      if (Array.isArray(node)) {
        const out: unknown[] = [];
        for (const v of node) out.push(await build(v));
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) out[k] = await build(v);
      return out;
    };
    const shape = await build(datasets);
    return new ZipIterator<O>(shape, streams);
  }, size);
}
