// Weight encodings TF.js's layers-model files use beyond float32: int32 and
// bool weights, and the converter's uint8 / uint16 (affine) and float16
// quantizations. Hand-checked encodings; model.save(target, { quantize })
// loads in the real TensorFlow.js with the same predictions as in webcnn;
// files quantized as the converter writes them load in both alike.

import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { affineRange, decodeWeight, encodeWeight, floatToHalf, halfToFloat } from '../../src/io/weightCodec.js';
import { expectClose, randomValues } from '../util/check.js';

const SAME = { atol: 1e-5, rtol: 1e-4 };

describe('the encodings, by hand', () => {
  it('float16: exact values, rounding to nearest even, subnormals, overflow, infinities and NaN', () => {
    expect([1, -2, 0.5, 65504, 0, -0].map(floatToHalf)).toEqual([0x3c00, 0xc000, 0x3800, 0x7bff, 0, 0x8000]);
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1)
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(floatToHalf(2 ** -24)).toBe(1);                  // the smallest subnormal
    expect(floatToHalf(2 ** -26)).toBe(0);                  // below half of it: zero
    expect(floatToHalf(70000)).toBe(0x7c00);                // past the range: infinity
    expect(floatToHalf(-Infinity)).toBe(0xfc00);
    expect(Number.isNaN(halfToFloat(floatToHalf(NaN)))).toBe(true);
    for (const v of [1, -2, 0.5, 65504, 2 ** -24, 3.140625, -0.0999755859375]) expect(halfToFloat(floatToHalf(v))).toBe(v);
  });

  it('uint8: the range always holds 0, nudged so that 0 is exact; values round to the nearest step', () => {
    const r = affineRange(-1, 3, 'uint8');
    expect(r.scale).toBeCloseTo(4 / 255, 12);
    expect(Math.round(-r.min / r.scale) * r.scale + r.min).toBeCloseTo(0, 12);
    const { spec, bytes } = encodeWeight('w', [4], Float32Array.from([-1, 0, 1, 3]), 'uint8');
    expect(spec.quantization).toMatchObject({ dtype: 'uint8', original_dtype: 'float32' });
    expect(Array.from(bytes)).toEqual([0, 64, 128, 255]);
    const back = decodeWeight(spec, bytes.slice().buffer);
    expect(back[1]).toBe(0);
    expectClose(back, [-1, 0, 1, 3], { atol: r.scale / 2 + 1e-7, rtol: 0 }, 'uint8 round trip');
    // all positive: min is 0
    expect(affineRange(2, 5, 'uint16').min).toBe(0);
    expect(() => encodeWeight('w', [1], Float32Array.from([NaN]), 'uint8')).toThrow(/weight 'w' holds NaN; uint8 quantization needs finite values/);
  });

  it('int32 and bool weights decode to their values', () => {
    const ints = new Int32Array([-3, 0, 7]);
    expect(Array.from(decodeWeight({ name: 'i', shape: [3], dtype: 'int32' }, ints.buffer))).toEqual([-3, 0, 7]);
    expect(Array.from(decodeWeight({ name: 'b', shape: [3], dtype: 'bool' }, Uint8Array.from([1, 0, 2]).buffer))).toEqual([1, 0, 1]);
    // a uint8-quantized int32 weight rounds after dequantizing, as TF.js does
    expect(Array.from(decodeWeight({ name: 'q', shape: [2], dtype: 'int32', quantization: { dtype: 'uint8', min: -1, scale: 0.5, original_dtype: 'int32' } }, Uint8Array.from([0, 5]).buffer))).toEqual([-1, 2]);
  });
});

function tfModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.batchNormalization({}));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  m.setWeights(m.getWeights().map((w, i) => tf.tensor(randomValues(w.size, 40 + i, i === 7 ? 0.5 : -0.5, i === 7 ? 1.5 : 0.5), w.shape)));
  return m;
}

async function tfArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return saved!;
}

describe('quantized models between webcnn and TensorFlow.js', () => {
  const x = randomValues(2 * 6 * 6 * 2, 5);
  it.each(['uint8', 'uint16', 'float16'] as const)('model.save(target, { quantize: %s }): smaller, and TF.js predicts what webcnn predicts from it', async (quantize) => {
    const model = await wc.loadModel(await tfArtifacts(tfModel()) as unknown as wc.ModelArtifacts);
    const full = await wc.modelToArtifacts(model);
    const saved: { a?: wc.ModelArtifacts } = {};
    await model.save({ save: async (a) => { saved.a = a; return {}; } }, { quantize });
    const q = saved.a!;
    expect(q.weightData.byteLength).toBe(full.weightData.byteLength / (quantize === 'uint8' ? 4 : 2));
    expect(q.weightSpecs.every((s) => s.quantization?.dtype === quantize)).toBe(true);
    const back = await wc.loadModel(q);
    const ours = await (back.predict(wc.tensor(x, [2, 6, 6, 2])) as wc.Tensor).data();
    const tfm = await tf.loadLayersModel(tf.io.fromMemory(q as unknown as tf.io.ModelArtifacts));
    const theirs = await (tfm.predict(tf.tensor(x, [2, 6, 6, 2])) as tf.Tensor).data();
    expectClose(ours, theirs, SAME, `${quantize}: webcnn and TF.js from the same quantized file`);
    // and close to the float32 model, within what the quantization loses
    const exact = await (model.predict(wc.tensor(x, [2, 6, 6, 2])) as wc.Tensor).data();
    expectClose(ours, exact, { atol: quantize === 'uint8' ? 0.05 : 2e-3, rtol: 0 }, `${quantize} against float32`);
  });

  it('a file quantized by hand as the converter writes it (one weight each way) loads in both alike', async () => {
    const tfm = tfModel();
    const a = await tfArtifacts(tfm);
    const specs = a.weightSpecs!;
    const data = new Float32Array(a.weightData as ArrayBuffer);
    // re-encode: the first weight uint8, the second float16, the rest as they are
    const parts: Uint8Array[] = [];
    let at = 0;
    const newSpecs = specs.map((s, i) => {
      const n = s.shape.reduce((p, q) => p * q, 1);
      const values = data.slice(at, at + n);
      at += n;
      const e = encodeWeight(s.name, s.shape, values, i === 0 ? 'uint8' : i === 1 ? 'float16' : undefined);
      parts.push(e.bytes);
      return e.spec;
    });
    const bytes = new Uint8Array(parts.reduce((p, b) => p + b.byteLength, 0));
    let o = 0;
    for (const b of parts) { bytes.set(b, o); o += b.byteLength; }
    const mixed = { ...a, weightSpecs: newSpecs, weightData: bytes.buffer };
    const fromTf = await tf.loadLayersModel(tf.io.fromMemory(mixed as unknown as tf.io.ModelArtifacts));
    const fromWc = await wc.loadModel(mixed as unknown as wc.ModelArtifacts);
    expectClose(await (fromWc.predict(wc.tensor(x, [2, 6, 6, 2])) as wc.Tensor).data(), await (fromTf.predict(tf.tensor(x, [2, 6, 6, 2])) as tf.Tensor).data(), SAME, 'mixed encodings');
  });

  it('refuses what it cannot read, naming the weight', async () => {
    const model = wc.sequential({ layers: [wc.layers.dense({ inputShape: [2], units: 1 })] });
    const a = await wc.modelToArtifacts(model);
    const bad = (q: unknown) => wc.loadModel({ ...a, weightSpecs: a.weightSpecs.map((s) => ({ ...s, quantization: q })) } as unknown as wc.ModelArtifacts);
    await expect(bad({ dtype: 'uint4' })).rejects.toThrow(/weight 'dense_\d+\/kernel' has quantization .*expected \{ dtype: 'uint8' \| 'uint16' \| 'float16'/);
    await expect(bad({ dtype: 'uint8', scale: 1 })).rejects.toThrow(/is uint8-quantized without a finite min and scale/);
    await expect(wc.loadModel({ ...a, weightSpecs: a.weightSpecs.map((s) => ({ ...s, dtype: 'string' })) } as unknown as wc.ModelArtifacts)).rejects.toThrow(/has dtype "string"|has dtype 'string'|has dtype string/);
    await expect(model.save({ save: async () => ({}) }, { quantize: 'int4' as never })).rejects.toThrow(/quantize must be 'uint8', 'uint16' or 'float16', got int4/);
  });
});
