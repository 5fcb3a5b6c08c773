// The preprocessing layers (src/layers/preprocessing/): Rescaling, Resizing
// and CenterCrop against TensorFlow.js 4.22's layers and model files both
// ways; Normalization's adapt and statistics; every random layer's training
// output against the transform its seeded draws make, its pass-through in
// inference, its reproducibility; configs through model.json (Keras's keys);
// fit through random layers; and the argument errors.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { seededRandom } from '../../src/random.js';
import { gaussianKernel, smooth } from '../../src/layers/preprocessing/randomElasticDeformation.js';
import { expectClose, randomValues } from '../util/check.js';

const SAME = { atol: 1e-5, rtol: 1e-4 };
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
type Config = Record<string, unknown>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await wc.setBackend('cpu');
});

const T = (v: ArrayLike<number>, s: number[]) => wc.tensor(Float32Array.from(v), s);
const train = (l: wc.Layer, x: wc.Tensor): wc.Tensor => l.apply(x, { training: true }) as wc.Tensor;
const infer = (l: wc.Layer, x: wc.Tensor): wc.Tensor => l.apply(x) as wc.Tensor;

async function tfArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return saved!;
}

function tfLayer(kind: string, config: Config): tf.layers.Layer {
  return (tf.layers as unknown as Record<string, (c: Config) => tf.layers.Layer>)[kind]({ ...config });
}
function wcLayer(kind: string, config: Config): wc.Layer {
  return (wc.layers as unknown as Record<string, (c: Config) => wc.Layer>)[kind]({ ...config });
}

describe('Rescaling, Resizing and CenterCrop against TensorFlow.js 4.22', () => {
  const cases: [string, Config, number[]][] = [
    ['rescaling', { scale: 1 / 255, offset: -0.5 }, [2, 3, 4, 2]],
    ['rescaling', { scale: 2 }, [3, 5]],
    ['resizing', { height: 5, width: 7 }, [2, 3, 4, 2]],
    ['resizing', { height: 2, width: 3, interpolation: 'nearest' }, [1, 5, 7, 3]],
    ['resizing', { height: 6, width: 4, cropToAspectRatio: true }, [2, 3, 5, 1]],
    ['centerCrop', { height: 3, width: 2 }, [2, 7, 5, 2]],
    ['centerCrop', { height: 4, width: 4 }, [1, 6, 5, 1]],
    ['centerCrop', { height: 5, width: 6 }, [1, 6, 4, 2]],
    ['centerCrop', { height: 2, width: 2 }, [1, 2, 3, 1]],
  ];
  for (const [kind, config, shape] of cases) {
    it(`${kind} ${JSON.stringify(config)} on ${shape.join('x')}: the same output`, () => {
      const x = randomValues(size(shape), 3, 0, 255);
      const theirs = tfLayer(kind, config).apply(tf.tensor(x, shape)) as tf.Tensor;
      const ours = infer(wcLayer(kind, config), T(x, shape));
      expect(ours.shape).toEqual(theirs.shape);
      expectClose(ours.dataSync(), theirs.dataSync(), SAME, kind);
    });
  }

  const build = (l: typeof tf.layers | typeof wc.layers) => [
    l.rescaling({ inputShape: [6, 7, 2], scale: 0.5, offset: 1 }),
    // a fresh shape before CenterCrop: TF.js 4.22's CenterCrop writes its output size into its input's shape
    l.zeroPadding2d({ padding: 1 }),
    l.centerCrop({ height: 5, width: 4 }),
    l.resizing({ height: 9, width: 8 }),
  ];
  const x = randomValues(2 * 6 * 7 * 2, 9, 0, 10);
  // TF.js 4.22's Resizing cannot run inside its own model.predict (it takes the input list as a tensor), and its
  // Resizing and CenterCrop give wrong symbolic shapes: its side runs the loaded layers one by one on tensors
  const tfChain = (m: tf.LayersModel, v: Float32Array): tf.Tensor => m.layers.reduce((t, l) => l.apply(t) as tf.Tensor, tf.tensor(v, [2, 6, 7, 2]));

  it('TensorFlow.js -> webcnn: wc.loadModel reads the model and predicts the same', async () => {
    const tfm = tf.sequential({ layers: build(tf.layers) as tf.layers.Layer[] });
    const expected = tfChain(tfm, x).dataSync();
    const m = await wc.loadModel(await tfArtifacts(tfm) as unknown as wc.ModelArtifacts);
    expect(m.layers.map((l) => l.className)).toEqual(['Rescaling', 'ZeroPadding2D', 'CenterCrop', 'Resizing']);
    expectClose((m.predict(T(x, [2, 6, 7, 2])) as wc.Tensor).dataSync(), expected, SAME);
  });

  it('webcnn -> TensorFlow.js: tf.loadLayersModel reads the model and predicts the same', async () => {
    const m = wc.sequential({ layers: build(wc.layers) as wc.Layer[] });
    const expected = (m.predict(T(x, [2, 6, 7, 2])) as wc.Tensor).dataSync();
    const tfm = await tf.loadLayersModel(tf.io.fromMemory(await wc.modelToArtifacts(m) as unknown as tf.io.ModelArtifacts));
    expect(tfm.layers.map((l) => l.getClassName())).toEqual(['Rescaling', 'ZeroPadding2D', 'CenterCrop', 'Resizing']);
    expectClose(tfChain(tfm, x).dataSync(), expected, SAME);
  });
});

describe('RandomWidth and RandomHeight (TF.js 4.22 has them)', () => {
  it('training resizes the batch along one axis by 1 + the drawn factor; inference passes through', () => {
    const v = randomValues(2 * 4 * 6 * 2, 13);
    const x = T(v, [2, 4, 6, 2]);
    const u = draws(6, 2);
    const w = wc.layers.randomWidth({ factor: [-0.5, 0.5], seed: 6 });
    const yw = train(w, x);
    const width = Math.round(6 * (0.5 + u[0]));
    expect(yw.shape).toEqual([2, 4, width, 2]);
    expectClose(yw.dataSync(), wc.image.resizeBilinear(x, [4, width]).dataSync(), SAME);
    expect([...infer(w, x).dataSync()]).toEqual([...v]);
    const hgt = wc.layers.randomHeight({ factor: 0.5, interpolation: 'nearest', seed: 6 });
    const yh = train(hgt, x);
    const height = Math.round(4 * (0.5 + u[0]));
    expectClose(yh.dataSync(), wc.image.resizeNearestNeighbor(x, [height, 6]).dataSync(), SAME);
  });

  // TF.js 4.22 can neither build a model with them (its output shape has a -1) nor load one (it does not register
  // them): what moves is the layer config TF.js writes, which webcnn reads and writes with the same keys
  it('read the config TF.js writes (factor, interpolation, seed) and write the same keys back', async () => {
    const theirs = (tf.layers as unknown as Record<string, (c: Config) => tf.layers.Layer>).randomWidth({ factor: 0.2, interpolation: 'nearest', seed: 3 }).getConfig() as Config;
    const art = await wc.modelToArtifacts(wc.sequential({ layers: [wc.layers.rescaling({ inputShape: [4, 5, 1], scale: 2 })] }));
    const topo = JSON.parse(JSON.stringify(art.modelTopology)) as { config: { layers: { class_name: string; config: Config }[] } };
    topo.config.layers.push({ class_name: 'RandomWidth', config: { ...theirs, name: 'rw' } });
    const m = await wc.loadModel({ ...art, modelTopology: topo } as unknown as wc.ModelArtifacts);
    expect(m.layers[1].className).toBe('RandomWidth');
    const ours = m.layers[1].getConfig();
    for (const key of ['factor', 'interpolation', 'seed', 'trainable']) expect(ours[key], key).toEqual(theirs[key]);
    const h = wc.layers.randomHeight({ factor: [-0.2, 0.3], seed: 4 }).getConfig();
    // tf.layers has no randomHeight factory; its RandomHeight writes the same keys as RandomWidth
    expect(h).toMatchObject({ factor: [-0.2, 0.3], interpolation: 'bilinear', seed: 4 });
  });
});

describe('Normalization', () => {
  it('adapt sets the per-channel mean and variance; the output has mean 0 and variance 1 per channel', () => {
    const x = T(randomValues(4 * 3 * 2 * 3, 1, -3, 7), [4, 3, 2, 3]);
    const l = wc.layers.normalization();
    l.adapt(x);
    const [mean, variance] = l.getWeights().map((w) => Array.from(w.dataSync()));
    const v = x.dataSync();
    for (let c = 0; c < 3; c++) {
      const ch = Array.from(v).filter((_, i) => i % 3 === c);
      const m = ch.reduce((a, b) => a + b, 0) / ch.length;
      expect(mean[c]).toBeCloseTo(m, 5);
      expect(variance[c]).toBeCloseTo(ch.reduce((a, b) => a + (b - m) ** 2, 0) / ch.length, 4);
    }
    const y = infer(l, x);
    expectClose(y.mean([0, 1, 2]).dataSync(), [0, 0, 0], { atol: 1e-5, rtol: 0 });
    expectClose(y.square().mean([0, 1, 2]).dataSync(), [1, 1, 1], { atol: 1e-4, rtol: 0 });
  });

  it('fixed mean and variance: (x - mean) / sqrt(variance); invert undoes it; axis null uses one statistic', () => {
    const x = T([1, 2, 3, 4, 5, 6], [3, 2]);
    expectClose(infer(wc.layers.normalization({ mean: [1, 2], variance: [4, 16] }), x).dataSync(), [0, 0, 1, 0.5, 2, 1], SAME);
    expectClose(infer(wc.layers.normalization({ mean: [1, 2], variance: [4, 16], invert: true }), x).dataSync(), [3, 10, 7, 18, 11, 26], SAME);
    expectClose(infer(wc.layers.normalization({ axis: null, mean: 3, variance: 0 }), x).dataSync(), [-2e7, -1e7, 0, 1e7, 2e7, 3e7], SAME);
  });

  it('axis [1, 2] keeps a statistic per position; adapted weights survive model.json', async () => {
    const x = T(randomValues(5 * 2 * 3, 2), [5, 2, 3]);
    const m = wc.sequential({ layers: [wc.layers.normalization({ inputShape: [2, 3], axis: [1, 2] })] });
    (m.layers[0] as unknown as wc.layers.Normalization).adapt(x);
    expect(m.getWeights().map((w) => w.shape)).toEqual([[2, 3], [2, 3]]);
    const expected = (m.predict(x) as wc.Tensor).dataSync();
    const back = await wc.loadModel(await wc.modelToArtifacts(m));
    expectClose((back.predict(x) as wc.Tensor).dataSync(), expected, SAME);
    expect(back.layers[0].getConfig()).toMatchObject({ axis: [1, 2], mean: null, variance: null, invert: false });
  });
});

/** The first k draws of a seeded layer's generator, scaled to [lo, hi). */
const draws = (seed: number, k: number): number[] => {
  const r = seededRandom(seed);
  return Array.from({ length: k }, () => r());
};

describe('random layers: training output from the seeded draws, pass-through in inference', () => {
  const img = Float32Array.from({ length: 2 * 4 * 4 * 1 }, (_, i) => i);
  const x = () => T(img, [2, 4, 4, 1]);

  it('randomRotation factor [0.25, 0.25] turns each image by exactly pi/2 (numpy rot90 of a 4x4)', () => {
    const y = train(wc.layers.randomRotation({ factor: [0.25, 0.25] }), x());
    const rot = (b: number) => [3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13, 0, 4, 8, 12].map((v) => v + 16 * b);
    expect([...y.dataSync()]).toEqual([...rot(0), ...rot(1)]);
  });

  it('randomRotation: angle 2 pi (lower + (upper - lower) u) about the centre, reflect fill, bilinear', () => {
    const u = draws(7, 2);
    const y = train(wc.layers.randomRotation({ factor: [-0.1, 0.2], seed: 7 }), x());
    const angle = (k: number) => 2 * Math.PI * (-0.1 + 0.3 * u[k]);
    const m = [0, 1].flatMap((k) => {
      const c = Math.cos(angle(k)); const s = Math.sin(angle(k));
      return [c, -s, (3 - (3 * c - 3 * s)) / 2, s, c, (3 - (3 * s + 3 * c)) / 2, 0, 0];
    });
    expectClose(y.dataSync(), wc.image.transform(x(), T(m, [2, 8]), 'bilinear', 'reflect').dataSync(), SAME);
  });

  it('randomTranslation: heightFactor 0.25 of 4 rows moves each image down one row (reflect fills the top)', () => {
    const y = train(wc.layers.randomTranslation({ heightFactor: [0.25, 0.25], widthFactor: 0 }), x());
    const v = [...y.dataSync()];
    expect(v.slice(0, 16)).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('randomZoom: heightFactor -0.5 zooms in two times about the centre, width the same', () => {
    const five = T(Array.from({ length: 25 }, (_, i) => i), [1, 5, 5, 1]);
    const y = train(wc.layers.randomZoom({ heightFactor: [-0.5, -0.5], interpolation: 'nearest' }), five);
    // output (x, y) reads (0.5 x + 1, 0.5 y + 1): rows and columns 1, 1.5, 2, 2.5, 3 rounded half up
    const idx = [1, 2, 2, 3, 3];
    expect([...y.dataSync()]).toEqual(idx.flatMap((r) => idx.map((c) => 5 * r + c)));
  });

  it('randomFlip: each image is itself, flipped left-right, upside down or both, by its draws', () => {
    const u = draws(3, 4);
    const y = [...train(wc.layers.randomFlip({ seed: 3 }), x()).dataSync()];
    for (let b = 0; b < 2; b++) {
      const fx = u[2 * b] < 0.5; const fy = u[2 * b + 1] < 0.5;
      const want = Array.from({ length: 16 }, (_, k) => {
        const r = Math.floor(k / 4); const c = k % 4;
        return 16 * b + 4 * (fy ? 3 - r : r) + (fx ? 3 - c : c);
      });
      expect(y.slice(16 * b, 16 * b + 16), `image ${b}`).toEqual(want);
    }
    const h = [...train(wc.layers.randomFlip({ mode: 'horizontal', seed: 11 }), T([1, 2, 3], [1, 1, 3, 1])).dataSync()];
    expect([[1, 2, 3], [3, 2, 1]]).toContainEqual(h);
  });

  it('randomCrop: training windows at drawn offsets; inference and small images Keras\'s smart_resize', () => {
    const six = T(Array.from({ length: 2 * 6 * 5 }, (_, i) => i), [2, 6, 5, 1]);
    const u = draws(5, 4);
    const l = wc.layers.randomCrop({ height: 3, width: 2, seed: 5 });
    const y = [...train(l, six).dataSync()];
    for (let b = 0; b < 2; b++) {
      const top = Math.floor(u[2 * b] * 4); const left = Math.floor(u[2 * b + 1] * 4);
      const want = [0, 1, 2].flatMap((r) => [0, 1].map((c) => 30 * b + 5 * (top + r) + left + c));
      expect(y.slice(6 * b, 6 * b + 6), `image ${b}`).toEqual(want);
    }
    // inference: Keras's smart_resize, the 6x4 box at (0, 0) (aspect 3:2) resized to 3x2 with half-pixel centres:
    // rows and columns 0.5, 2.5, 4.5 and 0.5, 2.5 of pixel 5 r + c
    expectClose(infer(l, six).dataSync().slice(0, 6), [3, 5, 13, 15, 23, 25], SAME);
    // smaller than the window: smart_resize in training too (the 2x4 image's centred 2x1 box, column 1, resized to 3x2)
    const small = T([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 1]);
    expectClose(train(l, small).dataSync(), wc.image.resizeBilinear(T([2, 6], [1, 2, 1, 1]), [3, 2], false, true).dataSync(), SAME);
  });

  it('randomContrast: (x - mean) c + mean per image and channel, clipped to valueRange', () => {
    const u = draws(4, 2);
    const v = randomValues(2 * 3 * 3 * 2, 8, 0, 10);
    const y = train(wc.layers.randomContrast({ factor: 0.5, seed: 4, valueRange: [0, 9] }), T(v, [2, 3, 3, 2]));
    const want = Array.from(v, (val, i) => {
      const b = Math.floor(i / 18); const ch = i % 2;
      const vals = Array.from(v).filter((_, j) => Math.floor(j / 18) === b && j % 2 === ch);
      const mean = vals.reduce((a, c) => a + c, 0) / vals.length;
      return Math.min(9, Math.max(0, (val - mean) * (0.5 + u[b]) + mean));
    });
    expectClose(y.dataSync(), want, SAME);
  });

  it('randomBrightness: factor [0.1, 0.1] adds 25.5 to every pixel, clipped at 255', () => {
    const y = train(wc.layers.randomBrightness({ factor: [0.1, 0.1] }), T([0, 100, 240, 255], [1, 2, 2, 1]));
    expectClose(y.dataSync(), [25.5, 125.5, 255, 255], SAME);
    const u = draws(2, 1);
    const z = train(wc.layers.randomBrightness({ factor: [-0.5, 0.5], valueRange: [-1, 1], seed: 2 }), T([0, 0.5], [1, 1, 2, 1]));
    const d = 2 * (-0.5 + u[0]);
    expectClose(z.dataSync(), [d, 0.5 + d].map((val) => Math.min(1, Math.max(-1, val))), SAME);
  });

  it('randomElasticDeformation: the image displaced by alpha times the Gaussian-smoothed uniform fields', () => {
    const [h, w] = [5, 6];
    const v = randomValues(h * w, 12);
    const y = train(wc.layers.randomElasticDeformation({ alpha: 3, sigma: 1.5, seed: 9, fillMode: 'nearest' }), T(v, [1, h, w, 1]));
    const r = seededRandom(9);
    const field = () => smooth(Float64Array.from({ length: h * w }, () => -1 + 2 * r()), h, w, gaussianKernel(1.5));
    const fy = field(); const fx = field();
    const flow = Array.from({ length: h * w }, (_, i) => [3 * fy[i], 3 * fx[i]]).flat();
    const want = wc.ops.displace(T(v, [1, h, w, 1]), T(flow, [1, h, w, 2]), { interpolation: 'bilinear', fillMode: 'nearest', fillValue: 0 });
    expectClose(y.dataSync(), want.dataSync(), SAME);
    expect(Math.max(...Array.from(y.dataSync(), (a, i) => Math.abs(a - v[i])))).toBeGreaterThan(0.01);
    const k = gaussianKernel(1.5);
    expect(k.length).toBe(13);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  const makers: [string, () => wc.Layer][] = [
    ['randomRotation', () => wc.layers.randomRotation({ factor: 0.2, seed: 1 })],
    ['randomTranslation', () => wc.layers.randomTranslation({ heightFactor: 0.3, widthFactor: [-0.2, 0.1], seed: 1 })],
    ['randomZoom', () => wc.layers.randomZoom({ heightFactor: 0.3, widthFactor: 0.2, seed: 1 })],
    ['randomFlip', () => wc.layers.randomFlip({ seed: 1 })],
    ['randomContrast', () => wc.layers.randomContrast({ factor: 0.6, seed: 1 })],
    ['randomBrightness', () => wc.layers.randomBrightness({ factor: 0.3, seed: 1 })],
    ['randomElasticDeformation', () => wc.layers.randomElasticDeformation({ alpha: 4, sigma: 1, seed: 1 })],
  ];
  for (const [name, make] of makers) {
    it(`${name}: predict passes data through; training changes it; the same seed gives the same images`, () => {
      const data = randomValues(3 * 5 * 4 * 2, 21, 0, 200);
      const a = make();
      expect([...infer(a, T(data, [3, 5, 4, 2])).dataSync()]).toEqual([...data]);
      const ya = [...train(a, T(data, [3, 5, 4, 2])).dataSync()];
      expect(ya).not.toEqual([...data]);
      expect([...train(make(), T(data, [3, 5, 4, 2])).dataSync()]).toEqual(ya);
      // the next call draws anew
      expect([...train(a, T(data, [3, 5, 4, 2])).dataSync()]).not.toEqual(ya);
    });
  }
});

describe('random layers in a model', () => {
  it('fit and trainOnBatch apply them; evaluate and predict do not', async () => {
    const m = wc.sequential({ layers: [
      wc.layers.randomBrightness({ inputShape: [2, 2, 1], factor: [0.1, 0.1], valueRange: [0, 10] }),
      wc.layers.flatten(),
      wc.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' }),
    ] });
    m.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0 }), loss: 'meanSquaredError' });
    const x = T([1, 2, 3, 4, 0, 0, 1, 1], [2, 2, 2, 1]);
    const y = T([0, 0], [2, 1]);
    // brightness adds 1 to each of the 4 pixels: sums 14 and 6 in training, 10 and 2 otherwise
    expect(await m.trainOnBatch(x, y)).toBeCloseTo((14 ** 2 + 6 ** 2) / 2, 3);
    expect(await m.evaluate(x, y) as unknown as number).toBeCloseTo((10 ** 2 + 2 ** 2) / 2, 3);
    const h = await m.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false });
    expect(h.history.loss[0]).toBeCloseTo((14 ** 2 + 6 ** 2) / 2, 3);
    expectClose((m.predict(x) as wc.Tensor).dataSync(), [10, 2], SAME);
  });

  it('a convnet with rotation, translation, zoom and flip trains (loss falls) and reruns identically from the same seeds', async () => {
    const run = async () => {
      const m = wc.sequential({ layers: [
        wc.layers.randomRotation({ inputShape: [6, 6, 1], factor: 0.05, seed: 1 }),
        wc.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 2 }),
        wc.layers.randomZoom({ heightFactor: 0.1, seed: 3 }),
        wc.layers.randomFlip({ mode: 'horizontal', seed: 4 }),
        wc.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', kernelInitializer: wc.initializers.glorotUniform({ seed: 5 }) }),
        wc.layers.flatten(),
        wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 6 }) }),
      ] });
      m.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
      const xs = T(randomValues(8 * 36, 30, 0, 1), [8, 6, 6, 1]);
      const ys = T(Array.from({ length: 8 }, (_, i) => (i % 2 ? [0, 1] : [1, 0])).flat(), [8, 2]);
      return (await m.fit(xs, ys, { epochs: 6, batchSize: 4, shuffle: false })).history.loss;
    };
    const a = await run();
    expect(a[a.length - 1]).toBeLessThan(a[0]);
    expect(await run()).toEqual(a);
  });
});

describe('preprocessing layers and memory', () => {
  it('trainOnBatch, fit, predict and evaluate leave no tensors behind (per-image transforms and fields included)', async () => {
    const m = wc.sequential({ layers: [
      wc.layers.randomRotation({ inputShape: [6, 6, 1], factor: 0.1 }), wc.layers.randomCrop({ height: 4, width: 4 }),
      wc.layers.randomElasticDeformation({ alpha: 2, sigma: 1 }), wc.layers.randomContrast({ factor: 0.2 }),
      wc.layers.normalization({ mean: 1, variance: 2 }), wc.layers.centerCrop({ height: 3, width: 3 }), wc.layers.flatten(), wc.layers.dense({ units: 2 }),
    ] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = T(randomValues(4 * 36, 3), [4, 6, 6, 1]);
    const y = T(new Float32Array(8), [4, 2]);
    await m.trainOnBatch(x, y);
    const before = wc.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      await m.trainOnBatch(x, y);
      (m.predict(x) as wc.Tensor).dispose();
      await m.fit(x, y, { epochs: 1 });
      await m.evaluate(x, y);
    }
    expect(wc.memory().numTensors).toBe(before);
  });
});

describe('preprocessing configs through model.json', () => {
  const layers = (): wc.Layer[] => [
    wc.layers.rescaling({ inputShape: [8, 8, 3], scale: 1 / 255 }),
    wc.layers.normalization({ mean: [0.5, 0.4, 0.3], variance: [0.1, 0.2, 0.3] }),
    wc.layers.resizing({ height: 10, width: 10, interpolation: 'nearest' }),
    wc.layers.centerCrop({ height: 9, width: 9 }),
    wc.layers.randomCrop({ height: 8, width: 8, seed: 1 }),
    wc.layers.randomFlip({ mode: 'vertical', seed: 2 }),
    wc.layers.randomRotation({ factor: [-0.1, 0.05], fillMode: 'constant', fillValue: 0.5, interpolation: 'nearest', seed: 3 }),
    wc.layers.randomTranslation({ heightFactor: 0.1, widthFactor: [-0.2, 0.2], fillMode: 'wrap', seed: 4 }),
    wc.layers.randomZoom({ heightFactor: [-0.2, 0.1], seed: 5 }),
    wc.layers.randomContrast({ factor: 0.3, seed: 6 }),
    wc.layers.randomBrightness({ factor: [-0.1, 0.2], valueRange: [0, 1], seed: 7 }),
    wc.layers.randomElasticDeformation({ alpha: 8, sigma: 3, seed: 8 }),
    wc.layers.randomFlip({ seed: 9 }),
  ];

  it('every layer comes back with its config; the keys are Keras\'s (snake_case) in model.json', async () => {
    const m = wc.sequential({ layers: layers() });
    const art = await wc.modelToArtifacts(m);
    const json = JSON.stringify(art.modelTopology);
    for (const key of ['"fill_mode":"constant"', '"fill_value":0.5', '"height_factor":0.1', '"width_factor":[-0.2,0.2]', '"value_range":[0,1]', '"crop_to_aspect_ratio":false', '"mode":"vertical"', '"mode":"horizontal_and_vertical"', '"factor":[-0.1,0.05]']) {
      expect(json).toContain(key);
    }
    const back = await wc.loadModel(art);
    expect(back.layers.map((l) => l.className)).toEqual(m.layers.map((l) => l.className));
    back.layers.forEach((l, i) => expect(l.getConfig(), l.className).toEqual(m.layers[i].getConfig()));
    const x = T(randomValues(2 * 8 * 8 * 3, 4, 0, 255), [2, 8, 8, 3]);
    expectClose((back.predict(x) as wc.Tensor).dataSync(), (m.predict(x) as wc.Tensor).dataSync(), SAME);
  });

  it('loads a Keras-written RandomRotation / RandomZoom config (snake_case keys)', async () => {
    const art = await wc.modelToArtifacts(wc.sequential({ layers: [wc.layers.randomZoom({ inputShape: [4, 4, 1], heightFactor: 0.2 })] }));
    const topo = JSON.parse(JSON.stringify(art.modelTopology)) as { config: { layers: { class_name: string; config: Config }[] } };
    topo.config.layers[0] = { class_name: 'RandomRotation', config: { name: 'rr', factor: 0.1, fill_mode: 'nearest', interpolation: 'nearest', seed: 3, fill_value: 0, batch_input_shape: [null, 4, 4, 1] } };
    const m = await wc.loadModel({ ...art, modelTopology: topo } as unknown as wc.ModelArtifacts);
    expect(m.layers[0].getConfig()).toMatchObject({ factor: 0.1, fillMode: 'nearest', interpolation: 'nearest', seed: 3 });
  });
});

describe('preprocessing layers: errors', () => {
  it('name the layer and the argument', () => {
    expect(() => wc.layers.randomRotation({ factor: 'a' as unknown as number })).toThrow(/RandomRotation 'random_rotation_\d+': factor must be a number or a \[lower, upper\] pair/);
    expect(() => wc.layers.randomTranslation({ heightFactor: 1.5, widthFactor: 0 })).toThrow(/heightFactor must lie in \[-1, 1\]/);
    expect(() => wc.layers.randomZoom({ heightFactor: [-1.5, 0] })).toThrow(/heightFactor must lie in \[-1, Infinity\]/);
    expect(() => wc.layers.randomRotation({ factor: 0.1, fillMode: 'mirror' as 'wrap' })).toThrow(/fillMode must be one of 'constant', 'reflect', 'wrap', 'nearest'/);
    expect(() => wc.layers.randomFlip({ mode: 'diagonal' as 'vertical' })).toThrow(/mode must be one of 'horizontal', 'vertical', 'horizontal_and_vertical'/);
    expect(() => wc.layers.randomFlip({ seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => wc.layers.randomContrast({ factor: 1.5 })).toThrow(/factor's lower part must lie in \[0, 1\]/);
    expect(() => wc.layers.randomCrop({ height: 0, width: 2 })).toThrow(/height must be a positive integer/);
    expect(() => wc.layers.normalization({ mean: [1] })).toThrow(/give both mean and variance, or neither/);
    expect(() => wc.layers.rescaling({ scale: NaN })).toThrow(/scale must be a finite number/);
    expect(() => wc.layers.randomElasticDeformation({ sigma: 0 })).toThrow(/sigma must be a positive number/);
    expect(() => wc.layers.randomFlip().apply(T([1, 2, 3], [1, 3]), { training: true })).toThrow(/expected|rank/);
    expect(() => wc.layers.normalization({ mean: 1, variance: 1 }).adapt(T([1], [1, 1]))).toThrow(/adapt\(\) needs a layer built without mean and variance/);
  });
});
