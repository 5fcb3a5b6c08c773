// tf.depthwiseConv2d and tf.separableConv2d: hand-computed values, values and
// gradients against the real TensorFlow.js on awkward shapes (stride 2
// 'same', dilation, depth multipliers, explicit pads, one image), finite
// differences, and the errors.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { checkGradient } from './gradcheck.js';

beforeAll(async () => { await tf.setBackend('cpu'); });
const SAME = { atol: 1e-5, rtol: 1e-4 };
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('depthwiseConv2d', () => {
  it('by hand: each channel through its own filters, output channel c·m + q', () => {
    // one 2x2 image, 2 channels; 1x1 filters, multiplier 2: channel 0 times [1, 2], channel 1 times [3, 4]
    const x = wc.tensor([[[[1, 10], [2, 20]], [[3, 30], [4, 40]]]]);
    const f = wc.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    expect(wc.depthwiseConv2d(x, f, 1, 'valid').arraySync()).toEqual([[[[1, 2, 30, 40], [2, 4, 60, 80]], [[3, 6, 90, 120], [4, 8, 120, 160]]]]);
    // a 2x2 box filter on one channel, 'valid'
    const box = wc.depthwiseConv2d(wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), wc.ones([2, 2, 1, 1]), 1, 'valid');
    expect(box.arraySync()).toEqual([[[[12], [16]], [[24], [28]]]]);
  });

  it('by hand: the kernel with a bias and a fused relu / relu6 (what inference runs for depthwise -> BN -> relu6)', () => {
    const x = wc.tensor([[[[1, 10], [2, 20]], [[3, 30], [4, 40]]]]);
    const f = wc.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const bias = wc.tensor([-2, 1, -100, -33]);
    const p = { strides: [1, 1], padding: 'valid', dilations: [1, 1] } as const;
    // + bias: [-1, 3, -70, 7], [0, 5, -40, 47], [1, 7, -10, 87], [2, 9, 20, 127]
    expect(wc.ops.depthwiseConv2d(x, f, p, bias, 'linear').dataSync()).toEqual(new Float32Array([-1, 3, -70, 7, 0, 5, -40, 47, 1, 7, -10, 87, 2, 9, 20, 127]));
    expect(wc.ops.depthwiseConv2d(x, f, p, bias, 'relu').dataSync()).toEqual(new Float32Array([0, 3, 0, 7, 0, 5, 0, 47, 1, 7, 0, 87, 2, 9, 20, 127]));
    expect(wc.ops.depthwiseConv2d(x, f, p, bias, 'relu6').dataSync()).toEqual(new Float32Array([0, 3, 0, 6, 0, 5, 0, 6, 1, 6, 0, 6, 2, 6, 6, 6]));
    expect(() => wc.ops.depthwiseConv2d(x, f, p, wc.tensor([1, 2]), 'linear')).toThrow(/depthwiseConv2d: bias must have shape \[4\], got \[2\]/);
  });

  const cases: [string, number[], number[], number | [number, number], 'same' | 'valid' | number, number | [number, number]][] = [
    ['3x3 same, multiplier 1', [2, 5, 6, 3], [3, 3, 3, 1], 1, 'same', 1],
    ["3x3 stride 2 'same' (MobileNet's downsampling)", [2, 7, 6, 4], [3, 3, 4, 1], 2, 'same', 1],
    ['multiplier 2, valid, rectangular', [1, 6, 5, 2], [2, 3, 2, 2], [1, 2], 'valid', 1],
    ['dilation 2, same', [1, 7, 7, 3], [3, 3, 3, 2], 1, 'same', 2],
    ['explicit pad 1', [2, 4, 5, 2], [3, 3, 2, 3], 1, 1, 1],
  ];
  it.each(cases)('%s: values and gradients as TF.js', (_name, xs, fs, strides, pad, dil) => {
    const xv = randomValues(size(xs), 1);
    const fv = randomValues(size(fs), 2);
    const tfPad = typeof pad === 'number' ? [[0, 0], [pad, pad], [pad, pad], [0, 0]] as [number, number][] : pad;
    const ty = tf.depthwiseConv2d(tf.tensor4d(xv, xs as [number, number, number, number]), tf.tensor4d(fv, fs as [number, number, number, number]), strides, tfPad as 'same', 'NHWC', dil);
    const wy = wc.depthwiseConv2d(wc.tensor(xv, xs), wc.tensor(fv, fs), strides, pad, 'NHWC', dil);
    expect(wy.shape).toEqual(ty.shape);
    expectClose(wy.dataSync(), ty.dataSync(), SAME, 'forward');
    const dyv = randomValues(ty.size, 3);
    if (dil !== 1) {
      // TF.js has no gradient with dilations ("not yet supported"): finite differences instead
      checkGradient('dilated dFilter', fv, wy.size, (q) => wc.depthwiseConv2d(wc.tensor(xv, xs), wc.tensor(q, fs), strides, pad, 'NHWC', dil).dataSync(),
        (r) => wc.grad((b) => wc.depthwiseConv2d(wc.tensor(xv, xs), b, strides, pad, 'NHWC', dil))(wc.tensor(fv, fs), wc.tensor(r, wy.shape as number[])).dataSync());
      checkGradient('dilated dx', xv, wy.size, (q) => wc.depthwiseConv2d(wc.tensor(q, xs), wc.tensor(fv, fs), strides, pad, 'NHWC', dil).dataSync(),
        (r) => wc.grad((a) => wc.depthwiseConv2d(a, wc.tensor(fv, fs), strides, pad, 'NHWC', dil))(wc.tensor(xv, xs), wc.tensor(r, wy.shape as number[])).dataSync());
      return;
    }
    const [tdx, tdf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, tfPad as 'same', 'NHWC', dil))([tf.tensor(xv, xs), tf.tensor(fv, fs)], tf.tensor(dyv, ty.shape));
    const [wdx, wdf] = wc.grads((a, b) => wc.depthwiseConv2d(a, b, strides, pad, 'NHWC', dil))([wc.tensor(xv, xs), wc.tensor(fv, fs)], wc.tensor(dyv, wy.shape as number[]));
    expectClose(wdx.dataSync(), tdx.dataSync(), SAME, 'dx');
    expectClose(wdf.dataSync(), tdf.dataSync(), SAME, 'dFilter');
  });

  it('finite differences of both gradients, and one image (rank 3)', () => {
    const xs = [1, 5, 4, 2];
    const fs = [3, 2, 2, 2];
    const x = randomValues(size(xs), 4);
    const f = randomValues(size(fs), 5);
    const out = wc.depthwiseConv2d(wc.tensor(x, xs), wc.tensor(f, fs), [2, 1], 'same');
    checkGradient('dx', x, out.size, (p) => wc.depthwiseConv2d(wc.tensor(p, xs), wc.tensor(f, fs), [2, 1], 'same').dataSync(),
      (r) => wc.grad((a) => wc.depthwiseConv2d(a, wc.tensor(f, fs), [2, 1], 'same'))(wc.tensor(x, xs), wc.tensor(r, out.shape as number[])).dataSync());
    checkGradient('dFilter', f, out.size, (p) => wc.depthwiseConv2d(wc.tensor(x, xs), wc.tensor(p, fs), [2, 1], 'same').dataSync(),
      (r) => wc.grad((b) => wc.depthwiseConv2d(wc.tensor(x, xs), b, [2, 1], 'same'))(wc.tensor(f, fs), wc.tensor(r, out.shape as number[])).dataSync());
    const one = wc.depthwiseConv2d(wc.tensor(x, xs.slice(1)), wc.tensor(f, fs), [2, 1], 'same');
    expect(one.shape).toEqual(out.shape.slice(1));
    expect(Array.from(one.dataSync())).toEqual(Array.from(out.dataSync()));
  });

  it('refuses mismatched channels, strides with dilations, NCHW and bad filters, naming the op', () => {
    const x = wc.zeros([1, 4, 4, 3]);
    expect(() => wc.depthwiseConv2d(x, wc.zeros([3, 3, 2, 1]), 1, 'same')).toThrow(/depthwiseConv2d: the filter has 2 input channels .* but x has 3/);
    expect(() => wc.depthwiseConv2d(x, wc.zeros([3, 3, 3, 1]), 2, 'same', 'NHWC', 2)).toThrow(/either strides or dilations must be 1/);
    expect(() => wc.depthwiseConv2d(x, wc.zeros([3, 3, 3, 1]), 1, 'same', 'NCHW')).toThrow(/dataFormat must be 'NHWC'/);
    expect(() => wc.depthwiseConv2d(x, wc.zeros([3, 3, 3]), 1, 'same')).toThrow(/filter must be rank 4/);
  });
});

describe('separableConv2d', () => {
  it('values and gradients as TF.js', () => {
    const xs = [2, 6, 5, 3];
    const xv = randomValues(size(xs), 6);
    const dv = randomValues(3 * 3 * 3 * 2, 7);
    const pv = randomValues(6 * 4, 8);
    const ty = tf.separableConv2d(tf.tensor4d(xv, xs as [number, number, number, number]), tf.tensor4d(dv, [3, 3, 3, 2]), tf.tensor4d(pv, [1, 1, 6, 4]), 2, 'same');
    const wy = wc.separableConv2d(wc.tensor(xv, xs), wc.tensor(dv, [3, 3, 3, 2]), wc.tensor(pv, [1, 1, 6, 4]), 2, 'same');
    expectClose(wy.dataSync(), ty.dataSync(), SAME, 'forward');
    const tg = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.separableConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, 2, 'same'))([tf.tensor(xv, xs), tf.tensor(dv, [3, 3, 3, 2]), tf.tensor(pv, [1, 1, 6, 4])]);
    const wg = wc.grads((a, b, c) => wc.separableConv2d(a, b, c, 2, 'same'))([wc.tensor(xv, xs), wc.tensor(dv, [3, 3, 3, 2]), wc.tensor(pv, [1, 1, 6, 4])]);
    wg.forEach((g, i) => expectClose(g.dataSync(), tg[i].dataSync(), SAME, `gradient ${i}`));
    expect(() => wc.separableConv2d(wc.tensor(xv, xs), wc.tensor(dv, [3, 3, 3, 2]), wc.zeros([1, 1, 5, 4]), 1, 'same')).toThrow(/pointwiseFilter's input depth 5 must be the depthwise output depth 3·2/);
  });
});
