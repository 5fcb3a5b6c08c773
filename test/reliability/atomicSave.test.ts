// model.save to a folder in Node cannot lose the model already there: the new
// files are written beside the old ones and model.json is renamed into place
// last. Real failures (a file-size limit in a child process, a directory where
// a file must go, a read-only model.json or folder) leave the previous model
// loading and predicting as before, no temporary files behind, and an Error
// that names save, the path and the cause.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { expectCleanError } from './state.js';
import { limitedSaver } from './ioChild.js';

const isRoot = process.getuid?.() === 0;

/** A small CNN (seeded weights): its weight file is 4 * 90 bytes. */
function cnn(seed: number): wc.LayersModel {
  const m = wc.sequential({
    layers: [
      wc.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
      wc.layers.flatten(),
      wc.layers.dense({ units: 4 }),
    ],
  });
  m.setWeights(m.getWeights().map((w, i) => wc.tensor(randomValues(w.size, seed + i), w.shape)));
  return m;
}

const x = () => wc.tensor(randomValues(50, 5), [2, 5, 5, 1]);
const predict = async (m: wc.LayersModel) => [...await (m.predict(x()) as wc.Tensor).data()];
/** The folder's entries and the bytes of its files. */
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e.isFile() ? readFileSync(join(dir, e.name)).toString('base64') : 'a directory']).sort());

describe('model.save to a folder is atomic', () => {
  let root: string;
  let n = 0;
  const fresh = () => {
    const d = join(root, `m${n++}`);
    mkdirSync(d);
    return d;
  };

  beforeAll(async () => {
    await wc.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'webcnn-atomic-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('an overwrite writes fresh shard names, commits model.json last and removes only the old shards', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const a = cnn(1);
    await a.save(dir);
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json', 'notes.txt']);
    expect(readFileSync(join(dir, 'group1-shard1of1.bin')).byteLength).toBe(4 * a.countParams());
    const b = cnn(2);
    await b.save(dir);
    // the shard the old model.json named is never overwritten: the new one takes the numbered name
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.1.bin', 'model.json', 'notes.txt']);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths).toEqual(['group1-shard1of1.1.bin']);
    expect(await predict(await wc.loadModel(dir))).toEqual(await predict(b));
    await a.save(dir);
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json', 'notes.txt']);
    expect(await predict(await wc.loadModel(dir))).toEqual(await predict(a));
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('a file-size limit (EFBIG, in a child process) on the weights or on model.json leaves the previous model', async () => {
    const save = limitedSaver(join(root, 'child'));
    const dir = fresh();
    const old = cnn(3);
    await old.save(dir);
    const before = snapshot(dir);
    const want = await predict(old);
    // 3000 weights: a 12000-byte shard, over a 4 KiB limit
    const big = wc.sequential({ layers: [wc.layers.dense({ inputShape: [2999], units: 1 })] });
    const shardFails = save(await wc.modelToArtifacts(big), dir, 4);
    expect(shardFails.saved).toBe(false);
    expect(shardFails.message).toMatch(/^Sequential\.save: could not write .*\/\.group1-shard1of1\.1\.bin\.[\w-]+\.tmp: EFBIG: file too large, write; the folder's previous model, if any, is unchanged$/);
    expect(shardFails.cause).toBe('EFBIG');
    expect(snapshot(dir)).toEqual(before);
    // 12 weights but a model.json of more than 1 KiB: the shard lands, model.json's write fails, the shard goes
    const tall = wc.sequential({ layers: [wc.layers.dense({ inputShape: [2], units: 1 }), ...Array.from({ length: 8 }, () => wc.layers.dense({ units: 1 }))] });
    const jsonFails = save(await wc.modelToArtifacts(tall), dir, 1);
    expect(jsonFails.message).toMatch(/^Sequential\.save: could not write .*\/\.model\.json\.[\w-]+\.tmp: EFBIG/);
    expect(snapshot(dir)).toEqual(before);
    expect(await predict(await wc.loadModel(dir))).toEqual(want);
    // without the limit the same child saves: the failures were the limit's
    expect(save(await wc.modelToArtifacts(big), dir, 1 << 20)).toEqual({ saved: true });
    expect((await wc.loadModel(dir)).countParams()).toBe(3000);
  });

  it('a directory where the new shard must go (EISDIR, root or not) leaves the previous model and no temporary file', async () => {
    const dir = fresh();
    const old = cnn(4);
    await old.save(dir);
    mkdirSync(join(dir, 'group1-shard1of1.1.bin'));
    const before = snapshot(dir);
    const err = await expectCleanError(() => cnn(5).save(dir),
      /^Sequential\.save: could not rename .*\.tmp to .*\/group1-shard1of1\.1\.bin: EISDIR: illegal operation on a directory, rename .*; the folder's previous model, if any, is unchanged$/);
    expect((err.cause as NodeJS.ErrnoException).code).toBe('EISDIR');
    expect(snapshot(dir)).toEqual(before);
    expect(await predict(await wc.loadModel(dir))).toEqual(await predict(old));
  });

  it('a directory named model.json: no weight file is left behind', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'model.json'));
    await expectCleanError(() => cnn(6).save(dir), /^Sequential\.save: could not rename .*\.model\.json\.[\w-]+\.tmp to .*\/model\.json: EISDIR/);
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('a folder path through an existing file (ENOTDIR) names save and the folder', async () => {
    const file = join(fresh(), 'plain.txt');
    writeFileSync(file, 'x');
    await expectCleanError(() => cnn(7).save(join(file, 'model')), /^Sequential\.save: could not create the folder .*plain\.txt\/model: ENOTDIR/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  // root writes through any mode bits, so these two run for other users only; the EISDIR cases above fail for root too
  it.skipIf(isRoot)('a read-only model.json is not replaced (EACCES), and a read-only folder takes no file', async () => {
    const dir = fresh();
    const old = cnn(8);
    await old.save(dir);
    chmodSync(join(dir, 'model.json'), 0o444);
    const before = snapshot(dir);
    await expectCleanError(() => cnn(9).save(dir), /^Sequential\.save: could not replace .*\/model\.json: EACCES.*; the folder's previous model is unchanged$/);
    expect(snapshot(dir)).toEqual(before);
    chmodSync(join(dir, 'model.json'), 0o644);
    chmodSync(dir, 0o555);
    try {
      await expectCleanError(() => cnn(9).save(dir), /^Sequential\.save: could not write .*\.tmp: EACCES/);
      expect(snapshot(dir)).toEqual(before);
    } finally {
      chmodSync(dir, 0o755);
    }
    expect(await predict(await wc.loadModel(dir))).toEqual(await predict(old));
  });
});
