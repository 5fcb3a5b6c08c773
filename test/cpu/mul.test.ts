import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

const o = wc.ops;

describe('mul (cpu)', () => {
  it('multiplies element-wise: [1, -2, 3.5, 0] * [4, 5, -2, 7] = [4, -10, -7, 0]', () => {
    const c = o.mul(t([1, -2, 3.5, 0], [2, 2]), t([4, 5, -2, 7], [2, 2]));
    expect(c.shape).toEqual([2, 2]);
    expect([...c.dataSync()]).toEqual([4, -10, -7, 0]);
  });

  it('refuses tensors of different shapes, naming the op and both shapes', () => {
    expect(() => o.mul(t([1, 2], [2]), t([1, 2], [1, 2]))).toThrow('mul: a and b must have the same shape, got [2] and [1, 2]');
  });

  it('mulBackward matches finite differences for both inputs', () => {
    const shape = [2, 3, 4];
    const a = randomValues(24, 1);
    const b = randomValues(24, 2);
    checkGradient('mul da', a, 24, (p) => o.mul(t(p, shape), t(b, shape)).dataSync(),
      (r) => o.mulBackward(t(r, shape), t(a, shape), t(b, shape))[0].dataSync());
    checkGradient('mul db', b, 24, (p) => o.mul(t(a, shape), t(p, shape)).dataSync(),
      (r) => o.mulBackward(t(r, shape), t(a, shape), t(b, shape))[1].dataSync());
  });
});
