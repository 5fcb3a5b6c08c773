// What a model is checked for when it is built: every layer's output (and
// weight) fits in what a backend can hold, 2^31 - 1 values per example, so
// absurd layer arguments are refused then, naming the layer, its output shape
// and the size, in code and in model.json alike; and the error messages of
// layer arguments and graphs quote a bounded prefix of what they were given.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { countAllocated, expectCleanError } from './state.js';

type Obj = { [k: string]: unknown };
const L = wc.layers;

beforeAll(async () => {
  await wc.setBackend('cpu');
});

describe('activation sizes are checked when the model is built', () => {
  it('in code: Sequential.add, a functional apply, and a Sequential built from data', async () => {
    const seq = wc.sequential({ layers: [L.dense({ units: 4, inputShape: [3], name: 'ok_dense' })] });
    await expectCleanError(() => seq.add(L.dense({ units: 2 ** 31, name: 'huge_dense' })),
      /^Dense 'huge_dense': output shape \[null,2147483648\] has 2147483648 values per example, more than a backend can hold \(2147483647, 2\^31 - 1\)/);
    // refused before it joined the chain or made its kernel
    expect(seq.layers.map((l) => l.name)).toEqual(['ok_dense']);

    const inp = wc.input({ shape: [8, 8, 3] });
    await expectCleanError(() => L.zeroPadding2d({ padding: 20_000, name: 'huge_pad' }).apply(inp),
      /^ZeroPadding2D 'huge_pad': output shape \[null,40008,40008,3\] has 4801920192 values per example, more than a backend can hold/);
    // a fixed batch counts the whole batch
    const batched = wc.input({ batchShape: [64, 6000, 6000, 1] });
    await expectCleanError(() => L.conv2d({ filters: 1, kernelSize: 1, name: 'batched_conv' }).apply(batched),
      /^Conv2D 'batched_conv': output shape \[64,6000,6000,1\] has 2304000000 values, more than a backend can hold/);
    // just under the limit is allowed (only symbolic: nothing that size is made)
    expect(L.zeroPadding2d({ padding: [[0, 0], [0, 0]] }).apply(wc.input({ shape: [46340, 46340, 1] })).shape).toEqual([null, 46340, 46340, 1]);

    // without an input shape the chain is built from the first data: refused then, before any layer builds
    const lazy = wc.sequential({ layers: [L.dense({ units: 3, name: 'lazy_dense' }), L.reshape({ targetShape: [3, 1, 1] }), L.zeroPadding2d({ padding: 30_000, name: 'lazy_pad' })] });
    const before = wc.memory().numTensors;
    await expectCleanError(() => lazy.predict(wc.tensor([1, 2], [1, 2])),
      /ZeroPadding2D 'lazy_pad': output shape \[null,60003,60001,1\] has 3600240003 values per example/);
    expect(lazy.getLayer('lazy_dense').built).toBe(false);
    expect(wc.memory().numTensors).toBe(before + 1);
  });

  it('weights are checked too', async () => {
    await expectCleanError(() => L.dense({ units: 1 << 16, name: 'wide_dense' }).apply(wc.input({ shape: [1 << 16] })),
      /^Dense 'wide_dense': weight 'kernel' of shape \[65536,65536\] has 4294967296 values, more than a backend can hold \(2147483647, 2\^31 - 1\)/);
  });

  it('from model.json: a layer argument that makes an absurd activation is refused on load, naming the layer', async () => {
    // no weights after the padding: only the size check stands between this file and a RangeError at predict time
    const model = wc.sequential({ layers: [L.zeroPadding2d({ inputShape: [2, 2, 1], padding: 1, name: 'file_pad' }), L.globalAveragePooling2d({})] });
    const art = await wc.modelToArtifacts(model);
    const topo = JSON.parse(JSON.stringify(art.modelTopology)) as Obj;
    (((topo.config as Obj).layers as Obj[])[0].config as Obj).padding = 50_000;
    const { values, error } = await countAllocated(() => wc.loadModel({ ...art, modelTopology: topo as never }));
    await expectCleanError(() => { throw error; },
      /^loadModel: ZeroPadding2D 'file_pad': output shape \[null,100002,100002,1\] has 10000400004 values per example, more than a backend can hold \(2147483647, 2\^31 - 1\)/);
    expect(values).toBe(0);
  });
});

describe('error messages quote a bounded prefix of their input', () => {
  /** A chain of arrays nested n deep, built without recursion. */
  const nested = (n: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < n; i++) v = [v];
    return v;
  };

  it('layer arguments: huge and deeply nested values', async () => {
    const long = 'x'.repeat(1_000_000);
    const cases: [() => unknown, RegExp][] = [
      [() => L.dense({ units: long as never }), /^dense 'dense_\d+': units must be a positive integer, got "x{99}\.\.\.$/],
      [() => L.conv2d({ filters: 1, kernelSize: Array.from({ length: 100_000 }, () => 3) }), /kernelSize must be a positive integer or two positive integers, got \[3(,3)+,?\.\.\.$/],
      [() => L.dense({ units: 1, inputShape: nested(100_000) as never }), /^dense: inputShape must be a list of non-negative integers \(one sample's shape\), got \[+\.\.\.$/],
      [() => L.zeroPadding2d({ padding: nested(100_000) as never }), /padding must be n, \[rows, cols\] or \[\[top, bottom\], \[left, right\]\], got \[+\.\.\.$/],
      [() => L.dense({ units: 1, kernelInitializer: { deep: nested(100_000) } as never }), /an initializer must be a name .* got \{"deep":\[+\.\.\.$/],
      [() => L.dense({ units: 1, kernelRegularizer: nested(100_000) as never }), /unknown regularizer \[+\.\.\.; expected/],
    ];
    for (const [call, pattern] of cases) {
      const err = await expectCleanError(call, pattern);
      // the fixed text (up to the list of valid names) plus a 100-character quote
      expect(err.message.length).toBeLessThan(600);
    }
  });

  it('graphs and model.json: outputs that are not tensors, unknown classes and names', async () => {
    const inp = wc.input({ shape: [1] });
    const err = await expectCleanError(() => wc.model({ inputs: inp, outputs: [{ big: 'y'.repeat(100_000) }] as never }),
      /outputs\[0\] must be a symbolic tensor \(the result of layer\.apply\), got \{"big":"y+\.\.\.$/);
    expect(err.message.length).toBeLessThan(300);

    const model = wc.sequential({ layers: [L.dense({ units: 1, inputShape: [1], name: 'msg_dense' })] });
    const art = await wc.modelToArtifacts(model);
    const topo = JSON.parse(JSON.stringify(art.modelTopology)) as Obj;
    const entry = ((topo.config as Obj).layers as Obj[])[0];
    entry.class_name = 'Q'.repeat(100_000);
    const cls = await expectCleanError(() => wc.loadModel({ ...art, modelTopology: topo as never }), /^loadModel: unknown layer class 'Q{100}\.\.\.'; webcnn knows Conv2D/);
    expect(cls.message.length).toBeLessThan(1000);   // the clipped name plus the list of known classes
    entry.class_name = 'Dense';
    (entry.config as Obj).kernel_initializer = { class_name: 'Z'.repeat(100_000), config: {} };
    const init = await expectCleanError(() => wc.loadModel({ ...art, modelTopology: topo as never }), /unknown initializer 'Z{100}\.\.\.'; expected one of 'Zeros'/);
    expect(init.message.length).toBeLessThan(700);
  });
});
