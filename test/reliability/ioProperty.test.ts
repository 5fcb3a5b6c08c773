// A seeded property test of the file boundary: thousands of mutated model.json
// files (hostile weight paths, duplicates, wrong sizes, deep nesting, damaged
// text and values) thrown at loadModel, and thousands of save targets (file://
// URLs with encoded and dotted segments, relative forms, plain paths, values
// that are not targets) thrown at save, all in a temporary directory. Each
// must end in an Error that names the call or in a correct result: a load
// whose weights are the real ones bit for bit, a save to exactly the folder an
// independent reading of the target names. Every node:fs/promises call is
// recorded, and none may touch a path outside the sandbox; a secret file
// outside has exactly the size a manifest asks for, and canaries outside must
// not change.
//
// WEBCNN_IO_SEED and WEBCNN_IO_SCALE (a multiplier on the counts) reproduce or widen a run.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as wc from '../../src/index.js';
import { rng } from '../util/check.js';

const SEED = Number(process.env.WEBCNN_IO_SEED ?? 20_250_301);
const SCALE = Number(process.env.WEBCNN_IO_SCALE ?? 1);

// ---- every node:fs/promises call, with the paths it names ---------------------

const touched: { fn: string; path: string }[] = [];
let recording = false;
/** Which arguments are paths: most calls take one first; these take two, or create the second. */
const PATH_ARGS: Record<string, number[]> = { rename: [0, 1], copyFile: [0, 1], cp: [0, 1], link: [0, 1], symlink: [1] };

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<Record<string, unknown>>();
  const wrapped: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(fs)) {
    if (typeof f !== 'function' || name === 'default') { wrapped[name] = f; continue; }
    wrapped[name] = (...args: unknown[]) => {
      if (recording) {
        for (const i of PATH_ARGS[name] ?? [0]) {
          const a = args[i];
          if (typeof a === 'string' || a instanceof URL || Buffer.isBuffer(a)) touched.push({ fn: name, path: resolve(a instanceof URL ? a.pathname : String(a)) });
        }
      }
      return (f as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { ...wrapped, default: wrapped };
});

// ---- random choices ----------------------------------------------------------

class Rand {
  private readonly next: () => number;
  constructor(seed: number) { this.next = rng(seed); }
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.next() < p; }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type ModelJson = { modelTopology: Json; weightsManifest: { paths: string[]; weights: Json[] }[] } & { [k: string]: Json };

/** Path pieces that try to leave the folder, and ordinary ones. */
const PIECES = ['..', '.', '%2e%2e', '%2E%2E', '..%2F', '%2F', '%5C', '..%5C', '%252e%252e', '', 'sub', 'link', 'uplink', 'outside', 'secret.bin',
  'group1-shard1of1.bin', 'model.json', 'x%20y', '%00', 'C:', 'file:', 'http:', '~', '...'];

function hostilePath(r: Rand, root: string): string {
  const n = 1 + r.int(4);
  const sep = r.pick(['/', '/', '\\']);
  const body = Array.from({ length: n }, () => r.pick(PIECES)).join(sep);
  return r.pick([body, body, `/${body}`, `${root}/${body}`, `file://${root}/${body}`, `./${body}`, `${body}/group1-shard1of1.bin`, `../outside/secret.bin`, 'uplink/secret.bin', 'link']);
}

function mutateModelJson(base: ModelJson, r: Rand, root: string): { text: string; what: string } {
  const m = JSON.parse(JSON.stringify(base)) as ModelJson;
  const g = m.weightsManifest[0];
  const kind = r.int(8);
  switch (kind) {
    case 0: case 1: g.paths[0] = hostilePath(r, root); break;
    case 2: g.paths.push(r.pick([g.paths[0], `./${g.paths[0]}`, hostilePath(r, root)])); break;
    case 3: m.weightsManifest.push({ paths: [r.pick([g.paths[0], hostilePath(r, root), 'other.bin'])], weights: [] }); break;
    case 4: {
      const w = g.weights[r.int(g.weights.length)] as { shape: Json };
      w.shape = r.pick<Json>([[1e6, 1e6], [0], [2 ** 30], [3, 4, 5], 'big', [-1], null]);
      break;
    }
    case 5: {
      let deep: Json = 0;
      for (let i = r.int(300); i > 0; i--) deep = r.chance(0.5) ? [deep] : { k: deep };
      (m.modelTopology as { [k: string]: Json }).extra = deep;
      break;
    }
    case 6: {
      const keys = ['format', 'modelTopology', 'weightsManifest', 'generatedBy'];
      const key = r.pick(keys);
      m[key] = r.pick<Json>([null, 7, 'x'.repeat(r.int(500)), [], {}, [{ paths: 5 }], [{ paths: [null], weights: [] }]]);
      break;
    }
    default: {
      const text = JSON.stringify(m);
      const at = r.int(text.length);
      const cut = r.pick([text.slice(0, at), text.slice(0, at) + r.pick(['[', '{"a":', '\\u0000', '"', ']]]]']) + text.slice(at + 1)]);
      return { text: cut, what: `text edit at ${at}` };
    }
  }
  return { text: JSON.stringify(m), what: `mutation ${kind}` };
}

/** What a file:// or plain target should name, read independently: null where it must be refused. */
function expectedFolder(target: string, cwd: string): string | null {
  if (!target.startsWith('file://')) return resolve(cwd, target);
  const rest = target.slice('file://'.length);
  const rel = rest === '.' || rest.startsWith('./');
  if (!rel && !rest.startsWith('/')) return null;
  const segments = rest.split('/');
  const decoded: string[] = [];
  for (const s of segments) {
    let d: string;
    try { d = decodeURIComponent(s); } catch { return null; }
    if (d === '..' || /[\\/\0]/.test(d)) return null;
    decoded.push(d);
  }
  return rel ? resolve(cwd, decoded.join('/')) : resolve('/', decoded.join('/'));
}

const SAVE_PIECES = ['a', 'b', 'sub', '..', '.', '%2e%2e', '%2E.', '..%2F', '%2F', '%5C', 'x%20y', '%zz', 'model.json', 'file.txt', '', 'ü', '%C3%BC', '~'];

function saveTarget(r: Rand, sandbox: string): unknown {
  if (r.chance(0.05)) return r.pick<unknown>([null, undefined, '', 0, 42, {}, [], { save: 'no' }, true, 's3://bucket/m', 'ftp://h/x', 'indexeddb://m', 'downloads://m']);
  const tail = Array.from({ length: 1 + r.int(4) }, () => r.pick(SAVE_PIECES)).join('/');
  // plain paths take '..' as the caller's own choice, so they get only encoded dots here
  // and stay relative: an absolute plain path is the caller's choice too
  const plainTail = tail.split('/').map((s) => (s === '..' ? '%2e%2e' : s)).filter((s) => s !== '').join('/');
  return r.pick([`file://${sandbox}/${tail}`, `file://./${tail}`, `file://${sandbox}/out/${tail}`, `${sandbox}/${plainTail}`, plainTail || 'p', `file://localhost${sandbox}/${tail}`]);
}

// ---- the property ------------------------------------------------------------

describe('the file boundary holds under thousands of mutated files and targets (seeded)', () => {
  let root: string;
  let sandbox: string;
  let outside: string;
  let model: wc.LayersModel;
  let base: ModelJson;
  let original: Uint32Array[];
  const cwd = process.cwd();

  /** The outside folder's entries and bytes. */
  const outsideState = () => readdirSync(outside).sort().map((f) => `${f}:${readFileSync(join(outside, f)).toString('base64')}`).join('|');
  const escapes = () => touched.filter((t) => { const rel = relative(sandbox, t.path); return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel); });

  beforeAll(async () => {
    await wc.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'webcnn-ioprop-'));
    sandbox = join(root, 'inside');
    outside = join(root, 'outside');
    mkdirSync(join(sandbox, 'load', 'sub'), { recursive: true });
    mkdirSync(outside);
    model = wc.sequential({ layers: [wc.layers.dense({ inputShape: [3], units: 2 })] });
    await model.save(join(sandbox, 'load'));
    base = JSON.parse(readFileSync(join(sandbox, 'load', 'model.json'), 'utf8')) as ModelJson;
    original = await Promise.all(model.getWeights().map(async (w) => new Uint32Array((await w.data()).buffer)));
    // the right size for the manifest, with values the model does not have
    writeFileSync(join(outside, 'secret.bin'), new Uint8Array(new Float32Array(model.countParams()).fill(7).buffer));
    writeFileSync(join(outside, 'canary.txt'), 'untouched');
    writeFileSync(join(outside, 'model.json'), JSON.stringify(base));
    symlinkSync(join(outside, 'secret.bin'), join(sandbox, 'load', 'link'));
    symlinkSync(outside, join(sandbox, 'load', 'uplink'));
    writeFileSync(join(sandbox, 'file.txt'), 'a file, not a folder');
  });
  afterAll(() => {
    process.chdir(cwd);
    rmSync(root, { recursive: true, force: true });
  });

  it('loadModel: a named error or the real weights, and no path outside the sandbox touched', async () => {
    const r = new Rand(SEED);
    const before = outsideState();
    const n = Math.round(1500 * SCALE);
    const outcomes = { loaded: 0, refused: 0 };
    const load = join(sandbox, 'load');
    for (let i = 0; i < n; i++) {
      const { text, what } = mutateModelJson(base, r, root);
      writeFileSync(join(load, 'model.json'), text);
      const source = r.pick([load, join(load, 'model.json'), `file://${load}/model.json`, 'file://./model.json', './model.json']);
      const label = `case ${i} (${what}, source ${source}): ${text.slice(0, 300)}`;
      process.chdir(load);
      recording = true;
      let loaded: wc.LayersModel | undefined;
      let error: unknown;
      try {
        loaded = await wc.loadModel(source);
      } catch (err) {
        error = err;
      } finally {
        recording = false;
        process.chdir(cwd);
      }
      expect(escapes(), label).toEqual([]);
      touched.length = 0;
      if (loaded) {
        const got = await Promise.all(loaded.getWeights().map(async (w) => new Uint32Array((await w.data()).buffer)));
        expect(got, `${label}: loaded other weights`).toEqual(original);
        outcomes.loaded++;
        loaded.dispose();
      } else {
        expect(error, label).toBeInstanceOf(Error);
        expect((error as Error).name, `${label}: ${(error as Error).message}`).toBe('Error');
        // 'loadModel: ...', or 'loadModel (Dense 'd') ...' from a layer's own check
        expect((error as Error).message, label).toMatch(/^loadModel[:( ]/);
        // The longest: an unknown layer class, with every known class listed (bounded by the registry, not the file).
        expect((error as Error).message.length, label).toBeLessThan(1200);
        outcomes.refused++;
      }
    }
    expect(outsideState()).toBe(before);
    // both outcomes occur in quantity: the generator reaches the refusals and the loads
    expect(outcomes.loaded).toBeGreaterThan(n / 20);
    expect(outcomes.refused).toBeGreaterThan(n / 2);
  });

  it('save: a named error or exactly the folder the target names, inside the sandbox, and it loads back', async () => {
    const r = new Rand(SEED + 1);
    const before = outsideState();
    const n = Math.round(1000 * SCALE);
    const outcomes = { saved: 0, refused: 0 };
    const work = join(sandbox, 'cwd');
    mkdirSync(work, { recursive: true });
    for (let i = 0; i < n; i++) {
      const target = saveTarget(r, sandbox);
      const label = `case ${i}: target ${String(target)}`;
      process.chdir(work);
      recording = true;
      let result: { url: string } | undefined;
      let error: unknown;
      try {
        result = await model.save(target as string) as { url: string };
      } catch (err) {
        error = err;
      } finally {
        recording = false;
        process.chdir(cwd);
      }
      expect(escapes(), label).toEqual([]);
      touched.length = 0;
      if (result) {
        const want = typeof target === 'string' ? expectedFolder(target.replace('file://localhost/', 'file:///'), work) : null;
        expect(want, `${label}: saved to ${result.url}, expected a refusal`).not.toBeNull();
        expect(result.url, label).toBe(want);
        expect(statSync(join(result.url, 'model.json')).isFile(), label).toBe(true);
        if (i % 10 === 0) {
          const back = await wc.loadModel(result.url);
          expect(await Promise.all(back.getWeights().map(async (w) => new Uint32Array((await w.data()).buffer))), label).toEqual(original);
          back.dispose();
        }
        outcomes.saved++;
      } else {
        expect(error, label).toBeInstanceOf(Error);
        expect((error as Error).name, `${label}: ${(error as Error).message}`).toBe('Error');
        expect((error as Error).message, label).toMatch(/^Sequential\.save: /);
        outcomes.refused++;
      }
    }
    expect(outsideState()).toBe(before);
    expect(readdirSync(root).sort()).toEqual(['inside', 'outside']);
    expect(outcomes.saved).toBeGreaterThan(n / 5);
    expect(outcomes.refused).toBeGreaterThan(n / 5);
  });
});
