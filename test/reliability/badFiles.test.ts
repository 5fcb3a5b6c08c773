// Bad files for wc.loadModel and wc.data.loadMnist, beyond what
// test/io/interchange.test.ts and test/data/mnist.test.ts already check
// (truncated weights, a wrong shape, a missing weight, an unknown layer class,
// invalid JSON, a graph model; a non-IDX magic, a truncated IDX, a wrong image
// size): each is an Error that names loadModel/loadMnist, what was expected
// and what was found, no tensors are left behind, and the caller's objects are
// not changed.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { countAllocated, expectCleanError } from './state.js';
import { idxFile as idx } from '../util/idx.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** A small CNN with batch norm, saved in memory; `copy` gives a fresh deep copy of its topology. */
async function saved(): Promise<{ art: wc.ModelArtifacts; model: wc.LayersModel; topo: () => Obj }> {
  const model = wc.sequential({
    layers: [
      wc.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
      wc.layers.batchNormalization(),
      wc.layers.flatten(),
      wc.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  const art = await wc.modelToArtifacts(model);
  return { art, model, topo: () => JSON.parse(JSON.stringify(art.modelTopology)) as Obj };
}

const layersOf = (topo: Obj) => (topo.config as Obj).layers as Obj[];

describe('loadModel: truncated, corrupted, mismatched and newer files', () => {
  let s: Awaited<ReturnType<typeof saved>>;
  let base: number;

  beforeAll(async () => {
    await wc.setBackend('cpu');
    s = await saved();
  });

  /** Expects a clean loadModel error and no tensors left behind. */
  async function refuses(source: unknown, ...patterns: RegExp[]): Promise<void> {
    base = wc.memory().numTensors;
    await expectCleanError(() => wc.loadModel(source as wc.LoadSource), /^loadModel[:( ]/, ...patterns);
    expect(wc.memory().numTensors, 'tensors left behind by a failed load').toBe(base);
  }

  it('weight bytes: too many, too few, or not bytes at all', async () => {
    const bytes = new Uint8Array(s.art.weightData);
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    await refuses({ ...s.art, weightData: longer.buffer }, /the weight data holds \d+ bytes but the manifest's 8 weights need \d+ \(truncated or mismatched \.bin files\?\)/);
    await refuses({ ...s.art, weightData: new ArrayBuffer(0) }, /the weight data holds 0 bytes but the manifest's 8 weights need/);
    await refuses({ ...s.art, weightData: 'AAAA' }, /weightData must be an ArrayBuffer \(or a typed array\), got a string/);
    await refuses({ ...s.art, weightData: [s.art.weightData, 7] }, /weightData\[1\] must be an ArrayBuffer \(or a typed array\), got a number/);
  });

  it('weight specs of the wrong type, shape or dtype', async () => {
    const spec = (patch: Record<string, unknown>) => ({ ...s.art, weightSpecs: s.art.weightSpecs.map((w, i) => (i === 0 ? { ...w, ...patch } : w)) });
    await refuses({ ...s.art, weightSpecs: 'all of them' }, /weightSpecs must be an array, got a string/);
    await refuses({ ...s.art, weightSpecs: [null] }, /weightSpecs\[0\]: expected a weight spec \{name, shape, dtype\} with a string name, got null/);
    await refuses(spec({ shape: [3, -3, 1, 2] }), /weightSpecs\[0\]: weight '.*\/kernel' has an invalid shape \[3,-3,1,2\]/);
    await refuses(spec({ shape: 'big' }), /weight '.*\/kernel' has an invalid shape "big"/);
    await refuses(spec({ shape: [2 ** 40, 2 ** 40] }), /has an invalid shape/);
    // a dtype or quantization that changes the weight's size no longer matches the bytes
    await refuses(spec({ dtype: 'bool' }), /the weight data holds \d+ bytes but the manifest's 8 weights need \d+/);
    await refuses(spec({ dtype: 'complex64' }), /weight '.*\/kernel' has dtype "complex64"; webcnn reads float32, int32, bool weights/);
    await refuses(spec({ quantization: { dtype: 'uint8', scale: 1, min: 0 } }), /the weight data holds \d+ bytes but the manifest's 8 weights need \d+/);
    await refuses(spec({ quantization: { dtype: 'int4' } }), /weight '.*\/kernel' has quantization .*expected \{ dtype: 'uint8' \| 'uint16' \| 'float16'/);
    await refuses(spec({ name: s.art.weightSpecs[1].name, shape: s.art.weightSpecs[1].shape }),
      /the weight data holds|weight '.*' appears twice in the manifest/);
  });

  it('weights the model does not have, and weights named after another layer', async () => {
    const extra = { ...s.art, weightSpecs: [...s.art.weightSpecs, { name: 'ghost/kernel', shape: [2], dtype: 'float32' as const }], weightData: new Uint8Array([...new Uint8Array(s.art.weightData), 0, 0, 0, 0, 0, 0, 0, 0]).buffer };
    await refuses(extra, /the weights file holds ghost\/kernel, which the model does not have/);
    const renamed = { ...s.art, weightSpecs: s.art.weightSpecs.map((w, i) => (i === 0 ? { ...w, name: 'other/kernel' } : w)) };
    await refuses(renamed, /the weights file has no values for .*\/kernel \(it holds other\/kernel, /);
  });

  it('a topology that asks for absurd sizes fails before allocating them', async () => {
    const topo = s.topo();
    (layersOf(topo)[3].config as Obj).units = 2_000_000_000;
    // refused before the 36e9 values are made: the backend is asked for no more than the layers before it hold
    const { values } = await countAllocated(() => refuses({ ...s.art, modelTopology: topo }, /layer 'dense_\d+' needs a weight 'kernel' of shape \[18, 2000000000\] \(36000000000 values\); the weights file holds 85 values in all, so the topology cannot be right/));
    expect(values).toBeLessThanOrEqual(85);
    // a size a machine could allocate (18M values) is refused the same way: the file bounds the model, not memory
    const big = s.topo();
    (layersOf(big)[3].config as Obj).units = 1_000_000;
    const mid = await countAllocated(() => refuses({ ...s.art, modelTopology: big }, /layer 'dense_\d+' needs a weight 'kernel' of shape \[18, 1000000\]/));
    expect(mid.values).toBeLessThanOrEqual(85);
    const wide = s.topo();
    (layersOf(wide)[0].config as Obj).batch_input_shape = [null, 5, 5, 100_000_000];
    await refuses({ ...s.art, modelTopology: wide }, /layer 'conv2d_\d+' needs a weight 'kernel' of shape \[3, 3, 100000000, 2\]/);
  });

  it('layer configs of the wrong JSON type name the layer and the field', async () => {
    const cases: [(cfg: Obj) => void, RegExp][] = [
      [(c) => { c.filters = 'two'; }, /conv2d 'conv2d_\d+': filters must be a positive integer, got "two"/],
      [(c) => { c.kernel_size = { h: 3 }; }, /kernelSize must be a positive integer or two positive integers, got \{"h":3\}/],
      [(c) => { c.kernel_size = 7; }, /the height kernel extent 7 .* larger than the padded input 5/],
      [(c) => { c.batch_input_shape = 5; }, /batchInputShape must be a list of non-negative integers .* got 5/],
      [(c) => { c.name = 42; }, /name must be a non-empty string, got 42/],
      [(c) => { c.trainable = 'yes'; }, /trainable must be true or false, got "yes"/],
      [(c) => { c.activation = ['relu']; }, /unknown activation 'relu'|unknown activation/],
      [(c) => { c.kernel_initializer = 3; }, /an initializer must be a name .* got 3/],
      [(c) => { c.kernel_initializer = { class_name: 'Magic', config: {} }; }, /unknown initializer 'Magic'/],
      [(c) => { c.kernel_regularizer = 'lots'; }, /kernelRegularizer must be \{class_name, config\}, got "lots"/],
      [(c) => { c.padding = 'full'; }, /padding must be one of 'valid', 'same', got "full"/],
      [(c) => { c.data_format = 'channels_first'; }, /only channels-last \(NHWC\) data is supported, got dataFormat 'channelsFirst'/],
    ];
    for (const [mutate, message] of cases) {
      const topo = s.topo();
      mutate(layersOf(topo)[0].config as Obj);
      await refuses({ ...s.art, modelTopology: topo }, message);
    }
  });

  it('topologies of the wrong shape', async () => {
    await refuses({ ...s.art, modelTopology: 'Sequential' }, /modelTopology must be an object \(the Keras model config\), got a string/);
    await refuses({ ...s.art, modelTopology: { class_name: 'Sequential' } }, /modelTopology\.config must be an object, got none/);
    await refuses({ ...s.art, modelTopology: { class_name: 'Transformer', config: {} } }, /unknown model class 'Transformer'; expected 'Sequential', 'Model' or 'Functional'/);
    await refuses({ ...s.art, modelTopology: { class_name: 'Sequential', config: { layers: 'conv' } } }, /a Sequential topology needs a 'layers' list/);
    const topo = s.topo();
    layersOf(topo)[1] = 17 as never;
    await refuses({ ...s.art, modelTopology: topo }, /each layer must be \{class_name, config\}, got 17/);
    const named = s.topo();
    layersOf(named)[2].class_name = 'constructor';
    await refuses({ ...s.art, modelTopology: named }, /unknown layer class 'constructor'; webcnn knows Conv2D/);
  });

  it('a model.json from a newer, unknown format version', async () => {
    for (const version of ['4.0.0', 'tfjs-layers 5.0.1', 'keras-next', '']) {
      await refuses({ ...s.art, modelTopology: { ...s.topo(), keras_version: version } },
        new RegExp(`the model was saved by (Keras|TensorFlow\\.js layers) version ${version.replace('.', '\\.')}.*a format webcnn does not know; it reads models from Keras 1 to 3 and TensorFlow\\.js layers 1 to 4`));
    }
    // Keras 3 writes inbound nodes as {args, kwargs}
    const inp = wc.input({ shape: [3], name: 'k3_in' });
    const out = wc.layers.dense({ units: 2, name: 'k3_dense' }).apply(inp);
    const fn = await wc.modelToArtifacts(wc.model({ inputs: inp, outputs: out }));
    const topo = JSON.parse(JSON.stringify(fn.modelTopology)) as Obj;
    layersOf(topo).find((l) => l.name === 'k3_dense')!.inbound_nodes = [{ args: [{ class_name: '__keras_tensor__' }], kwargs: {} }];
    await refuses({ ...fn, modelTopology: topo }, /layer 'k3_dense' has an inbound node .*Keras 3's \{args, kwargs\} nodes are not read/);
    // the versions webcnn knows still load
    for (const version of ['2.15.0', '3.3.3', 'tfjs-layers 4.22.0', 'tfjs-layers 1.0.0']) {
      const m = await wc.loadModel({ ...s.art, modelTopology: { ...s.topo(), keras_version: version } });
      expect(m.countParams()).toBe(s.model.countParams());
    }
  });

  it('a model.json in memory: text or object plus the weight bytes (one buffer, or one per shard)', async () => {
    const modelJson = { format: 'layers-model', generatedBy: 'test', convertedBy: null, modelTopology: s.art.modelTopology, weightsManifest: [{ paths: ['a.bin', 'b.bin'], weights: s.art.weightSpecs }] };
    const bytes = s.art.weightData;
    const x = wc.tensor(randomValues(50, 1), [2, 5, 5, 1]);
    const want = [...await (s.model.predict(x) as wc.Tensor).data()];
    for (const source of [
      { modelJson: JSON.stringify(modelJson), weightData: bytes },
      { modelJson, weightData: [bytes.slice(0, 100), bytes.slice(100)] },
    ]) {
      const m = await wc.loadModel(source as wc.ModelJsonSource);
      expect([...await (m.predict(x) as wc.Tensor).data()]).toEqual(want);
    }
    await refuses({ modelJson: '{"modelTopology": ', weightData: bytes }, /model\.json is not valid JSON/);
    await refuses({ modelJson: '[1, 2]', weightData: bytes }, /model\.json must hold an object, got an array/);
    await refuses({ modelJson: { ...modelJson, weightsManifest: {} }, weightData: bytes }, /weightsManifest must be an array, got an object/);
    await refuses({ modelJson: { ...modelJson, weightsManifest: [{ paths: 'a.bin', weights: [] }] }, weightData: bytes }, /weightsManifest\[0\] must have 'paths' \(strings\) and 'weights' arrays/);
    await refuses({ modelJson, weightData: [bytes, bytes, bytes] }, /weightsManifest names 2 weight file\(s\), got 3 buffers/);
    await refuses({ modelJson, weightData: 'bytes' }, /weightData must be an ArrayBuffer or a list of ArrayBuffers, got a string/);
    await refuses({ modelJson: { ...modelJson, format: 'graph-model' }, weightData: bytes }, /unsupported model format 'graph-model'/);
  });

  it('sources that are not a model at all', async () => {
    await refuses(null, /expected a path or URL to model\.json, an IO handler, model artifacts or \{ modelJson, weightData \}, got null/);
    await refuses(42, /got a number/);
    await refuses({ weights: [] }, /expected an IO handler with load\(\), model artifacts \(modelTopology, \.\.\.\) or \{ modelJson, weightData \}; got an object with keys weights/);
    await refuses({ load: async () => 'nothing' }, /expected model artifacts \(an object with modelTopology, weightSpecs, weightData\), got a string/);
    await refuses({ load: async () => ({ ...s.art, format: 'graph-model' }) }, /unsupported model format 'graph-model'/);
  });

  it("a failed load leaves the caller's artifacts as they were", async () => {
    const topo = s.topo();
    (layersOf(topo)[3].config as Obj).units = 4;
    const before = JSON.stringify(topo);
    await refuses({ ...s.art, modelTopology: topo }, /weight 'dense_\d+\/kernel' has shape \[18, 3\] in the file, but the model needs \[18, 4\]/);
    expect(JSON.stringify(topo)).toBe(before);
  });
});

describe('loadMnist and parseIdx: files that are not MNIST IDX files', () => {
  const { loadMnist, parseIdx } = wc.data;
  const images = (n: number) => idx(3, [n, 28, 28], new Uint8Array(n * 784));
  const labels = (values: number[]) => idx(1, [values.length], values);
  const four = (patch: Record<string, unknown>) => ({ source: { trainImages: images(2), trainLabels: labels([1, 2]), testImages: images(1), testLabels: labels([3]), ...patch } as wc.data.MnistSource });

  it('a gzip file, an HTML page, an empty file, text in place of bytes', async () => {
    const gz = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]);
    await expectCleanError(() => loadMnist(four({ trainImages: gz })), /loadMnist: train-images-idx3-ubyte is not an unsigned-byte IDX file of rank 3: expected magic 0x00000803, got 0x1f8b0800 \(this is a gzip file: decompress it first\)/);
    const html = new TextEncoder().encode('<!doctype html><title>404</title>');
    await expectCleanError(() => loadMnist(four({ testLabels: html })), /loadMnist: t10k-labels-idx1-ubyte is not an unsigned-byte IDX file of rank 1: expected magic 0x00000801, got 0x3c21646f/);
    await expectCleanError(() => loadMnist(four({ trainLabels: new Uint8Array(0) })), /loadMnist: train-labels-idx1-ubyte is not an IDX file: expected at least a 4-byte header, got 0 bytes/);
    await expectCleanError(() => loadMnist(four({ testImages: 42 })), /loadMnist: source\.testImages must be a Uint8Array, an ArrayBuffer or a path\/URL string, got number/);
    await expectCleanError(() => parseIdx('0000' as never, 'x', 1), /loadMnist: x must be bytes \(a Uint8Array or an ArrayBuffer\), got string/);
    await expectCleanError(() => loadMnist(null as never), /loadMnist: options must be an object/);
    await expectCleanError(() => loadMnist({ source: null as never }), /loadMnist: source must be a folder \(path or URL\) or an object of the four files, got null/);
  });

  it('labels and images that disagree, labels out of range, no images at all, a wrong rank', async () => {
    await expectCleanError(() => loadMnist(four({ trainLabels: labels([1, 2, 3]) })), /loadMnist: train-images-idx3-ubyte holds 2 images but train-labels-idx1-ubyte holds 3 labels/);
    await expectCleanError(() => loadMnist(four({ testLabels: labels([12]) })), /loadMnist: t10k-labels-idx1-ubyte label 0 is 12, expected a digit 0\.\.9/);
    await expectCleanError(() => loadMnist(four({ trainImages: images(0), trainLabels: labels([]) })), /loadMnist: train-images-idx3-ubyte holds no images \(its header declares 0\); expected at least one/);
    await expectCleanError(() => loadMnist(four({ trainImages: labels([1, 2]) })), /train-images-idx3-ubyte is not an unsigned-byte IDX file of rank 3: expected magic 0x00000803, got 0x00000801/);
    await expectCleanError(() => loadMnist(four({ testImages: idx(3, [1, 28, 28], new Uint8Array(785)) })), /t10k-images-idx3-ubyte is longer than its header says: header declares dims \[1, 28, 28\] = 800 bytes, got 801 bytes/);
    // parseIdx takes an ArrayBuffer too
    expect(parseIdx(labels([4, 5]).buffer as ArrayBuffer, 'labels', 1).dims).toEqual([2]);
    const d = await loadMnist(four({}));
    expect([d.train.count, d.test.count]).toEqual([2, 1]);
  });
});
