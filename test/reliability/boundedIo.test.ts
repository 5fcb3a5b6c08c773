// Reading a model costs what the file honestly declares, however the file
// lies: a weight file listed twice (or five thousand times) and sizes that do
// not match the manifest are refused before any weight file is read (reads
// are counted through node:fs/promises); JSON nested past the limit is refused
// with the limit named, whether it arrives as text, as objects or through an
// IO handler, deep or cyclic, without a RangeError; and no error message
// repeats more than a bounded prefix of what it was given.

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as wc from '../../src/index.js';
import { expectCleanError } from './state.js';

const reads: string[] = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = ((...args: Parameters<typeof fs.readFile>) => {
    reads.push(String(args[0]));
    return fs.readFile(...args);
  }) as typeof fs.readFile;
  return { ...fs, default: { ...fs, readFile }, readFile };
});

type ModelJson = { weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[] } & Record<string, unknown>;

/** `levels` nested arrays around `inner`, built without recursion. */
function nested(levels: number, inner: unknown = 0): unknown {
  let v = inner;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

const LIMIT = /; webcnn reads JSON up to 100 levels deep$/;

describe('bounded work on hostile model files', () => {
  let root: string;
  let json: ModelJson;
  let art: wc.ModelArtifacts;
  const shardReads = () => reads.filter((r) => r.endsWith('.bin')).length;

  beforeAll(async () => {
    await wc.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'webcnn-bounded-'));
    const model = wc.sequential({ layers: [wc.layers.dense({ inputShape: [4], units: 3 }), wc.layers.dense({ units: 2 })] });
    await model.save(root);
    art = await wc.modelToArtifacts(model);
    json = JSON.parse(readFileSync(join(root, 'model.json'), 'utf8')) as ModelJson;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => { reads.length = 0; });

  const write = (patch: Record<string, unknown>) => writeFileSync(join(root, 'model.json'), JSON.stringify({ ...json, ...patch }));
  const group = (paths: string[], weights = json.weightsManifest[0].weights) => ({ paths, weights });

  it('a weight file listed twice, in one group or across groups, is refused before any is read', async () => {
    const shard = 'group1-shard1of1.bin';
    write({ weightsManifest: [group([shard, shard])] });
    await expectCleanError(() => wc.loadModel(root), /^loadModel: weightsManifest\[0\]\.paths\[1\] "group1-shard1of1\.bin" names the same weight file as weightsManifest\[0\]\.paths\[0\]; each file may be listed once$/);
    const [first, ...rest] = json.weightsManifest[0].weights;
    write({ weightsManifest: [group([shard], [first]), group([`./${shard}`], rest)] });
    await expectCleanError(() => wc.loadModel(root), /^loadModel: weightsManifest\[1\]\.paths\[0\] "\.\/group1-shard1of1\.bin" names the same weight file as weightsManifest\[0\]\.paths\[0\]/);
    write({ weightsManifest: [group(Array.from({ length: 5000 }, () => shard))] });
    await expectCleanError(() => wc.loadModel(root), /names the same weight file/);
    expect(shardReads()).toBe(0);
    // in memory too
    await expectCleanError(() => wc.loadModel({ modelJson: { ...json, weightsManifest: [group(['a', 'a'])] } as never, weightData: art.weightData }), /^loadModel: weightsManifest\[0\]\.paths\[1\] "a" names the same weight file/);
  });

  it('declared sizes are checked against the weight files before any is read', async () => {
    const bytes = 4 * (4 * 3 + 3 + 3 * 2 + 2);
    // a manifest that claims a huge weight: the file's size refutes it, nothing is read
    const weights = json.weightsManifest[0].weights.map((w, i) => (i === 0 ? { ...w, shape: [40_000, 30_000] } : w));
    write({ weightsManifest: [group(['group1-shard1of1.bin'], weights)] });
    await expectCleanError(() => wc.loadModel(root), new RegExp(`^loadModel: the weight files hold ${bytes} bytes but the manifest's 4 weights need ${4 * 1.2e9 + bytes - 48} \\(truncated or mismatched \\.bin files\\?\\); none was read$`));
    expect(shardReads()).toBe(0);
    // a weight file larger than declared: refused the same way
    writeFileSync(join(root, 'big.bin'), new Uint8Array(1 << 20));
    write({ weightsManifest: [group(['big.bin'])] });
    await expectCleanError(() => wc.loadModel(root), new RegExp(`^loadModel: the weight files hold ${1 << 20} bytes but the manifest's 4 weights need ${bytes} `));
    expect(shardReads()).toBe(0);
    // the honest file is read once
    write({});
    expect((await wc.loadModel(root)).countParams()).toBe(bytes / 4);
    expect(shardReads()).toBe(1);
  });

  it('JSON nested past the limit is refused, as text, as objects, through a handler, and when cyclic', async () => {
    const deepTopology = (levels: number) => ({ ...(art.modelTopology as object), extra: nested(levels) });
    // model.json's own object and modelTopology take 2 levels: 98 arrays in 'extra' make 100
    write({ modelTopology: deepTopology(98) });
    await expect(wc.loadModel(root)).resolves.toBeDefined();
    write({ modelTopology: deepTopology(99) });
    await expectCleanError(() => wc.loadModel(root), /^loadModel: the nesting of model\.json exceeds 100 levels; webcnn reads JSON up to 100 levels deep$/);
    writeFileSync(join(root, 'model.json'), `{"modelTopology": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    await expectCleanError(() => wc.loadModel(root), LIMIT);
    await expectCleanError(() => wc.loadModel({ modelJson: { ...json, modelTopology: deepTopology(200_000) } as never, weightData: art.weightData }), /^loadModel: the nesting of model\.json exceeds/);
    await expectCleanError(() => wc.loadModel({ ...art, modelTopology: deepTopology(200_000) as never }), /^loadModel: the nesting of the model artifacts exceeds 100 levels/);
    await expectCleanError(() => wc.loadModel({ load: async () => ({ ...art, weightSpecs: nested(150, art.weightSpecs[0]) as never }) }), LIMIT);
    const cyclic: Record<string, unknown> = { ...(art.modelTopology as object) };
    cyclic.self = cyclic;
    await expectCleanError(() => wc.loadModel({ ...art, modelTopology: cyclic as never }), LIMIT);
    // a shared (not cyclic) object is not deep: every branch of a 2^60-path DAG is one object
    let shared: unknown = 0;
    for (let i = 0; i < 60; i++) shared = { a: shared, b: shared };
    const m = await wc.loadModel({ ...art, modelTopology: { ...(art.modelTopology as object), extra: shared } as never });
    expect(m.countParams()).toBe(23);
  });

  it('error messages quote a bounded prefix of what they were given', async () => {
    const huge = 'x'.repeat(1_000_000);
    const messages: string[] = [];
    const collect = async (source: unknown) => messages.push((await expectCleanError(() => wc.loadModel(source as wc.LoadSource), /^loadModel: /)).message);
    const spec = (patch: Record<string, unknown>) => ({ ...art, weightSpecs: art.weightSpecs.map((w, i) => (i === 0 ? { ...w, ...patch } : w)) });
    await collect(spec({ name: huge, shape: 'bad' }));
    await collect(spec({ shape: Array.from({ length: 100_000 }, () => -1) }));
    await collect(spec({ dtype: huge }));
    await collect({ ...art, format: huge });
    await collect(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`key${i}${huge.slice(0, 100)}`, i])));
    const cyclicSpec: Record<string, unknown> = { shape: [1] };
    cyclicSpec.self = cyclicSpec;
    await collect({ ...art, weightSpecs: [cyclicSpec] });
    await collect({ modelJson: { ...json, weightsManifest: [{ paths: huge, weights: [] }] }, weightData: art.weightData });
    await collect({ modelJson: `{"a": "${huge}`, weightData: art.weightData });
    await collect({ modelJson: { ...json, format: huge }, weightData: art.weightData });
    write({ weightsManifest: [group([`../${huge}`])] });
    await collect(root);
    // a weights file whose names are all unknown to the model (10000 of them)
    const many = Array.from({ length: 10_000 }, (_, i) => ({ name: `${huge.slice(0, 200)}${i}`, shape: [0], dtype: 'float32' as const }));
    await collect({ ...art, weightSpecs: [...art.weightSpecs, ...many] });
    await collect({ ...art, weightSpecs: many, weightData: new ArrayBuffer(0) });
    expect(messages).toHaveLength(12);
    for (const m of messages) expect(m.length, m.slice(0, 200)).toBeLessThan(600);
    for (const m of messages) expect(m).not.toMatch(/x{101}/);
    expect(messages.filter((m) => m.includes('...')).length).toBeGreaterThanOrEqual(9);
  });
});
