// Strict registries: layer, initializer, regularizer and constraint classes
// resolve only from explicit tables. TF.js's own class names (and Keras's L1,
// L2) load; an unknown name (a helper function of the module, an Object
// property, a typo) is refused with the valid names listed; constraints and
// activity regularizers, which webcnn does not apply, are refused by name
// rather than dropped.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { expectCleanError } from './state.js';

type Obj = { [k: string]: unknown };
const L = wc.layers;

const INITIALIZERS = "'Zeros', 'Ones', 'Constant', 'RandomUniform', 'RandomNormal', 'TruncatedNormal', 'VarianceScaling', 'GlorotUniform', 'GlorotNormal', 'HeUniform', 'HeNormal', 'LeCunUniform', 'LeCunNormal', 'Identity', 'Orthogonal'";
const CONSTRAINTS = "MaxNorm ('maxNorm'), MinMaxNorm ('minMaxNorm'), NonNeg ('nonNeg'), UnitNorm ('unitNorm')";
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A one-dense-layer model's artifacts; `edit` changes the dense layer's (snake_case) config. */
async function denseArtifacts(edit: (config: Obj) => void): Promise<wc.ModelArtifacts> {
  const model = wc.sequential({ layers: [L.dense({ units: 2, inputShape: [2], name: 'reg_dense' })] });
  const art = await wc.modelToArtifacts(model);
  model.dispose();
  const topo = JSON.parse(JSON.stringify(art.modelTopology)) as Obj;
  edit(((topo.config as Obj).layers as Obj[])[0].config as Obj);
  return { ...art, modelTopology: topo as never };
}

async function loadedDense(edit: (config: Obj) => void): Promise<wc.layers.Dense> {
  const model = await wc.loadModel(await denseArtifacts(edit));
  return model.getLayer('reg_dense') as wc.layers.Dense;
}

beforeAll(async () => {
  await wc.setBackend('cpu');
});

describe('layer classes', () => {
  it('an unknown class (or an Object property) is refused with the known ones listed; TF.js aliases load', async () => {
    const list = /webcnn knows Conv2D, Dense, MaxPooling2D, MaxPool2D, AveragePooling2D, AvgPool2D, .*LocallyConnected2D(, \w+)*, InputLayer(, \w+)* \(register your own layer classes with wc\.serialization\.registerClass\)$/;
    for (const name of ['Lambda', 'toString', '__proto__', 'constructor', 'hasOwnProperty', 'Layer', 'dense']) {
      const art = await denseArtifacts(() => {});
      ((((art.modelTopology as Obj).config as Obj).layers as Obj[])[0]).class_name = name;
      await expectCleanError(() => wc.loadModel(art), new RegExp(`^loadModel: unknown layer class '${escape(name)}'; `), list);
    }
    const pool = wc.sequential({ layers: [L.maxPooling2d({ inputShape: [4, 4, 1], poolSize: 2, name: 'alias_pool' })] });
    const art = await wc.modelToArtifacts(pool);
    ((((art.modelTopology as Obj).config as Obj).layers as Obj[])[0]).class_name = 'MaxPool2D';
    const loaded = await wc.loadModel(art);
    expect(loaded.getLayer('alias_pool').className).toBe('MaxPooling2D');
  });
});

describe('initializer classes', () => {
  it("every TF.js initializer class loads from model.json, with its config", async () => {
    const cases: [string, Obj, Obj][] = [
      ['Zeros', {}, {}],
      ['Ones', {}, {}],
      ['Constant', { value: 0.25 }, { value: 0.25 }],
      ['RandomUniform', { minval: -1, maxval: 2, seed: 7 }, { minval: -1, maxval: 2, seed: 7 }],
      ['RandomNormal', { mean: 1, stddev: 0.5, seed: null }, { mean: 1, stddev: 0.5, seed: null }],
      ['TruncatedNormal', { mean: 0, stddev: 2, seed: 3 }, { mean: 0, stddev: 2, seed: 3 }],
      ['VarianceScaling', { scale: 2, mode: 'fan_out', distribution: 'truncated_normal', seed: null }, { scale: 2, mode: 'fanOut', distribution: 'truncatedNormal', seed: null }],
      // TF.js writes VarianceScaling's fields for its subclasses too
      ['GlorotUniform', { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null }, { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null }],
      ['GlorotNormal', { seed: 5 }, { scale: 1, mode: 'fanAvg', distribution: 'normal', seed: 5 }],
      ['HeUniform', {}, { scale: 2, mode: 'fanIn', distribution: 'uniform', seed: null }],
      ['HeNormal', {}, { scale: 2, mode: 'fanIn', distribution: 'normal', seed: null }],
      ['LeCunUniform', {}, { scale: 1, mode: 'fanIn', distribution: 'uniform', seed: null }],
      ['LeCunNormal', {}, { scale: 1, mode: 'fanIn', distribution: 'normal', seed: null }],
      ['Identity', { gain: 3 }, { gain: 3 }],
      ['Orthogonal', { gain: 1, seed: 11 }, { gain: 1, seed: 11 }],
    ];
    for (const [className, config, expected] of cases) {
      const dense = await loadedDense((c) => { c.kernel_initializer = { class_name: className, config }; });
      expect(dense.kernelInitializer.className, className).toBe(className);
      expect(dense.kernelInitializer.getConfig(), className).toEqual(expected);
    }
  });

  it('names and {className, config} objects make the values TF.js makes', async () => {
    const kernel = async (init: unknown): Promise<number[]> => {
      const d = L.dense({ units: 2, kernelInitializer: init as never, inputShape: [2] });
      d.apply(wc.input({ shape: [2] }));
      return Array.from(await d.getWeights()[0].data());
    };
    expect(await kernel({ className: 'Identity', config: { gain: 2 } })).toEqual([2, 0, 0, 2]);
    expect(await kernel('identity')).toEqual([1, 0, 0, 1]);
    expect(await kernel('Ones')).toEqual([1, 1, 1, 1]);
    expect(await kernel({ className: 'Constant', config: { value: -0.5 } })).toEqual([-0.5, -0.5, -0.5, -0.5]);
    // orthogonal: the columns of a square kernel are orthonormal
    const [a, b, c, d] = await kernel({ className: 'Orthogonal', config: { seed: 1 } });
    expect(a * a + c * c).toBeCloseTo(1, 5);
    expect(b * b + d * d).toBeCloseTo(1, 5);
    expect(a * b + c * d).toBeCloseTo(0, 5);
  });

  it("an unknown class, even one of the module's own helper functions, is refused with the valid ones listed", async () => {
    // each was a function exported from src/layers/initializers.ts
    for (const name of ['GetInitializer', 'SeededRandom', 'NextSeed', 'ComputeFans', 'SerializeInitializer', 'Magic', 'toString', '__proto__', 'zeros']) {
      const art = await denseArtifacts((c) => { c.kernel_initializer = { class_name: name, config: {} }; });
      await expectCleanError(() => wc.loadModel(art), new RegExp(`^loadModel \\(Dense 'reg_dense'\\) kernelInitializer: unknown initializer '${escape(name)}'; expected one of ${escape(INITIALIZERS)}$`));
    }
    await expectCleanError(() => L.dense({ units: 1, kernelInitializer: 'seededRandom' as never }),
      /^dense 'dense_\d+': unknown initializer 'seededRandom'; expected one of 'zeros', 'ones', .*'identity', 'orthogonal' \(or a class name: 'Zeros', .*'Orthogonal'\)$/);
    await expectCleanError(() => L.dense({ units: 1, kernelInitializer: { className: 'NextSeed' } as never }), new RegExp(`unknown initializer 'NextSeed'; expected one of ${escape(INITIALIZERS)}$`));
  });

  it('a config field of the wrong type is refused, naming the class and the field', async () => {
    const cases: [Obj, RegExp][] = [
      [{ class_name: 'RandomUniform', config: { minval: 'low' } }, /\(initializer RandomUniform\): minval must be a finite number, got "low"/],
      [{ class_name: 'RandomNormal', config: { stddev: -1 } }, /\(initializer RandomNormal\): stddev must be a non-negative number, got -1/],
      [{ class_name: 'VarianceScaling', config: { mode: 'fan_sideways' } }, /\(initializer VarianceScaling\): mode must be one of 'fanIn', 'fanOut', 'fanAvg', got "fanSideways"/],
      [{ class_name: 'GlorotUniform', config: { seed: 'abc' } }, /\(initializer GlorotUniform\): seed must be a number or null, got "abc"/],
      [{ class_name: 'Constant', config: [1] }, /the config of initializer 'Constant' must be an object, got \[1\]/],
    ];
    for (const [init, pattern] of cases) {
      await expectCleanError(async () => wc.loadModel(await denseArtifacts((c) => { c.kernel_initializer = init as never; })), pattern);
    }
  });
});

describe('regularizer classes', () => {
  it("TF.js's L1L2 and Keras's L1 and L2 load with their rates (a missing rate takes TF.js's 0.01)", async () => {
    const rates = async (reg: Obj): Promise<[number, number]> => {
      const r = (await loadedDense((c) => { c.kernel_regularizer = reg; })).kernelRegularizer!;
      return [r.l1, r.l2];
    };
    expect(await rates({ class_name: 'L1L2', config: { l1: 0.001, l2: 0.002 } })).toEqual([0.001, 0.002]);
    expect(await rates({ class_name: 'L1L2', config: { l1: 0.5 } })).toEqual([0.5, 0.01]);
    expect(await rates({ class_name: 'L1', config: { l1: 0.3 } })).toEqual([0.3, 0]);
    expect(await rates({ class_name: 'L2', config: { l2: 0.4 } })).toEqual([0, 0.4]);
    const saved = await wc.modelToArtifacts(await wc.loadModel(await denseArtifacts((c) => { c.kernel_regularizer = { class_name: 'L2', config: { l2: 0.4 } }; })));
    expect((((saved.modelTopology as Obj).config as Obj).layers as Obj[])[0].config).toMatchObject({ kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.4 } } });
  });

  it('an unknown class is refused with the valid ones listed, not loaded as L1L2', async () => {
    for (const name of ['L3', 'L1L2Plus', 'OrthogonalRegularizer', 'toString', '__proto__']) {
      const art = await denseArtifacts((c) => { c.kernel_regularizer = { class_name: name, config: { l1: 0.1, l2: 0.1 } }; });
      await expectCleanError(() => wc.loadModel(art), new RegExp(`kernelRegularizer: unknown regularizer '${escape(name)}'; expected one of 'L1L2', 'L1', 'L2'$`));
    }
    await expectCleanError(() => L.dense({ units: 1, kernelRegularizer: 'l3' as never }),
      /^dense 'dense_\d+': unknown regularizer 'l3'; expected one of 'l1', 'l2', 'l1l2', a class name \('L1L2', 'L1', 'L2'\) or wc\.regularizers\.l1l2\(\{\.\.\.\}\)$/);
    await expectCleanError(async () => wc.loadModel(await denseArtifacts((c) => { c.kernel_regularizer = { class_name: 'L1L2', config: { l1: 'much' } }; })),
      /\(regularizer L1L2\): l1 must be a non-negative number, got "much"/);
  });

  it('an activity regularizer is refused, not ignored', async () => {
    const art = await denseArtifacts((c) => { c.activity_regularizer = { class_name: 'L1L2', config: { l1: 0.1, l2: 0 } }; });
    await expectCleanError(() => wc.loadModel(art), /Dense 'reg_dense'.*: activity regularizers are not supported, got \{"className":"L1L2"/);
    await expectCleanError(() => L.dense({ units: 1, activityRegularizer: 'l1' } as never), /dense: activityRegularizer is not supported, got "l1"; remove it/);
  });
});

describe('constraint classes', () => {
  it("TF.js's constraints are refused by name; an unknown one is refused with TF.js's listed", async () => {
    for (const [name, config] of [['MaxNorm', { max_value: 2, axis: 0 }], ['MinMaxNorm', {}], ['NonNeg', {}], ['UnitNorm', { axis: 0 }]] as const) {
      const art = await denseArtifacts((c) => { c.kernel_constraint = { class_name: name, config }; });
      await expectCleanError(() => wc.loadModel(art), new RegExp(`Dense 'reg_dense'.*: kernelConstraint ${name}: weight constraints are not supported \\(none of TF\\.js's ${escape(CONSTRAINTS)}\\); remove kernelConstraint`));
    }
    const odd = await denseArtifacts((c) => { c.bias_constraint = { class_name: 'Clip', config: {} }; });
    await expectCleanError(() => wc.loadModel(odd), new RegExp(`unknown constraint 'Clip' for biasConstraint; TF\\.js's constraints are ${escape(CONSTRAINTS)}, and webcnn supports none of them$`));
    // the layer arguments too: a constraint given in code is not silently dropped
    await expectCleanError(() => L.dense({ units: 1, kernelConstraint: 'nonNeg' } as never), /^dense: kernelConstraint NonNeg: weight constraints are not supported/);
    await expectCleanError(() => L.conv2d({ filters: 1, kernelSize: 1, biasConstraint: { className: 'MaxNorm', config: {} } } as never), /^conv2d: biasConstraint MaxNorm: weight constraints are not supported/);
    await expectCleanError(() => L.batchNormalization({ gammaConstraint: 42 } as never), /^batch_normalization: unknown constraint 42 for gammaConstraint; TF\.js's constraints are/);
    // null (what Keras writes when there is none) is no constraint
    expect(await loadedDense((c) => { c.kernel_constraint = null; c.bias_constraint = null; })).toBeInstanceOf(L.Dense);
  });
});
