import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { LocallyConnected2dParams } from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

const o = wc.ops;

describe('locallyConnected2d (cpu)', () => {
  it('by hand: each output position has its own weights', () => {
    // 1x3 image [1, 2, 3], kernel 1x2, stride 1: two positions, weights [a,b] and [c,d].
    const p: LocallyConnected2dParams = { kernelSize: [1, 2], strides: [1, 1] };
    const w = t([1, 1, 10, -1], [2, 2, 1]);
    const y = o.locallyConnected2d(t([1, 2, 3], [1, 1, 3, 1]), w, t([0, 100], [1, 2, 1]), p);
    expect([...y.dataSync()]).toEqual([1 + 2, 20 - 3 + 100]);
  });

  it('finite-difference gradients, stride 2, rectangular kernel, several channels', () => {
    const p: LocallyConnected2dParams = { kernelSize: [2, 3], strides: [2, 1] };
    const xShape = [2, 5, 6, 2];
    const oh = 2;
    const ow = 4;
    const wShape = [oh * ow, 2 * 3 * 2, 3];
    const xv = randomValues(xShape.reduce((a, b) => a * b), 1);
    const wv = randomValues(wShape.reduce((a, b) => a * b), 2);
    const bv = randomValues(oh * ow * 3, 3);
    const f = (xp: Float32Array, wp: Float32Array): Float32Array => o.locallyConnected2d(t(xp, xShape), t(wp, wShape), t(bv, [oh, ow, 3]), p).dataSync();
    const dyShape = [2, oh, ow, 3];
    const outSize = 2 * oh * ow * 3;
    checkGradient('dx', xv, outSize, (q) => f(q, wv), (r) => o.locallyConnected2dBackwardInput(t(r, dyShape), t(wv, wShape), xShape, p).dataSync());
    checkGradient('dW', wv, outSize, (q) => f(xv, q), (r) => o.locallyConnected2dBackwardFilter(t(xv, xShape), t(r, dyShape), wShape, p).dataSync());
  });

  it('names a wrong kernel shape', () => {
    const p: LocallyConnected2dParams = { kernelSize: [2, 2], strides: [1, 1] };
    expect(() => o.locallyConnected2d(t(new Float32Array(9), [1, 3, 3, 1]), t(new Float32Array(8), [2, 4, 1]), null, p))
      .toThrow(/locallyConnected2d: expected a kernel of shape \[4, 4, cout\] \(oh\*ow, kh\*kw\*cin, cout\), got \[2, 4, 1\]/);
  });
});
