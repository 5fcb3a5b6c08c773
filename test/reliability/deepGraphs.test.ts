// Deep and long models: a functional graph deeper than the call stack, and a
// Sequential model of 10,000 layers, are built, run, summarized, saved and
// loaded; every graph walk is iterative, and Sequential.add does constant work
// (counted: topology builds and shape computations, never the clock).

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as wc from '../../src/index.js';
import { buildTopology } from '../../src/graph/topology.js';
import { expectCleanError } from './state.js';

// Counts every topology build while passing it through.
vi.mock('../../src/graph/topology.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/graph/topology.js')>();
  return { ...real, buildTopology: vi.fn(real.buildTopology) };
});
const builds = vi.mocked(buildTopology);

const L = wc.layers;

/** Deeper than a recursive walk gets in Node's default stack (one that recursed failed near 12,000 layers). */
const BLOCKS = 10_000;

/**
 * x -> BLOCKS residual blocks h + dense(h), where dense has a zero kernel and a
 * bias of 1: every block adds exactly 1, so the output is x + BLOCKS. An
 * input, 2 * BLOCKS layers; each block's input fans out to two layers.
 */
function residualTower(): wc.LayersModel {
  const inp = wc.input({ shape: [1], name: 'tower_in' });
  let h = inp;
  for (let i = 0; i < BLOCKS; i++) {
    const step = L.dense({ units: 1, kernelInitializer: 'zeros', biasInitializer: 'ones', name: `step_${i}` }).apply(h);
    h = L.add({ name: `sum_${i}` }).apply([h, step]);
  }
  return wc.model({ inputs: inp, outputs: h, name: 'tower' });
}

async function predicted(model: wc.LayersModel, xs: number[]): Promise<number[]> {
  const y = model.predict(wc.tensor(xs, [xs.length, 1])) as wc.Tensor;
  const out = Array.from(await y.data());
  y.dispose();
  return out;
}

type Obj = { [k: string]: unknown };

beforeAll(async () => {
  await wc.setBackend('cpu');
});

afterEach(() => {
  builds.mockClear();
});

describe('a functional model deeper than the call stack', () => {
  it(`builds, predicts, summarizes, saves and loads a ${2 * BLOCKS}-layer residual tower (in memory and from model.json)`, async () => {
    const model = residualTower();
    expect(model.layers).toHaveLength(2 * BLOCKS + 1);
    expect(model.layers[0].name).toBe('tower_in');
    expect(model.layers.at(-1)!.name).toBe(`sum_${BLOCKS - 1}`);
    expect(await predicted(model, [0, 2.5, -7])).toEqual([BLOCKS, BLOCKS + 2.5, BLOCKS - 7]);

    const lines: string[] = [];
    model.summary(undefined, undefined, (line) => lines.push(line));
    expect(lines.find((l) => l.startsWith(`sum_${BLOCKS - 1} (Add)`))).toMatch(new RegExp(`^sum_${BLOCKS - 1} \\(Add\\) +\\[null,1\\] +0 +sum_${BLOCKS - 2}, step_${BLOCKS - 1}$`));
    expect(lines).toContain(`Total params: ${2 * BLOCKS}`);

    const art = await wc.modelToArtifacts(model);
    const layers = ((art.modelTopology as Obj).config as Obj).layers as Obj[];
    expect(layers).toHaveLength(2 * BLOCKS + 1);
    expect(layers.at(-1)!.inbound_nodes).toEqual([[[`sum_${BLOCKS - 2}`, 0, 0, {}], [`step_${BLOCKS - 1}`, 0, 0, {}]]]);

    const loaded = await wc.loadModel(art);
    expect(await predicted(loaded, [1, -1])).toEqual([BLOCKS + 1, BLOCKS - 1]);

    // the same file with its layers listed outputs-first: the loader applies each call once its inputs exist
    const reversed = { ...(art.modelTopology as Obj), config: { ...((art.modelTopology as Obj).config as Obj), layers: [...layers].reverse() } };
    const backwards = await wc.loadModel({ ...art, modelTopology: reversed as never });
    expect(await predicted(backwards, [4])).toEqual([BLOCKS + 4]);
    for (const m of [model, loaded, backwards]) m.dispose();
  });

  it('a disconnected deep graph is refused with a message that lists a few layers, not all of them', async () => {
    const inp = wc.input({ shape: [1], name: 'deep_in' });
    const stray = wc.input({ shape: [1], name: 'deep_stray' });
    let h = inp;
    for (let i = 0; i < BLOCKS; i++) h = L.activation({ activation: 'linear', name: `lin_${i}` }).apply(h);
    const joined = L.add({ name: 'deep_join' }).apply([h, stray]);
    const err = await expectCleanError(() => wc.model({ inputs: inp, outputs: joined }),
      /graph disconnected: the outputs need input 'deep_stray' \(shape \[null,1\]\), which is not among the model's inputs \['deep_in'\]/);
    expect(err.message.length).toBeLessThan(400);
  });
});

describe(`Sequential.add does constant work: ${BLOCKS} layers`, () => {
  /** A chain of dense layers y = x + 1 (kernel 1, bias 1): n of them add n. */
  const plusOne = (i: number, first = false): wc.layers.Dense =>
    L.dense({ units: 1, kernelInitializer: 'ones', biasInitializer: 'ones', name: `inc_${i}`, ...(first ? { inputShape: [1] } : {}) });

  it('adding a layer builds no topology and computes one shape; the first use builds it once', async () => {
    const shapes = vi.spyOn(wc.layers.Dense.prototype, 'computeOutputShape');
    const model = wc.sequential({ name: 'long' });
    for (let i = 0; i < BLOCKS; i++) model.add(plusOne(i, i === 0));
    // the new layer's output shape is computed once (by apply), and nothing else is walked
    expect(shapes).toHaveBeenCalledTimes(BLOCKS);
    expect(builds).not.toHaveBeenCalled();
    shapes.mockRestore();

    expect(model.layers).toHaveLength(BLOCKS);
    expect(await predicted(model, [0, 0.5])).toEqual([BLOCKS, BLOCKS + 0.5]);
    expect(builds).toHaveBeenCalledTimes(1);
    expect(await predicted(model, [1])).toEqual([BLOCKS + 1]);
    expect(builds).toHaveBeenCalledTimes(1);

    model.pop();
    expect(builds).toHaveBeenCalledTimes(1);
    expect(model.layers).toHaveLength(BLOCKS - 1);
    expect(await predicted(model, [0])).toEqual([BLOCKS - 1]);
    model.add(plusOne(BLOCKS));
    model.add(plusOne(BLOCKS + 1));
    expect(await predicted(model, [0])).toEqual([BLOCKS + 1]);
    expect(builds).toHaveBeenCalledTimes(3);
    expect(model.countParams()).toBe(2 * (BLOCKS + 1));

    // what add checks against the whole chain is still checked, in constant time
    await expectCleanError(() => model.add(model.layers[17]), /sequential 'long': layer 'inc_17' was already added/);
    await expectCleanError(() => model.add(L.dense({ units: 1, name: 'inc_42' })), /sequential 'long': the layer name 'inc_42' is used 2 times; layer names must be unique in a model/);
    expect(model.layers).toHaveLength(BLOCKS + 1);
    model.dispose();
  });

  it('saves and loads from model.json, building the topology at most once', async () => {
    const model = wc.sequential({ layers: Array.from({ length: BLOCKS }, (_, i) => plusOne(i, i === 0)) });
    expect(builds).not.toHaveBeenCalled();
    const art = await wc.modelToArtifacts(model);
    expect(((art.modelTopology as Obj).config as Obj).layers as Obj[]).toHaveLength(BLOCKS);
    builds.mockClear();
    const loaded = await wc.loadModel(art);
    expect(builds.mock.calls.length).toBeLessThanOrEqual(1);
    expect(await predicted(loaded, [3])).toEqual([BLOCKS + 3]);
    const lines: string[] = [];
    loaded.summary(undefined, undefined, (line) => lines.push(line));
    expect(lines).toContain(`Total params: ${2 * BLOCKS}`);
    for (const m of [model, loaded]) m.dispose();
  });
});
