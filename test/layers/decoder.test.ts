// The decoder layers (conv2dTranspose, upSampling2d, cropping2D) against
// TensorFlow.js's layers of the same config and weights: output shapes,
// predictions, gradients of the input and the weights, configs, model files
// both ways; their argument errors; and the MNIST autoencoder of the zoo.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';

const SAME = { atol: 1e-5, rtol: 1e-4 };
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Config = Record<string, unknown>;
/** One layer config as both libraries take it, with the shape of the input it is tried on. */
const cases: [string, string, Config, number[]][] = [
  ["conv2dTranspose 3x3 stride 2 'same' relu", 'conv2dTranspose', { filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }, [2, 3, 4, 2]],
  ["conv2dTranspose [2, 3] strides [3, 1] 'valid' sigmoid", 'conv2dTranspose', { filters: 2, kernelSize: [2, 3], strides: [3, 1], padding: 'valid', activation: 'sigmoid' }, [1, 3, 3, 3]],
  ["conv2dTranspose 4x4 stride 2 'valid', no bias", 'conv2dTranspose', { filters: 1, kernelSize: 4, strides: 2, useBias: false }, [1, 2, 3, 2]],
  // one image, square for bilinear: TF.js 4.22's CPU resize gradients are wrong past the first image
  // (nearest) and for non-square images (bilinear); test/cpu/decoder.test.ts checks those cases against its kernels
  ['upSampling2d default (2, nearest)', 'upSampling2d', {}, [1, 3, 2, 3]],
  ['upSampling2d [3, 2] bilinear', 'upSampling2d', { size: [3, 2], interpolation: 'bilinear' }, [1, 3, 3, 2]],
  ['cropping2D 1', 'cropping2D', { cropping: 1 }, [2, 5, 4, 2]],
  ['cropping2D [1, 0]', 'cropping2D', { cropping: [1, 0] }, [1, 4, 3, 3]],
  ['cropping2D [[0, 2], [1, 0]]', 'cropping2D', { cropping: [[0, 2], [1, 0]] }, [1, 5, 4, 1]],
];

function tfLayer(kind: string, config: Config): tf.layers.Layer {
  return (tf.layers as unknown as Record<string, (c: Config) => tf.layers.Layer>)[kind]({ ...config });
}
function wcLayer(kind: string, config: Config): wc.Layer {
  return (wc.layers as unknown as Record<string, (c: Config) => wc.Layer>)[kind]({ ...config });
}

describe('decoder layers against TensorFlow.js', () => {
  it.each(cases)('%s: output shape, values and gradients (input and weights)', (_name, kind, config, shape) => {
    const mine = wcLayer(kind, config);
    const theirs = tfLayer(kind, config);
    const sym = [null, ...shape.slice(1)];
    expect(mine.computeOutputShape(sym)).toEqual(theirs.computeOutputShape(sym));
    theirs.build(sym);
    mine.build(sym);
    // the same random weights in both (TF.js's layout is webcnn's)
    const weights = theirs.getWeights().map((w, i) => randomValues(w.size, 40 + i, -0.5, 0.5));
    theirs.setWeights(theirs.getWeights().map((w, i) => tf.tensor(weights[i], w.shape)));
    expect(mine.getWeights().map((w) => w.shape)).toEqual(theirs.getWeights().map((w) => w.shape));
    mine.setWeights(mine.getWeights().map((w, i) => wc.tensor(weights[i], w.shape)));

    const xv = randomValues(size(shape), 7);
    const expected = theirs.apply(tf.tensor(xv, shape)) as tf.Tensor;
    const got = mine.apply(wc.tensor(xv, shape)) as wc.Tensor;
    expect(got.shape).toEqual(expected.shape);
    expectClose(got.dataSync(), expected.dataSync(), SAME, `${kind} forward`);

    const r = randomValues(expected.size, 8);
    const tfLoss = (x: tf.Tensor) => tf.sum(tf.mul(theirs.apply(x) as tf.Tensor, tf.tensor(r, expected.shape)));
    const wcLoss = (x: wc.Tensor) => wc.sum(wc.mul(mine.apply(x) as wc.Tensor, wc.tensor(r, got.shape)));
    expectClose(wc.grad(wcLoss)(wc.tensor(xv, shape)).dataSync(), tf.grad(tfLoss)(tf.tensor(xv, shape)).dataSync(), SAME, `${kind} dx`);
    if (theirs.trainableWeights.length > 0) {
      const vars = theirs.trainableWeights.map((v) => v.read() as tf.Variable);
      const tg = tf.variableGrads(() => tfLoss(tf.tensor(xv, shape)) as tf.Scalar, vars).grads;
      const mg = wc.variableGrads(() => wcLoss(wc.tensor(xv, shape)), mine.trainableWeights).grads;
      expect(mine.trainableWeights.length).toBe(vars.length);
      mine.trainableWeights.forEach((v, i) => expectClose(mg[v.name].dataSync(), tg[vars[i].name].dataSync(), SAME, `${kind} d(${v.name})`));
    }
  });

  it('write the config keys TF.js writes', () => {
    for (const [, kind, config] of cases) {
      const mine = wcLayer(kind, config).getConfig();
      const theirs = tfLayer(kind, config).getConfig();
      // initializers: TF.js writes GlorotUniform as its VarianceScaling config; webcnn, as conv2d, by name (both load either)
      for (const key of Object.keys(theirs).filter((k) => !['name', 'trainable', 'dtype', 'kernelInitializer', 'biasInitializer'].includes(k))) {
        expect(mine[key], `${kind}.${key}`).toEqual(theirs[key]);
      }
    }
  });
});

function decoderModel<L extends { sequential(a: { layers: unknown[] }): unknown; layers: Record<string, (c: Config) => unknown> }>(lib: L): ReturnType<L['sequential']> {
  const l = lib.layers;
  return lib.sequential({ layers: [
    l.conv2dTranspose({ inputShape: [3, 3, 2], filters: 3, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
    l.cropping2D({ cropping: [[1, 0], [0, 1]] }),
    l.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }),
    l.conv2dTranspose({ filters: 2, kernelSize: 2, padding: 'same', activation: 'sigmoid' }),
    l.upSampling2d({ size: [1, 2] }),
  ] }) as ReturnType<L['sequential']>;
}

async function tfArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return saved!;
}

describe('decoder model files', () => {
  const x = randomValues(2 * 3 * 3 * 2, 5);
  it('webcnn -> TensorFlow.js: tf.loadLayersModel reads the model and predicts the same', async () => {
    const m = decoderModel(wc as never) as unknown as wc.Sequential;
    m.setWeights(m.getWeights().map((w, i) => wc.tensor(randomValues(w.size, 60 + i, -0.5, 0.5), w.shape)));
    const expected = (m.predict(wc.tensor(x, [2, 3, 3, 2])) as wc.Tensor).dataSync();
    const tfm = await tf.loadLayersModel(tf.io.fromMemory(await wc.modelToArtifacts(m) as unknown as tf.io.ModelArtifacts));
    expect(tfm.layers.map((l) => l.getClassName())).toEqual(['Conv2DTranspose', 'Cropping2D', 'UpSampling2D', 'Conv2DTranspose', 'UpSampling2D']);
    const got = tfm.predict(tf.tensor(x, [2, 3, 3, 2])) as tf.Tensor;
    expect(got.shape).toEqual([2, 12, 24, 2]);
    expectClose(got.dataSync(), expected, SAME, 'TF.js on webcnn file');
  });

  it('TensorFlow.js -> webcnn: wc.loadModel reads the model and predicts the same', async () => {
    const tfm = decoderModel(tf as never) as unknown as tf.Sequential;
    tfm.setWeights(tfm.getWeights().map((w, i) => tf.tensor(randomValues(w.size, 80 + i, -0.5, 0.5), w.shape)));
    const expected = (tfm.predict(tf.tensor(x, [2, 3, 3, 2])) as tf.Tensor).dataSync();
    const m = await wc.loadModel(await tfArtifacts(tfm) as unknown as wc.ModelArtifacts);
    expect(m.layers.map((l) => l.className)).toEqual(['Conv2DTranspose', 'Cropping2D', 'UpSampling2D', 'Conv2DTranspose', 'UpSampling2D']);
    const got = m.predict(wc.tensor(x, [2, 3, 3, 2])) as wc.Tensor;
    expectClose(got.dataSync(), expected, SAME, 'webcnn on TF.js file');
  });

  it('loads a Keras-written config (snake_case, output_padding null, dilation)', async () => {
    const art = await wc.modelToArtifacts(wc.sequential({ layers: [wc.layers.conv2dTranspose({ inputShape: [4, 4, 1], filters: 1, kernelSize: 3, dilationRate: 2, padding: 'valid' })] }));
    const topo = JSON.parse(JSON.stringify(art.modelTopology)) as { config: { layers: { config: Config }[] } };
    topo.config.layers[0].config.output_padding = null;
    const m = await wc.loadModel({ ...art, modelTopology: topo } as unknown as wc.ModelArtifacts);
    // Keras's deconv_output_length with the dilated kernel 5: 4 + 5 - 1
    expect((m.predict(wc.tensor(randomValues(16, 1), [1, 4, 4, 1])) as wc.Tensor).shape).toEqual([1, 8, 8, 1]);
  });
});

describe('conv2dTranspose with dilation (Keras semantics; TF.js has none)', () => {
  it('is the adjoint of the dilated conv2d: <convT(x), y> = <x, conv(y)>', () => {
    const layer = wc.layers.conv2dTranspose({ filters: 2, kernelSize: 3, dilationRate: [2, 1], padding: 'valid', useBias: false });
    const xShape = [1, 3, 4, 3];
    const x = wc.tensor(randomValues(size(xShape), 1), xShape);
    const out = layer.apply(x) as wc.Tensor;
    // Keras's deconv_output_length with the dilated extents 5 and 3
    expect(out.shape).toEqual([1, 7, 6, 2]);
    const y = wc.tensor(randomValues(out.size, 2), out.shape);
    const conv = wc.conv2d(y, layer.getWeights()[0], 1, 'valid', 'NHWC', [2, 1]);
    const dot = (a: wc.Tensor, b: wc.Tensor): number => wc.sum(wc.mul(a, b)).dataSync()[0];
    expect(dot(out, y)).toBeCloseTo(dot(x, conv), 4);
  });
});

describe('decoder layer arguments', () => {
  it('refuse bad arguments, naming the layer', () => {
    expect(() => wc.layers.conv2dTranspose({ name: 'up', filters: 0, kernelSize: 3 })).toThrow(/conv2dTranspose 'up': filters must be a positive integer/);
    expect(() => wc.layers.conv2dTranspose({ name: 'up', filters: 2 } as never)).toThrow(/conv2dTranspose 'up': kernelSize is required/);
    expect(() => wc.layers.conv2dTranspose({ name: 'up', filters: 2, kernelSize: 3, padding: 'causal' as 'same' })).toThrow(/conv2dTranspose 'up': padding must be one of 'valid', 'same'/);
    expect(() => wc.layers.conv2dTranspose({ name: 'up', filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/conv2dTranspose 'up': strides \[2,2\] and dilationRate \[2,2\] cannot both exceed 1/);
    expect(() => wc.layers.conv2dTranspose({ name: 'up', filters: 2, kernelSize: 3, outputPadding: [1, 1] } as never)).toThrow(/conv2dTranspose 'up': outputPadding is not supported/);
    expect(() => wc.layers.upSampling2d({ name: 'us', size: [2, 0] })).toThrow(/upSampling2d 'us': size must be a positive integer or two/);
    expect(() => wc.layers.upSampling2d({ name: 'us', interpolation: 'bicubic' as 'nearest' })).toThrow(/upSampling2d 'us': interpolation must be one of 'nearest', 'bilinear'/);
    expect(() => wc.layers.upSampling2d({ name: 'us', dataFormat: 'channelsFirst' as 'channelsLast' })).toThrow(/upSampling2d 'us': only dataFormat 'channelsLast'/);
    expect(() => wc.layers.cropping2D({ name: 'cr', cropping: -1 })).toThrow(/cropping2d 'cr': cropping must be a non-negative integer n/);
    expect(() => wc.layers.cropping2D({ name: 'cr', cropping: [[1, 2]] } as never)).toThrow(/cropping2d 'cr': cropping must be/);
    const crop = wc.layers.cropping2D({ name: 'cr2', cropping: [[2, 2], [0, 0]] });
    expect(() => crop.apply(wc.input({ shape: [4, 4, 1] }))).toThrow(/Cropping2D 'cr2': cropping .* removes 4 of the 4 rows/);
    expect(() => wc.layers.conv2dTranspose({ filters: 2, kernelSize: 3 }).apply(wc.input({ shape: [4, 4] }))).toThrow(/Conv2DTranspose 'conv2d_transpose_\d+': expected an input of rank 4/);
  });

  it('name themselves as Keras does', () => {
    expect(wc.layers.conv2dTranspose({ filters: 1, kernelSize: 1 }).name).toMatch(/^conv2d_transpose_\d+$/);
    expect(wc.layers.upSampling2d().name).toMatch(/^up_sampling2d_\d+$/);
    expect(wc.layers.cropping2d({ cropping: 1 }).name).toMatch(/^cropping2d_\d+$/);
  });
});

describe('models.mnistAutoencoder', () => {
  it('maps 28x28x1 to 28x28x1 through a 7x7x16 code with 4,945 parameters', () => {
    const m = wc.models.mnistAutoencoder();
    expect(m.countParams()).toBe(4945);
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    const text = lines.join('\n');
    expect(text).toMatch(/\(Conv2D\)\s+\[null,7,7,16\]/);
    expect(text).toMatch(/\(Conv2DTranspose\)\s+\[null,14,14,16\]/);
    expect(text).toMatch(/\(UpSampling2D\)\s+\[null,28,28,16\]/);
    expect(m.outputs[0].shape).toEqual([null, 28, 28, 1]);
  });

  it('learns to reconstruct: the mean squared error falls over a few steps of fit', async () => {
    const m = wc.models.mnistAutoencoder();
    m.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    // blobs on a dark background, like digits
    const n = 16;
    const v = new Float32Array(n * 784);
    for (let i = 0; i < n; i++) for (let p = 0; p < 784; p++) {
      const [r, c] = [Math.floor(p / 28), p % 28];
      v[i * 784 + p] = Math.max(0, 1 - Math.hypot(r - 10 - (i % 8), c - 14 + (i % 5)) / 6);
    }
    const xs = wc.tensor(v, [n, 28, 28, 1]);
    const h = await m.fit(xs, xs, { batchSize: 8, epochs: 8, shuffle: false });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.7);
  });
});
