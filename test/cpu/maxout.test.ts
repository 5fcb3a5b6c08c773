// Maxout (the maxout / maxoutBackward kernels) as TensorFlow Addons'
// Maxout(num_units, axis) computes it: reshape the axis C to [C / units, units]
// and reduce the first by max. Checked by hand, against that very computation
// in TensorFlow.js (values; gradients where there are no ties), ties (the
// first maximum takes the gradient) and central differences.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await wc.setBackend('cpu');
});

const { maxout, maxoutBackward } = wc.ops;
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** TensorFlow Addons' Maxout.call, in TF.js ops. */
function tfaMaxout(x: tf.Tensor, units: number, axis: number): tf.Tensor {
  const shape = [...x.shape];
  const k = shape[axis] / units;
  const expand = [...shape];
  expand[axis] = units;
  expand.splice(axis, 0, k);
  return tf.max(tf.reshape(x, expand), axis);
}

describe('maxout (cpu): hand-computed answers', () => {
  it('unit u is the maximum of features u, u + units, ... (interleaved, as TFA)', () => {
    // 6 features, 2 units: unit 0 = max(x0, x2, x4), unit 1 = max(x1, x3, x5).
    const y = maxout(t([1, 9, 5, 2, 3, 4, -1, -2, -3, -4, -5, -6], [2, 6]), 2, 1);
    expect(y.shape).toEqual([2, 2]);
    expect([...y.dataSync()]).toEqual([5, 9, -1, -2]);
  });

  it('the gradient goes to the first maximum of a tie', () => {
    const x = t([4, 1, 4, 7, 2, 7], [1, 6]);
    const dx = maxoutBackward(t([10, 20], [1, 2]), x, 2, 1);
    expect([...dx.dataSync()]).toEqual([10, 0, 0, 20, 0, 0]);
  });
});

describe('maxout vs TensorFlow Addons (in TF.js ops)', () => {
  for (const [shape, units, axis] of [[[2, 3, 3, 8], 4, 3], [[2, 6, 2, 2], 3, 1], [[3, 10], 5, 1], [[2, 4, 3], 1, 1], [[2, 4], 4, 1]] as const) {
    it(`${JSON.stringify(shape)}, ${units} units on axis ${axis}`, () => {
      const s = [...shape];
      const xv = randomValues(size(s), s.length + units);
      const wy = maxout(wc.tensor(xv, s), units, axis);
      const ty = tfaMaxout(tf.tensor(xv, s), units, axis);
      expect(wy.shape).toEqual(ty.shape);
      expectClose(wy.dataSync(), ty.dataSync() as Float32Array, { atol: 0, rtol: 0 }, 'value');
      // random values have no ties, where TensorFlow's max gradient and the first maximum agree
      const dyv = randomValues(wy.size, 5);
      const wg = maxoutBackward(wc.tensor(dyv, [...wy.shape]), wc.tensor(xv, s), units, axis);
      const tg = tf.grad((x: tf.Tensor) => tfaMaxout(x, units, axis))(tf.tensor(xv, s), tf.tensor(dyv, ty.shape));
      expectClose(wg.dataSync(), tg.dataSync() as Float32Array, { atol: 0, rtol: 0 }, 'gradient');
    });
  }

  it('central differences', () => {
    const s = [2, 3, 12];
    const xv = randomValues(size(s), 8);
    checkGradient('maxout', xv, size(s) / 4, (p) => maxout(t(p, s), 3, 2).dataSync(),
      (r) => maxoutBackward(t(r, [2, 3, 3]), t(xv, s), 3, 2).dataSync());
  });
});

describe('maxout: invalid arguments', () => {
  it('names the op', () => {
    const x = t(randomValues(12, 1), [2, 6]);
    expect(() => maxout(x, 4, 1)).toThrow(/maxout: the number of features \(6, axis 1 of \[2, 6\]\) must be a multiple of numUnits \(4\)/);
    expect(() => maxout(x, 0, 1)).toThrow(/maxout: numUnits must be a positive integer/);
    expect(() => maxout(x, 2, 2)).toThrow(/maxout: expected an axis/);
    expect(() => maxoutBackward(t([1], [1, 1]), x, 2, 1)).toThrow(/maxoutBackward: expected dy of shape \[2, 2\]/);
  });
});
