// Seeded fuzzing of the two file readers: wc.loadModel (in-memory artifacts,
// model.json as an object or as text, plus the weight bytes) and the MNIST
// IDX parser, fed thousands of random mutations of valid files: bit flips,
// truncations, inserted and deleted bytes, JSON values of the wrong type,
// deleted keys, absurd declared sizes. Each input must end, with bounded work
// (counted: the values a load asks the backend for, the values a parse
// returns, against the bytes given), either in an Error that names the reader
// or in a complete, working model (a flipped bit inside float weight data is
// harmless). A TypeError or RangeError from deep inside, a non-Error throw,
// unbounded work, leaked tensors or a half-loaded model count as defects.
//
// WEBCNN_FUZZ_SEED and WEBCNN_FUZZ_SCALE (a multiplier on the input counts)
// reproduce or widen a run.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { rng, randomValues } from '../util/check.js';
import { idxFile as idx } from '../util/idx.js';
import { countAllocated } from './state.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Key = string | number;

const SEED = Number(process.env.WEBCNN_FUZZ_SEED ?? 20_240_601);
const SCALE = Number(process.env.WEBCNN_FUZZ_SCALE ?? 1);
/**
 * The most float values one load may ask the backend for: its weight file's
 * values twice over (the model is built, then filled) plus a fixed slack.
 */
const allocationBound = (weightBytes: number) => 2 * Math.ceil(weightBytes / 4) + 2 ** 20;

// ---- random mutations ------------------------------------------------------

class Rand {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  float(): number { return this.next(); }
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.next() < p; }
}

/** Values of every JSON type, ordinary and absurd. */
function randomJson(r: Rand, depth = 0): Json {
  const pool: (() => Json)[] = [
    () => null, () => true, () => false, () => 0, () => -1, () => 1, () => 3, () => 2.5, () => -7.25,
    () => 2 ** 31, () => 2 ** 53, () => 1e308, () => -1e9, () => 4_000_000_000,
    () => '', () => 'relu', () => 'x'.repeat(r.int(40)), () => '__proto__', () => 'constructor', () => 'float32', () => 'Dense',
    () => [], () => ({}), () => [null], () => [1, 2], () => [null, 5, 5, 1], () => [2 ** 30, 2 ** 30],
  ];
  if (depth < 2) pool.push(() => [randomJson(r, depth + 1), randomJson(r, depth + 1)], () => ({ [r.pick(['a', 'config', 'class_name', 'name'])]: randomJson(r, depth + 1) }));
  return r.pick(pool)();
}

function allPaths(v: Json, at: Key[] = [], out: Key[][] = []): Key[][] {
  if (v !== null && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) {
      const key = Array.isArray(v) ? Number(k) : k;
      out.push([...at, key]);
      allPaths(child, [...at, key], out);
    }
  }
  return out;
}

function getAt(root: Json, path: readonly Key[]): Json {
  let v = root;
  for (const k of path) v = (v as Record<Key, Json>)[k];
  return v;
}

/** One structural change somewhere in a JSON tree (mutates the clone it is given); returns what it did. */
function mutateJson(root: Json, r: Rand): string {
  const paths = allPaths(root);
  const path = r.pick(paths);
  const parent = getAt(root, path.slice(0, -1)) as unknown as Record<Key, Json>;
  const key = path[path.length - 1];
  const old = parent[key];
  const where = path.join('.');
  switch (r.int(8)) {
    case 0: case 1: case 2: {
      const v = randomJson(r);
      parent[key] = v;
      return `${where} = ${JSON.stringify(v)?.slice(0, 40)}`;
    }
    case 3:
      if (Array.isArray(parent)) (parent as Json[]).splice(key as number, 1);
      else delete parent[key];
      return `delete ${where}`;
    case 4:
      if (typeof old === 'number') {
        const v = r.pick([old + 1, old - 1, old * 2, -old, old * 1000, 0, old + 0.5]);
        parent[key] = v;
        return `${where}: ${old} -> ${v}`;
      }
      if (typeof old === 'string') {
        const v = r.pick([old.toUpperCase(), `${old}x`, old.slice(1), old.split('').reverse().join('')]);
        parent[key] = v;
        return `${where}: '${old}' -> '${v}'`;
      }
      parent[key] = randomJson(r);
      return `${where} replaced`;
    case 5:
      if (Array.isArray(old) && old.length) {
        old.push(structuredClone(old[r.int(old.length)]));
        return `${where}: an element duplicated`;
      }
      parent[key] = [old];
      return `${where} wrapped in a list`;
    case 6:
      if (!Array.isArray(parent)) {
        const renamed = r.pick(['Name', 'class', 'layerz', 'config ', '__proto__']);
        // defineProperty, as JSON.parse makes keys: a '__proto__' key stays a key
        Object.defineProperty(parent, renamed, { value: old, enumerable: true, writable: true, configurable: true });
        delete parent[key];
        return `${where} renamed ${renamed}`;
      }
      const list = parent as Json[];
      [list[key as number], list[0]] = [list[0], list[key as number]];
      return `${where} swapped with the first element`;
    default: {
      const other = getAt(root, r.pick(paths));
      parent[key] = structuredClone(other);
      return `${where} = a copy of another node`;
    }
  }
}

/** Byte-level damage: bit flips, truncation, insertion, deletion, a duplicated chunk. */
function mutateBytes(bytes: Uint8Array, r: Rand): { bytes: Uint8Array; what: string } {
  const b = Uint8Array.from(bytes);
  switch (r.int(6)) {
    case 0: case 1: {
      const flips = 1 + r.int(3);
      for (let i = 0; i < flips; i++) b[r.int(b.length)] ^= 1 << r.int(8);
      return { bytes: b, what: `${flips} bit flip(s)` };
    }
    case 2: {
      const at = r.int(b.length);
      return { bytes: b.slice(0, at), what: `truncated to ${at} bytes` };
    }
    case 3: {
      const at = r.int(b.length);
      const extra = Uint8Array.from({ length: 1 + r.int(8) }, () => r.int(256));
      const out = new Uint8Array(b.length + extra.length);
      out.set(b.subarray(0, at));
      out.set(extra, at);
      out.set(b.subarray(at), at + extra.length);
      return { bytes: out, what: `${extra.length} byte(s) inserted at ${at}` };
    }
    case 4: {
      const at = r.int(b.length);
      const n = 1 + r.int(16);
      return { bytes: new Uint8Array([...b.subarray(0, at), ...b.subarray(at + n)]), what: `${n} byte(s) deleted at ${at}` };
    }
    default: {
      const at = r.int(b.length);
      const n = 1 + r.int(64);
      return { bytes: new Uint8Array([...b, ...b.subarray(at, at + n)]), what: `${n} byte(s) appended` };
    }
  }
}

// ---- outcomes -------------------------------------------------------------

interface Tally { tried: number; accepted: number; refused: number; defects: string[]; mostAllocated: number }
const tally = (): Tally => ({ tried: 0, accepted: 0, refused: 0, defects: [], mostAllocated: 0 });

/** A thrown value is a clean refusal when it is a plain Error naming the reader. */
function judgeError(err: unknown, reader: RegExp): string | null {
  if (!(err instanceof Error)) return `threw a non-Error: ${String(err)}`;
  if (err.name !== 'Error') return `${err.name}: ${err.message}`;
  if (!reader.test(err.message)) return `an Error not naming the reader: ${err.message}`;
  return null;
}

async function outcome<T>(run: () => Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

// ---- loadModel ----------------------------------------------------------------

interface Seed { name: string; art: wc.ModelArtifacts; json: Json; bytes: Uint8Array }

async function seeds(): Promise<Seed[]> {
  const glorot = (seed: number) => wc.initializers.glorotUniform({ seed });
  const cnn = wc.sequential({
    layers: [
      wc.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu', kernelInitializer: glorot(1) }),
      wc.layers.batchNormalization(),
      wc.layers.maxPooling2d({ poolSize: 2 }),
      wc.layers.flatten(),
      wc.layers.dropout({ rate: 0.25 }),
      wc.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: glorot(2), kernelRegularizer: wc.regularizers.l2() }),
    ],
  });
  const inp = wc.input({ shape: [4, 4, 2] });
  const a = wc.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', kernelInitializer: glorot(3) }).apply(inp);
  const b = wc.layers.add().apply([a, inp]);
  const c = wc.layers.concatenate().apply([b, a]);
  const d = wc.layers.globalAveragePooling2d().apply(c);
  const fn = wc.model({ inputs: inp, outputs: wc.layers.dense({ units: 2, kernelInitializer: glorot(4) }).apply(d) as wc.SymbolicTensor });
  const out: Seed[] = [];
  for (const [name, m] of [['sequential cnn', cnn], ['functional net', fn]] as const) {
    const art = await wc.modelToArtifacts(m);
    const json: Json = { format: 'layers-model', generatedBy: 'webcnn', convertedBy: null, modelTopology: art.modelTopology as Json, weightsManifest: [{ paths: ['w.bin'], weights: art.weightSpecs as unknown as Json }] };
    out.push({ name, art, json, bytes: new Uint8Array(art.weightData) });
  }
  return out;
}

/** A loaded model must be whole: every weight holds the file's values, and it predicts. */
async function checkWhole(m: wc.LayersModel, specs: readonly wc.WeightSpec[], bytes: Uint8Array): Promise<string | null> {
  if (!(m instanceof wc.LayersModel)) return `resolved with ${String(m)}, not a model`;
  const offsets = new Map<string, number>();
  let o = 0;
  for (const s of specs) { offsets.set(s.name, o); o += 4 * s.shape.reduce((x, y) => x * y, 1); }
  for (const v of m.weights) {
    const at = offsets.get(v.name);
    if (at === undefined) return `weight ${v.name} is not in the file`;
    const want = new Uint8Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + 4 * v.value.size));
    const got = new Uint8Array((await v.value.data()).buffer);
    if (want.some((x, i) => x !== got[i])) return `weight ${v.name} does not hold the file's bytes`;
  }
  const shape = m.inputs[0].shape.slice(1) as number[];
  const size = shape.reduce((x, y) => x * y, 1);
  if (m.inputs.length === 1 && size <= 100_000) {
    const x = wc.tensor(new Float32Array(size), [1, ...shape]);
    const y = m.predict(x) as wc.Tensor;
    x.dispose();
    y.dispose();
    if (y.shape[0] !== 1) return `predict gave shape [${y.shape.join(', ')}]`;
  }
  return null;
}

/** One mutated input through loadModel: a model (checked whole) or a clean refusal, and no tensors left over. */
async function tryLoad(t: Tally, what: string, source: unknown, specs: () => readonly wc.WeightSpec[], bytes: Uint8Array, weightBytes: number): Promise<void> {
  t.tried++;
  const before = wc.memory().numTensors;
  const { value, error, values } = await countAllocated(() => wc.loadModel(source as wc.LoadSource));
  t.mostAllocated = Math.max(t.mostAllocated, values);
  if (values > allocationBound(weightBytes)) t.defects.push(`${what}: asked the backend for ${values} values for ${weightBytes} weight bytes`);
  if (value) {
    const problem = await checkWhole(value, specs(), bytes).catch((e: Error) => `a loaded model failed: ${e.name}: ${e.message}`);
    if (problem) t.defects.push(`${what}: ${problem}`);
    else t.accepted++;
    value.dispose();
  } else {
    const problem = judgeError(error, /^loadModel\b/);
    if (problem) t.defects.push(`${what}: ${problem}`);
    else t.refused++;
  }
  // the loaded model and predict's tensors are freed above; anything else is a leak
  const leaked = wc.memory().numTensors - before;
  if (leaked !== 0) t.defects.push(`${what}: ${leaked} tensors left behind`);
}

// ---- the tests --------------------------------------------------------------

describe('fuzz: random mutations of valid files', () => {
  beforeAll(async () => {
    await wc.setBackend('cpu');
  });

  it('loadModel: every mutation of model.json (object or text), the artifacts or the weight bytes ends cleanly', async () => {
    const r = new Rand(SEED);
    const t = tally();
    const start = performance.now();
    const bases = await seeds();
    const rounds = Math.round(900 * SCALE);
    for (let i = 0; i < rounds; i++) {
      const s = bases[i % bases.length];
      // 1. a structural change to model.json as an object (topology or manifest)
      {
        const json = structuredClone(s.json);
        const n = 1 + r.int(2);
        const what = Array.from({ length: n }, () => mutateJson(json, r)).join('; ');
        const specs = () => ((json as unknown as { weightsManifest?: { weights?: wc.WeightSpec[] }[] }).weightsManifest?.[0]?.weights ?? []);
        const asArtifacts = r.chance(0.5);
        const source = asArtifacts
          ? { modelTopology: (json as Record<string, Json>).modelTopology, weightSpecs: specs(), weightData: s.bytes.slice().buffer, format: (json as Record<string, Json>).format }
          : { modelJson: json, weightData: s.bytes.slice().buffer };
        await tryLoad(t, `${s.name}, json ${asArtifacts ? 'artifacts' : 'object'}: ${what}`, source, specs, s.bytes, s.bytes.length);
      }
      // 2. byte damage to model.json's text
      {
        const text = new TextEncoder().encode(JSON.stringify(s.json));
        const { bytes, what } = mutateBytes(text, r);
        const modelJson = new TextDecoder().decode(bytes);
        let specs: readonly wc.WeightSpec[] = [];
        try { specs = (JSON.parse(modelJson) as { weightsManifest: { weights: wc.WeightSpec[] }[] }).weightsManifest[0].weights; } catch { /* refused by the loader */ }
        await tryLoad(t, `${s.name}, model.json text: ${what}`, { modelJson, weightData: s.bytes.slice().buffer }, () => specs, s.bytes, s.bytes.length);
      }
      // 3. damage to the weight bytes (flips inside float data load fine: the model must hold exactly those bytes)
      {
        const { bytes, what } = mutateBytes(s.bytes, r);
        await tryLoad(t, `${s.name}, weight bytes: ${what}`, { ...s.art, weightData: bytes.slice().buffer }, () => s.art.weightSpecs, bytes, bytes.length);
      }
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(`fuzz loadModel: ${t.tried} inputs (seed ${SEED}): ${t.accepted} loaded whole, ${t.refused} refused cleanly, ${t.defects.length} defects; at most ${t.mostAllocated} values allocated by one load; ${seconds.toFixed(1)} s`);
    expect(t.defects.slice(0, 15), `${t.defects.length} defects`).toEqual([]);
    expect(t.refused).toBeGreaterThan(t.tried / 4);
    expect(t.accepted).toBeGreaterThan(0);
  }, 120_000);

  it('the MNIST IDX parser and loadMnist: every mutation of an image and a label file ends cleanly', async () => {
    const r = new Rand(SEED + 1);
    const t = tally();
    const start = performance.now();
    const n = 3;
    const images = idx(3, [n, 28, 28], Uint8Array.from(randomValues(n * 784, 7, 0, 255), (v) => Math.floor(v)));
    const labels = idx(1, [n], Uint8Array.from([3, 1, 4]));
    /** Header damage the byte mutations rarely reach: absurd dims, another type code or rank. */
    const header = (b: Uint8Array): { bytes: Uint8Array; what: string } => {
      const out = Uint8Array.from(b);
      const view = new DataView(out.buffer);
      const rank = out[3];
      if (r.chance(0.3) || rank === 0) {
        const at = r.int(4);
        out[at] = r.pick([0, 1, 3, 8, 9, 0x0d, 0xff]);
        return { bytes: out, what: `magic byte ${at} = ${out[at]}` };
      }
      const k = r.int(rank);
      const v = r.pick([0, 1, 27, 29, 2 ** 16, 0x7fffffff, 0xffffffff, r.int(2 ** 32)]);
      if (4 + 4 * k + 4 <= out.length) view.setUint32(4 + 4 * k, v, false);
      return { bytes: out, what: `dim ${k} = ${v}` };
    };
    const rounds = Math.round(1500 * SCALE);
    for (let i = 0; i < rounds; i++) {
      const target = r.chance(0.5) ? 'images' : 'labels';
      const base = target === 'images' ? images : labels;
      const { bytes, what } = r.chance(0.4) ? header(base) : mutateBytes(base, r);
      const label = `${target}: ${what}`;
      // the parser itself, with the rank and item shape loadMnist asks for
      t.tried++;
      const parsed = await outcome(async () => (target === 'images' ? wc.data.parseIdx(bytes, 'images', 3, [28, 28]) : wc.data.parseIdx(bytes, 'labels', 1)));
      if (parsed.error === undefined) {
        const got = parsed.value!;
        const expectLen = got.dims.reduce((a, b) => a * b, 1);
        t.mostAllocated = Math.max(t.mostAllocated, got.data.length);
        // bounded work: an IDX file holds one byte per value at least, so a parse returns no more values than bytes
        if (got.data.length !== expectLen) t.defects.push(`${label}: parsed ${got.data.length} values for dims [${got.dims.join(', ')}]`);
        else if (got.data.length > bytes.length) t.defects.push(`${label}: ${got.data.length} values from ${bytes.length} bytes`);
        else t.accepted++;
      } else {
        const problem = judgeError(parsed.error, /^loadMnist: /);
        if (problem) t.defects.push(`${label}: ${problem}`);
        else t.refused++;
      }
      // and one in five through loadMnist with the other three files intact
      if (i % 5 === 0) {
        t.tried++;
        const source = { trainImages: images, trainLabels: labels, testImages: images, testLabels: labels, [target === 'images' ? 'testImages' : 'trainLabels']: bytes };
        const before = wc.memory().numTensors;
        const loaded = await outcome(() => wc.data.loadMnist({ source }));
        if (loaded.error === undefined) {
          const d = loaded.value!;
          const given = Object.values(source).reduce((n, b) => n + b.length, 0);
          if (d.train.images.length !== d.train.count * 784 || d.test.labels.length !== d.test.count || d.test.count < 1) t.defects.push(`loadMnist ${label}: an inconsistent set`);
          else if (d.train.images.length + d.test.images.length > given) t.defects.push(`loadMnist ${label}: more values than the ${given} bytes given`);
          else t.accepted++;
        } else {
          const problem = judgeError(loaded.error, /^loadMnist: /);
          if (problem) t.defects.push(`loadMnist ${label}: ${problem}`);
          else t.refused++;
        }
        if (wc.memory().numTensors !== before) t.defects.push(`loadMnist ${label}: tensors left behind`);
      }
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(`fuzz IDX: ${t.tried} inputs (seed ${SEED + 1}): ${t.accepted} parsed, ${t.refused} refused cleanly, ${t.defects.length} defects; at most ${t.mostAllocated} values from one parse; ${seconds.toFixed(1)} s`);
    expect(t.defects.slice(0, 15), `${t.defects.length} defects`).toEqual([]);
    expect(t.refused).toBeGreaterThan(t.tried / 2);
  }, 60_000);
});
