// The iterators behind Dataset's methods (tf.data's LazyIterator family).
// next() calls are served one at a time, in call order, so a prefetch that
// asks ahead never reorders or races an upstream. cancel() drops what an
// iterator holds (buffered elements are disposed) and cancels its upstreams:
// a consumer that stops early (fitDataset with batchesPerEpoch) calls it.

import { tidy } from '../tensor.js';
import { batchElements } from './batchElements.js';
import { disposeDropped, disposeElement, type DataElement } from './element.js';

/** One step of an iterator: tf.data's { value, done } (value null when done). */
export type DataResult<T> = { value: T; done: false } | { value: null; done: true };

const DONE = { value: null, done: true } as const;
const item = <T>(value: T): DataResult<T> => ({ value, done: false });

export abstract class DataIterator<T> {
  private queue: Promise<unknown> = Promise.resolve();
  protected abstract pull(): Promise<DataResult<T>>;
  /** The next element, which the caller owns (and disposes the tensors of). */
  next(): Promise<DataResult<T>> {
    const p = this.queue.then(() => this.pull());
    this.queue = p.catch(() => undefined);
    return p;
  }
  /** Stops early: drops buffered elements and cancels the upstreams. */
  async cancel(): Promise<void> {
    await this.queue;
  }
  /** Every remaining element, in order. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for (let r = await this.next(); !r.done; r = await this.next()) out.push(r.value);
    return out;
  }
}

export class ItemsIterator<T> extends DataIterator<T> {
  private at = 0;
  constructor(private readonly items: readonly T[], private readonly prepare: (v: T) => T) { super(); }
  protected async pull(): Promise<DataResult<T>> {
    return this.at < this.items.length ? item(this.prepare(this.items[this.at++])) : DONE;
  }
}

/** Wraps a JS iterator (sync or async), as tf.data.generator does. */
export class GeneratorIterator<T> extends DataIterator<T> {
  constructor(private readonly source: Iterator<T> | AsyncIterator<T>) { super(); }
  protected async pull(): Promise<DataResult<T>> {
    const r = await this.source.next();
    return r.done ? DONE : item(r.value);
  }
  override async cancel(): Promise<void> {
    await super.cancel();
    await this.source.return?.();
  }
}

/** Base of the iterators that read one upstream. */
abstract class Wrapped<I, T> extends DataIterator<T> {
  constructor(protected readonly up: DataIterator<I>) { super(); }
  override async cancel(): Promise<void> {
    await super.cancel();
    await this.up.cancel();
  }
}

/** map: the transform runs in a tidy scope; input tensors the output does not hold are disposed. */
export class MapIterator<I, T> extends Wrapped<I, T> {
  constructor(up: DataIterator<I>, private readonly f: (v: I) => T | Promise<T>, private readonly sync: boolean) { super(up); }
  protected async pull(): Promise<DataResult<T>> {
    const r = await this.up.next();
    if (r.done) return DONE;
    let out: T;
    try {
      out = this.sync ? tidy(() => this.f(r.value) as never) as T : await this.f(r.value);
    } catch (err) {
      disposeElement(r.value);
      throw err;
    }
    disposeDropped(r.value, out);
    return item(out);
  }
}

export class FilterIterator<T> extends Wrapped<T, T> {
  constructor(up: DataIterator<T>, private readonly keep: (v: T) => boolean | Promise<boolean>) { super(up); }
  protected async pull(): Promise<DataResult<T>> {
    for (;;) {
      const r = await this.up.next();
      if (r.done) return DONE;
      if (await this.keep(r.value)) return r;
      disposeElement(r.value);
    }
  }
}

/** take: a negative or undefined count takes everything, as tf.data does. */
export class TakeIterator<T> extends Wrapped<T, T> {
  private taken = 0;
  constructor(up: DataIterator<T>, private readonly count: number | undefined) { super(up); }
  protected async pull(): Promise<DataResult<T>> {
    if (this.count !== undefined && this.count >= 0 && this.taken >= this.count) return DONE;
    this.taken++;
    return this.up.next();
  }
}

/** skip: the skipped elements are disposed; a negative or undefined count skips nothing, as tf.data does. */
export class SkipIterator<T> extends Wrapped<T, T> {
  private skipped = 0;
  constructor(up: DataIterator<T>, private readonly count: number | undefined) { super(up); }
  protected async pull(): Promise<DataResult<T>> {
    while (this.count !== undefined && this.skipped < this.count) {
      this.skipped++;
      const r = await this.up.next();
      if (r.done) return DONE;
      disposeElement(r.value);
    }
    return this.up.next();
  }
}

export class BatchIterator extends Wrapped<DataElement, DataElement> {
  constructor(up: DataIterator<DataElement>, private readonly size: number, private readonly smallLastBatch: boolean) { super(up); }
  protected async pull(): Promise<DataResult<DataElement>> {
    const rows: DataElement[] = [];
    while (rows.length < this.size) {
      const r = await this.up.next();
      if (r.done) break;
      rows.push(r.value);
    }
    try {
      if (rows.length === 0 || (rows.length < this.size && !this.smallLastBatch)) return DONE;
      return item(batchElements(rows));
    } finally {
      // the rows' tensors were copied into the batch (a short last batch that is dropped goes too)
      for (const r of rows) disposeElement(r);
    }
  }
}

/** Streaming shuffle: a buffer of bufferSize elements, each output drawn from it at random and refilled from upstream. */
export class ShuffleIterator<T> extends Wrapped<T, T> {
  private readonly buffer: T[] = [];
  private exhausted = false;
  constructor(up: DataIterator<T>, private readonly bufferSize: number, private readonly random: () => number) { super(up); }
  protected async pull(): Promise<DataResult<T>> {
    while (!this.exhausted && this.buffer.length < this.bufferSize) {
      const r = await this.up.next();
      if (r.done) this.exhausted = true;
      else this.buffer.push(r.value);
    }
    if (this.buffer.length === 0) return DONE;
    const i = Math.floor(this.random() * this.buffer.length);
    const chosen = this.buffer[i];
    this.buffer[i] = this.buffer[this.buffer.length - 1];
    this.buffer.pop();
    return item(chosen);
  }
  override async cancel(): Promise<void> {
    await super.cancel();
    for (const e of this.buffer.splice(0)) disposeElement(e);
  }
}

/** Keeps up to bufferSize upstream next() calls in flight, so elements are made ahead of their use. */
export class PrefetchIterator<T> extends Wrapped<T, T> {
  private readonly ahead: Promise<DataResult<T>>[] = [];
  constructor(up: DataIterator<T>, private readonly bufferSize: number) { super(up); }
  private fill(): void {
    while (this.ahead.length < this.bufferSize) {
      const p = this.up.next();
      p.catch(() => undefined); // awaited in order by pull; this only keeps an early failure from going unhandled
      this.ahead.push(p);
    }
  }
  protected async pull(): Promise<DataResult<T>> {
    this.fill();
    const r = await this.ahead.shift()!;
    if (!r.done) this.fill();
    return r;
  }
  override async cancel(): Promise<void> {
    await super.cancel();
    for (const p of this.ahead.splice(0)) {
      const r = await p.catch(() => DONE);
      if (!r.done) disposeElement(r.value);
    }
  }
}

/** The streams of `count` iterators one after another (repeat, concatenate); undefined count: without end. */
export class ConcatIterator<T> extends DataIterator<T> {
  private current: DataIterator<T> | null = null;
  private started = 0;
  private yieldedThisRound = false;
  constructor(private readonly make: (round: number) => Promise<DataIterator<T>>, private readonly count: number | undefined) { super(); }
  protected async pull(): Promise<DataResult<T>> {
    for (;;) {
      if (!this.current) {
        if (this.count !== undefined && this.started >= this.count) return DONE;
        this.current = await this.make(this.started++);
        this.yieldedThisRound = false;
      }
      const r = await this.current.next();
      if (!r.done) {
        this.yieldedThisRound = true;
        return r;
      }
      this.current = null;
      // an endless repeat of an empty dataset would spin for ever: it is empty instead
      if (!this.yieldedThisRound && this.count === undefined) return DONE;
    }
  }
  override async cancel(): Promise<void> {
    await super.cancel();
    await this.current?.cancel();
    this.current = null;
  }
}

/** A nesting of iterators as one: each element the same nesting of their elements; ends with the shortest. */
export class ZipIterator<T> extends DataIterator<T> {
  constructor(private readonly streams: unknown, private readonly leaves: DataIterator<unknown>[]) { super(); }
  protected async pull(): Promise<DataResult<T>> {
    if (this.leaves.length === 0) return DONE;
    const results = await Promise.all(this.leaves.map((s) => s.next()));
    if (results.some((r) => r.done)) {
      for (const r of results) if (!r.done) disposeElement(r.value);
      return DONE;
    }
    const values = new Map(this.leaves.map((s, i) => [s, results[i].value]));
    const build = (node: unknown): unknown => {
      if (node instanceof DataIterator) return values.get(node);
      if (Array.isArray(node)) return node.map(build);
      return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, build(v)]));
    };
    return item(build(this.streams) as T);
  }
  override async cancel(): Promise<void> {
    await super.cancel();
    await Promise.all(this.leaves.map((s) => s.cancel()));
  }
}

