import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

const o = wc.ops;

describe('structure ops (cpu)', () => {
  it('zero padding by hand, and its backward crops', () => {
    const y = o.zeroPad2d(t([1, 2, 3, 4], [1, 2, 2, 1]), [[1, 0], [0, 1]]);
    expect(y.shape).toEqual([1, 3, 3, 1]);
    expect([...y.dataSync()]).toEqual([0, 0, 0, 1, 2, 0, 3, 4, 0]);
    expect([...o.zeroPad2dBackward(y, [[1, 0], [0, 1]]).dataSync()]).toEqual([1, 2, 3, 4]);
  });

  it('concat along channels and its split', () => {
    const a = t([1, 2, 3, 4], [2, 2]);
    const b = t([5, 6], [2, 1]);
    const c = o.concat([a, b]);
    expect(c.shape).toEqual([2, 3]);
    expect([...c.dataSync()]).toEqual([1, 2, 5, 3, 4, 6]);
    const [da, db] = o.concatBackward(c, [2, 1]);
    expect([...da.dataSync()]).toEqual([1, 2, 3, 4]);
    expect([...db.dataSync()]).toEqual([5, 6]);
  });

  it('add, scale, sum, gatherRows', () => {
    const a = t([1, 2, 3, 4, 5, 6], [3, 2]);
    expect([...o.add(a, a).dataSync()]).toEqual([2, 4, 6, 8, 10, 12]);
    expect([...o.scale(a, 0.5).dataSync()]).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    const s = o.sum(a);
    expect(s.shape).toEqual([]);
    expect(s.dataSync()[0]).toBe(21);
    expect([...o.gatherRows(a, Int32Array.from([2, 0, 2])).dataSync()]).toEqual([5, 6, 1, 2, 5, 6]);
  });

  it('finite-difference gradients of padding and concat', () => {
    const pads = [[2, 1], [0, 3]] as const;
    const xv = randomValues(2 * 3 * 4 * 2, 7);
    const y = o.zeroPad2d(t(xv, [2, 3, 4, 2]), pads);
    checkGradient('zeroPad2d', xv, y.size, (p) => o.zeroPad2d(t(p, [2, 3, 4, 2]), pads).dataSync(),
      (r) => o.zeroPad2dBackward(t(r, [...y.shape]), pads).dataSync());
    const bv = randomValues(2 * 3 * 4 * 3, 8);
    const f = (p: Float32Array): Float32Array => o.concat([t(p, [2, 3, 4, 2]), t(bv, [2, 3, 4, 3])]).dataSync();
    checkGradient('concat', xv, 2 * 3 * 4 * 5, f, (r) => o.concatBackward(t(r, [2, 3, 4, 5]), [2, 3])[0].dataSync());
  });

  it('errors name the op', () => {
    expect(() => o.add(t([1], [1]), t([1, 2], [2]))).toThrow(/add: a and b must have the same shape, got \[1\] and \[2\]/);
    expect(() => o.concat([t([1, 2], [1, 2]), t([1, 2], [2, 1])])).toThrow(/concat: every tensor must match \[1, 2\] on all but the last axis, got \[2, 1\] at position 1/);
    expect(() => o.gatherRows(t([1, 2], [2, 1]), Int32Array.from([2]))).toThrow(/gatherRows: index 2 at position 0 is outside \[0, 2\)/);
    expect(() => o.zeroPad2d(t([1], [1, 1, 1, 1]), [[-1, 0], [0, 0]])).toThrow(/zeroPad2d: expected pads/);
  });

  it('refuses tensors of two backends in one op', async () => {
    const a = t([1], [1]);
    const fake = new wc.Tensor({ ...a.backend, name: 'webgpu' } as typeof a.backend, new Float32Array(1), [1]);
    expect(() => o.add(a, fake)).toThrow(/add: tensors from two different backends \('cpu' and 'webgpu'\)/);
  });
});
