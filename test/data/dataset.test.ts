// wc.data against the real tf.data (TF.js 4.22, CPU): the same pipeline built
// with both, elements compared as plain values. Shuffle orders differ (each
// library has its own generator), so shuffles are compared as multisets; every
// other method must give the same elements in the same order and the same size.
// Tensor ownership: what an iterator hands out belongs to the consumer, and
// a full pass leaves no tensor behind.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';

const { data } = wc;
type WcSet = wc.data.Dataset;
type TfSet = tf.data.Dataset<tf.TensorContainer>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await wc.setBackend('cpu');
});

/** An element as plain values: tensors as { shape, values }, numbers as they are. */
function plain(e: unknown): unknown {
  if (e instanceof wc.Tensor) return { shape: [...e.shape], values: Array.from(e.dataSync()) };
  if (e instanceof tf.Tensor) return { shape: [...e.shape], values: Array.from(e.dataSync() as ArrayLike<number>) };
  if (Array.isArray(e)) return e.map(plain);
  if (e && typeof e === 'object' && !ArrayBuffer.isView(e)) return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, plain(v)]));
  return e;
}

async function wcElements(ds: WcSet): Promise<unknown[]> {
  const out: unknown[] = [];
  await ds.forEachAsync((e) => { out.push(plain(e)); });
  return out;
}

async function tfElements(ds: TfSet): Promise<unknown[]> {
  const out: unknown[] = [];
  await ds.forEachAsync((e) => { out.push(plain(e)); });
  return out;
}

/** The same pipeline on both libraries: same elements, same order, same size. */
async function expectSame(build: <D extends { size: number | null }>(lib: 'wc' | 'tf') => D): Promise<unknown[]> {
  const w = build<WcSet>('wc');
  const t = build<TfSet>('tf');
  const [we, te] = [await wcElements(w), await tfElements(t)];
  expect(we).toEqual(te);
  expect(w.size).toBe(t.size);
  return we;
}

const items = [1, 2, 3, 4, 5, 6, 7];
const arr = (lib: 'wc' | 'tf', xs: unknown[] = items) => (lib === 'wc' ? data.array(xs as never) : tf.data.array(xs as never));

describe('wc.data against tf.data', () => {
  it('array: numbers, objects and tensors in order, with the size', async () => {
    expect(await expectSame((lib) => arr(lib) as never)).toEqual(items);
    const objs = [{ a: 1, b: [1, 2] }, { a: 2, b: [3, 4] }];
    expect(await expectSame((lib) => arr(lib, objs) as never)).toEqual(objs);
  });

  it('batch: sizes with and without the small last batch; numbers, numeric arrays, objects, tensors', async () => {
    const got = await expectSame((lib) => (arr(lib) as WcSet).batch(3) as never);
    expect(got).toEqual([{ shape: [3], values: [1, 2, 3] }, { shape: [3], values: [4, 5, 6] }, { shape: [1], values: [7] }]);
    expect((await expectSame((lib) => (arr(lib) as WcSet).batch(3, false) as never)).length).toBe(2);
    const rows = [[1, 2], [3, 4], [5, 6]];
    const nested = await expectSame((lib) => (arr(lib, rows) as WcSet).batch(2) as never);
    expect(nested[0]).toEqual({ shape: [2, 2], values: [1, 2, 3, 4] });
    const objs = [{ a: 1, b: [1, 2], c: { d: 5 } }, { a: 2, b: [3, 4], c: { d: 6 } }, { a: 3, b: [5, 6], c: { d: 7 } }];
    const ob = await expectSame((lib) => (arr(lib, objs) as WcSet).batch(2) as never);
    expect(ob[0]).toEqual({ a: { shape: [2], values: [1, 2] }, b: { shape: [2, 2], values: [1, 2, 3, 4] }, c: { d: { shape: [2], values: [5, 6] } } });
    const w = data.array([wc.tensor([1, 2, 3, 4], [2, 2]), wc.tensor([5, 6, 7, 8], [2, 2]), wc.tensor([9, 10, 11, 12], [2, 2])]);
    const t = tf.data.array([tf.tensor([1, 2, 3, 4], [2, 2]), tf.tensor([5, 6, 7, 8], [2, 2]), tf.tensor([9, 10, 11, 12], [2, 2])]);
    expect(await wcElements(w.batch(2))).toEqual(await tfElements(t.batch(2)));
    expect((await wcElements(w.batch(2)))[0]).toEqual({ shape: [2, 2, 2], values: [1, 2, 3, 4, 5, 6, 7, 8] });
  });

  it('batch: [xs, ys] elements of tensors are batched place by place (tf.data refuses them)', async () => {
    const ds = data.array([[wc.tensor([1, 2]), wc.scalar(0)], [wc.tensor([3, 4]), wc.scalar(1)]]).batch(2);
    expect(await wcElements(ds)).toEqual([[{ shape: [2, 2], values: [1, 2, 3, 4] }, { shape: [2], values: [0, 1] }]]);
  });

  it('batch refuses a bad size, ragged tensors and elements of another structure', async () => {
    expect(() => data.array(items).batch(0)).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => data.array(items).batch(2.5)).toThrow(/batchSize must be a positive integer/);
    await expect(data.array([wc.tensor([1, 2]), wc.tensor([3])]).batch(2).toArray()).rejects.toThrow(/stack: every tensor must have the shape/);
    await expect(data.array([{ a: 1 }, { b: 2 }] as never[]).batch(2).toArray()).rejects.toThrow(/element 1 .* element 0 an object with keys a/);
    await expect(data.array(['a', 'b']).batch(2).toArray()).rejects.toThrow(/cannot batch string/);
  });

  it('take, skip and repeat: elements and sizes as tf.data gives them, edge counts included', async () => {
    for (const n of [0, 3, 7, 9]) {
      await expectSame((lib) => (arr(lib) as WcSet).take(n) as never);
      await expectSame((lib) => (arr(lib) as WcSet).skip(n) as never);
    }
    for (const n of [0, 1, 3]) await expectSame((lib) => (arr(lib) as WcSet).repeat(n) as never);
    // endless repeats: take a window of them
    const endless = await expectSame((lib) => (arr(lib) as WcSet).repeat().take(17) as never);
    expect(endless).toEqual([...items, ...items, 1, 2, 3]);
    await expectSame((lib) => (arr(lib) as WcSet).repeat(-1).take(10) as never);
    expect(data.array(items).repeat().size).toBe(Infinity);
    // negative counts: tf.data takes everything and skips nothing (its sizes say otherwise; webcnn's agree with the elements)
    expect(await wcElements(data.array(items).take(-1))).toEqual(await tfElements(tf.data.array(items).take(-1)));
    expect(await wcElements(data.array(items).skip(-1))).toEqual(await tfElements(tf.data.array(items).skip(-1)));
    expect(data.array(items).take(-1).size).toBe(7);
    expect(data.array(items).skip(-1).size).toBe(7);
  });

  it('chains: skip, take, batch and repeat compose as in tf.data', async () => {
    await expectSame((lib) => (arr(lib) as WcSet).skip(2).repeat(2).batch(4).take(2) as never);
    await expectSame((lib) => (arr(lib) as WcSet).batch(2, false).repeat(3) as never);
  });

  it('map, filter, concatenate and prefetch keep order and sizes', async () => {
    await expectSame((lib) => (arr(lib) as WcSet).map((x) => (x as number) * 10) as never);
    await expectSame((lib) => (arr(lib) as WcSet).filter((x) => (x as number) % 2 === 1) as never);
    await expectSame((lib) => (arr(lib) as WcSet).concatenate(arr(lib, [8, 9]) as WcSet) as never);
    await expectSame((lib) => (arr(lib) as WcSet).prefetch(3).batch(2) as never);
    const mapped = await wcElements(data.array([wc.tensor([1, 2])]).map((t) => (t as wc.Tensor).mul(2)));
    expect(mapped).toEqual([{ shape: [2], values: [2, 4] }]);
    const asyncMapped = await data.array([1, 2]).mapAsync(async (x) => x + 1).toArray();
    expect(asyncMapped).toEqual([2, 3]);
  });

  it('prefetch makes up to bufferSize elements ahead of the consumer', async () => {
    const made: number[] = [];
    const ds = data.generator(function* () { for (let i = 0; i < 6; i++) { made.push(i); yield i; } }).prefetch(2);
    const it = await ds.iterator();
    expect(await it.next()).toEqual({ value: 0, done: false });
    await new Promise((r) => setTimeout(r, 0));
    expect(made).toEqual([0, 1, 2]);
    const plainIt = await data.generator(function* () { for (let i = 0; i < 6; i++) { made.push(10 + i); yield i; } }).iterator();
    await plainIt.next();
    await new Promise((r) => setTimeout(r, 0));
    expect(made.slice(3)).toEqual([10]);
  });

  it('generator: a new stream per iteration, size unknown, sync and async iterators', async () => {
    const make = (lib: 'wc' | 'tf') => {
      const fn = function* () { for (let i = 0; i < 5; i++) yield i * i; };
      return (lib === 'wc' ? data.generator(fn) : tf.data.generator(fn)) as never;
    };
    await expectSame(make);
    const g = data.generator(function* () { yield 1; yield 2; });
    expect(g.size).toBeNull();
    expect(await g.toArray()).toEqual([1, 2]);
    expect(await g.toArray()).toEqual([1, 2]);
    const ag = data.generator(async function* () { yield { x: 1 }; yield { x: 2 }; });
    expect(await ag.batch(2).map((b) => plain(b) as never).toArray()).toEqual([{ x: { shape: [2], values: [1, 2] } }]);
    expect(() => data.generator(42 as never)).toThrow(/expected a function/);
  });

  it('zip: arrays and objects of datasets, ending with the shortest', async () => {
    await expectSame((lib) => (lib === 'wc'
      ? data.zip([data.array(items), data.array([10, 20, 30])])
      : tf.data.zip([tf.data.array(items), tf.data.array([10, 20, 30])])) as never);
    // a nested object: the same elements (tf.data's size is NaN here, webcnn's the shortest)
    const nested = data.zip({ x: data.array(items), y: { z: data.array(items).skip(2) } });
    expect(await wcElements(nested)).toEqual(await tfElements(tf.data.zip({ x: tf.data.array(items), y: { z: tf.data.array(items).skip(2) } })));
    expect(nested.size).toBe(5);
    expect((await wcElements(nested))[0]).toEqual({ x: 1, y: { z: 3 } });
    // an unknown size stays unknown (tf.data reports 0 here)
    expect(data.zip([data.array(items), data.generator(function* () { yield 1; })]).size).toBeNull();
    expect(() => data.zip([data.array(items), 3 as never])).toThrow(/datasets\[1\] must be a Dataset/);
  });

  it('shuffle: the same multiset as tf.data, a uniform shuffle for a full buffer, seeded and reshuffled', async () => {
    const many = Array.from({ length: 50 }, (_, i) => i);
    const sorted = (xs: unknown[]) => [...(xs as number[])].sort((a, b) => a - b);
    for (const buffer of [1, 5, 50, 80]) {
      const w = data.array(many).shuffle(buffer, 'seed');
      const t = tf.data.array(many).shuffle(buffer, 'seed');
      const we = await wcElements(w);
      expect(sorted(we)).toEqual(sorted(await tfElements(t)));
      expect(w.size).toBe(t.size);
      if (buffer === 1) expect(we).toEqual(many);
      else expect(we).not.toEqual(many);
    }
    // a buffer of 5 moves an element at most 4 places earlier
    const local = (await data.array(many).shuffle(5, 3).toArray()) as number[];
    local.forEach((v, i) => expect(v).toBeLessThanOrEqual(i + 4));
    // reproducible from the seed; a new order each iteration unless asked otherwise
    const a = data.array(many).shuffle(50, 7);
    const b = data.array(many).shuffle(50, 7);
    const [a1, a2, b1] = [await a.toArray(), await a.toArray(), await b.toArray()];
    expect(a1).toEqual(b1);
    expect(a2).not.toEqual(a1);
    const fixed = data.array(many).shuffle(50, 7, false);
    expect(await fixed.toArray()).toEqual(await fixed.toArray());
    expect(() => data.array(many).shuffle(undefined as never)).toThrow(/bufferSize is required; the dataset's size \(50\)/);
    // a full-buffer shuffle moves each element to each place about equally often
    const counts = new Array(5).fill(0);
    const s = data.array([0, 1, 2, 3, 4]).shuffle(5, 11);
    for (let i = 0; i < 2000; i++) counts[((await s.toArray()) as number[]).indexOf(0)]++;
    for (const c of counts) expect(Math.abs(c - 400)).toBeLessThan(80);
  });

  it('toArray and forEachAsync refuse an infinite dataset', async () => {
    await expect(data.array(items).repeat().toArray()).rejects.toThrow(/cannot collect an infinite dataset/);
    await expect(data.array(items).repeat().forEachAsync(() => undefined)).rejects.toThrow(/infinite/);
    // an endless repeat of an empty dataset ends instead of spinning
    expect(await data.array([]).repeat().take(3).toArray()).toEqual([]);
  });

  it('iterator(): tf.data\'s { value, done } steps; each iterator a new stream', async () => {
    const ds = data.array([1, 2]);
    const it = await ds.iterator();
    expect(await it.next()).toEqual({ value: 1, done: false });
    const other = await ds.iterator();
    expect(await other.next()).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect(await it.next()).toEqual({ value: null, done: true });
  });
});

describe('tensor ownership', () => {
  it('a pipeline over tensors leaves no tensor behind, and the array items stay usable', async () => {
    const xs = Array.from({ length: 10 }, (_, i) => ({ x: wc.tensor([i, i + 1]), y: wc.scalar(i % 2) }));
    const before = wc.memory().numTensors;
    const ds = data.array(xs).shuffle(4, 1).map((e) => ({ x: e.x.mul(2), y: e.y })).filter((e) => e.y.dataSync()[0] === 0)
      .batch(2).prefetch(2).repeat(2).skip(1);
    let batches = 0;
    await ds.forEachAsync(() => { batches++; });
    expect(batches).toBe(5);
    expect(wc.memory().numTensors).toBe(before);
    expect(Array.from(xs[3].x.dataSync())).toEqual([3, 4]);
    // an iterator stopped early and cancelled frees what its shuffle and prefetch buffers hold
    const it = await data.array(xs).shuffle(6, 2).prefetch(3).iterator();
    const first = await it.next();
    if (!first.done) for (const t of Object.values(first.value)) t.dispose();
    await it.cancel();
    expect(wc.memory().numTensors).toBe(before);
    // zip of datasets that ran out at different times
    await data.zip([data.array(xs), data.array(xs).take(3)]).forEachAsync(() => undefined);
    expect(wc.memory().numTensors).toBe(before);
    for (const e of xs) { e.x.dispose(); e.y.dispose(); }
  });
});
