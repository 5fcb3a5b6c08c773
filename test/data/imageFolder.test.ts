// wc.data.imageFolder in Node: small PNG and JPEG files written to a temp
// folder (one subfolder per class), read back as { xs, ys } elements. Pixel
// values are checked by hand (a 4x4 image halved by bilinear resizing with
// half-pixel centers averages 2x2 blocks), labels from the sorted class names.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { encode as encodeJpeg } from 'jpeg-js';
import * as wc from '../../src/index.js';

let root: string;

/** An RGBA image whose pixel (r, c) is [f(r, c), 255 - f(r, c), 100, 255]. */
function rgba(h: number, w: number, f: (r: number, c: number) => number): Buffer {
  const data = Buffer.alloc(h * w * 4);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) data.set([f(r, c), 255 - f(r, c), 100, 255], (r * w + c) * 4);
  }
  return data;
}

function png(h: number, w: number, f: (r: number, c: number) => number): Buffer {
  const img = new PNG({ width: w, height: h });
  rgba(h, w, f).copy(img.data);
  return PNG.sync.write(img);
}

beforeAll(async () => {
  await wc.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'webcnn-imagefolder-'));
  await mkdir(join(root, 'dogs', 'more'), { recursive: true });
  await mkdir(join(root, 'cats'));
  await mkdir(join(root, 'birds'));
  // 4x4 with values 10 * (4r + c): halved, each output the mean of its 2x2 block
  await writeFile(join(root, 'cats', 'a.png'), png(4, 4, (r, c) => 10 * (4 * r + c)));
  await writeFile(join(root, 'cats', 'b.PNG'), png(2, 2, (r, c) => r * 2 + c + 1));
  await writeFile(join(root, 'dogs', 'c.png'), png(2, 2, () => 50));
  await writeFile(join(root, 'dogs', 'more', 'd.png'), png(2, 2, () => 60));
  // a flat-colour JPEG: decoded within a few levels of the colour
  await writeFile(join(root, 'birds', 'e.jpg'), encodeJpeg({ data: rgba(8, 8, () => 80), width: 8, height: 8 }, 95).data);
  await writeFile(join(root, 'birds', 'notes.txt'), 'not an image');
  await writeFile(join(root, 'stray.png'), png(2, 2, () => 1));
});

afterAll(async () => { await rm(root, { recursive: true, force: true }); });

async function plain(ds: wc.data.Dataset<wc.data.ImageElement>): Promise<{ xs: number[]; shape: number[]; ys: number[] }[]> {
  const out: { xs: number[]; shape: number[]; ys: number[] }[] = [];
  await ds.forEachAsync((e) => { out.push({ xs: Array.from(e.xs.dataSync()), shape: [...e.xs.shape], ys: Array.from(e.ys.dataSync()) }); });
  return out;
}

describe('data.imageFolder (Node: pngjs and jpeg-js)', () => {
  it('infers sorted classes from subfolders (nested files included), skips other files and stray images', async () => {
    const ds = await wc.data.imageFolder(root, { size: [2, 2], shuffle: false });
    expect(ds.classNames).toEqual(['birds', 'cats', 'dogs']);
    expect(ds.files).toEqual(['birds/e.jpg', 'cats/a.png', 'cats/b.PNG', 'dogs/c.png', 'dogs/more/d.png']);
    expect(ds.size).toBe(5);
    const els = await plain(ds);
    expect(els.map((e) => e.ys)).toEqual([[0], [1], [1], [2], [2]]);
    expect(els.every((e) => e.shape.join() === '2,2,3')).toBe(true);
  });

  it('decodes PNG exactly and resizes bilinearly with half-pixel centers; JPEG within a few levels', async () => {
    const els = await plain(await wc.data.imageFolder(root, { size: [2, 2], shuffle: false }));
    // cats/a.png halved: block means of 10 * (4r + c)
    const means = [25, 45, 105, 125];
    expect(els[1].xs).toEqual(means.flatMap((m) => [m, 255 - m, 100]));
    // cats/b.PNG at its own size: exact
    expect(els[2].xs).toEqual([1, 2, 3, 4].flatMap((v) => [v, 255 - v, 100]));
    // birds/e.jpg 8x8 -> 2x2
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(els[0].xs[3 * i] - 80)).toBeLessThanOrEqual(3);
      expect(Math.abs(els[0].xs[3 * i + 1] - 175)).toBeLessThanOrEqual(3);
      expect(Math.abs(els[0].xs[3 * i + 2] - 100)).toBeLessThanOrEqual(3);
    }
  });

  it('channels 1 and 4, categorical labels, and batching into [n, h, w, c] / [n, classes]', async () => {
    const gray = await plain(await wc.data.imageFolder(root, { size: [2, 2], channels: 1, shuffle: false }));
    expect(gray[2].xs).toEqual([1, 2, 3, 4]);
    const four = await plain(await wc.data.imageFolder(root, { size: [2, 2], channels: 4, shuffle: false }));
    expect(four[2].xs).toEqual([1, 2, 3, 4].flatMap((v) => [v, 255 - v, 100, 255]));
    const ds = await wc.data.imageFolder(root, { size: [3, 3], labelMode: 'categorical', shuffle: false });
    const batches = await ds.batch(2).toArray() as { xs: wc.Tensor; ys: wc.Tensor }[];
    expect(batches.map((b) => [...b.xs.shape])).toEqual([[2, 3, 3, 3], [2, 3, 3, 3], [1, 3, 3, 3]]);
    expect(Array.from(batches[0].ys.dataSync())).toEqual([1, 0, 0, 0, 1, 0]);
    for (const b of batches) { b.xs.dispose(); b.ys.dispose(); }
  });

  it('shuffles reproducibly from the seed, anew on each pass, keeping every image with its label', async () => {
    const a = await wc.data.imageFolder(root, { size: [2, 2], seed: 5 });
    const b = await wc.data.imageFolder(root, { size: [2, 2], seed: 5 });
    const key = (e: { xs: number[]; ys: number[] }) => `${e.ys[0]}:${e.xs.slice(0, 3).join()}`;
    const passes = [await plain(a), await plain(a), await plain(a)].map((p) => p.map(key));
    expect(passes[0]).toEqual((await plain(b)).map(key));
    expect(new Set(passes.map((p) => p.join('|'))).size).toBeGreaterThan(1);
    const sorted = (await plain(await wc.data.imageFolder(root, { size: [2, 2], shuffle: false }))).map(key);
    for (const p of passes) expect([...p].sort()).toEqual([...sorted].sort());
  });

  it('a model trains on it through fitDataset', async () => {
    const ds = (await wc.data.imageFolder(root, { size: [4, 4], seed: 1 })).map((e) => ({ xs: e.xs.div(255), ys: e.ys })).batch(2);
    const m = wc.sequential({ layers: [wc.layers.flatten({ inputShape: [4, 4, 3] }), wc.layers.dense({ units: 3, activation: 'softmax' })] });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const before = wc.memory().numTensors;
    const h = await m.fitDataset(ds, { epochs: 2 });
    expect(h.history.loss.length).toBe(2);
    expect(Number.isFinite(h.history.loss[1])).toBe(true);
    expect(wc.memory().numTensors).toBe(before + 4);
  });

  it('errors name the folder, the file or the option', async () => {
    await expect(wc.data.imageFolder(join(root, 'missing'), { size: [2, 2] })).rejects.toThrow(/cannot read the folder .*missing.*ENOENT/);
    await expect(wc.data.imageFolder(join(root, 'cats'), { size: [2, 2] })).rejects.toThrow(/no \.png, \.jpg or \.jpeg images in subfolders/);
    await expect(wc.data.imageFolder(root, { size: [2] as never })).rejects.toThrow(/options.size must be \[height, width\] of positive integers, got \[2\]/);
    await expect(wc.data.imageFolder(root, { size: [2, 2], channels: 2 as never })).rejects.toThrow(/channels must be 1, 3 or 4/);
    await expect(wc.data.imageFolder(root, { size: [2, 2], labels: 'none' as never })).rejects.toThrow(/labels must be 'inferred'/);
    const bad = await mkdtemp(join(tmpdir(), 'webcnn-imagefolder-bad-'));
    try {
      await mkdir(join(bad, 'x'));
      await writeFile(join(bad, 'x', 'broken.png'), 'garbage');
      const ds = await wc.data.imageFolder(bad, { size: [2, 2] });
      await expect(ds.toArray()).rejects.toThrow(/could not read x\/broken\.png: not a PNG or JPEG file/);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
