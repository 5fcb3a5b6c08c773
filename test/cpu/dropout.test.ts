import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { dropoutUniform, pcgHash } from '../../src/kernels/dropout/mask.js';
import { dot, expectClose, numericGradient, randomValues } from '../util/check.js';

const { dropout, dropoutBackward } = wc.ops;

/** The spec written again with BigInt arithmetic mod 2^32: an independent oracle for the Math.imul version. */
function pcgHashBig(v: number): number {
  const M = 1n << 32n;
  const state = (BigInt(v) * 747796405n + 2891336453n) % M;
  const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) % M;
  return Number((word >> 22n) ^ word);
}

describe('dropout mask (shared with the WGSL kernel)', () => {
  it('pcgHash gives the known values the WGSL test asserts too', () => {
    // pcgHash(0): state = 2891336453, shift = (state >>> 28) + 4 = 14, ...
    expect(pcgHash(0)).toBe(129708002);
    expect(pcgHash(1)).toBe(2831084092);
    expect(pcgHash(2)).toBe(2055130248);
    expect(pcgHash(42)).toBe(1223963391);
    expect(pcgHash(0xffffffff)).toBe(3861530882);
  });

  it('pcgHash agrees with a BigInt evaluation of the spec', () => {
    for (const v of [3, 1000, 123456789, 2 ** 31, 2 ** 32 - 2]) expect(pcgHash(v)).toBe(pcgHashBig(v));
  });

  it('dropoutUniform gives the known 24-bit draws', () => {
    expect(dropoutUniform(0, 0) * 16777216).toBe(3194371);
    expect(dropoutUniform(0, 1) * 16777216).toBe(6185729);
    expect(dropoutUniform(1, 0) * 16777216).toBe(15280721);
    expect(dropoutUniform(42, 7) * 16777216).toBe(7581847);
    expect(dropoutUniform(42, 1000) * 16777216).toBe(5410569);
    // 24 bits divide exactly in float32.
    expect(Math.fround(dropoutUniform(42, 7))).toBe(dropoutUniform(42, 7));
  });
});

describe('dropout (cpu)', () => {
  const n = 10000;
  const ones = wc.tensor(new Float32Array(n).fill(1), [100, 100]);

  it('keeps about 1 - rate of the elements and scales them by 1 / (1 - rate)', () => {
    const y = dropout(ones, 0.3, 1234).dataSync();
    const scale = Math.fround(1 / 0.7);
    let kept = 0;
    for (const v of y) {
      if (v !== 0) {
        expect(v).toBe(scale);
        kept++;
      }
    }
    // Binomial(10000, 0.7): standard deviation sqrt(10000 * 0.21) = 46, so 5 sigma is 230.
    expect(Math.abs(kept - 7000)).toBeLessThan(230);
  });

  it('the same seed draws the same mask, another seed another mask', () => {
    const a = dropout(ones, 0.5, 7).dataSync();
    expect([...dropout(ones, 0.5, 7).dataSync()]).toEqual([...a]);
    const b = dropout(ones, 0.5, 8).dataSync();
    let differ = 0;
    for (let i = 0; i < n; i++) if ((a[i] === 0) !== (b[i] === 0)) differ++;
    // Two independent masks at rate 0.5 differ on half the elements (sd 50).
    expect(differ).toBeGreaterThan(4500);
    expect(differ).toBeLessThan(5500);
  });

  it('element i is kept exactly when dropoutUniform(seed, i) >= rate', () => {
    const y = dropout(ones, 0.25, 99).dataSync();
    for (let i = 0; i < n; i++) expect(y[i] !== 0).toBe(dropoutUniform(99, i) >= 0.25);
  });

  it('rate 0 is the identity', () => {
    const x = wc.tensor(randomValues(50, 3), [5, 10]);
    expect([...dropout(x, 0, 5).dataSync()]).toEqual([...x.dataSync()]);
  });

  it('backward matches finite differences (the mask is fixed by the seed)', () => {
    const xv = randomValues(40, 4);
    const r = randomValues(40, 5);
    const dx = dropoutBackward(wc.tensor(r, [4, 10]), 0.4, 77).dataSync();
    const f = (p: Float32Array): number => dot(dropout(wc.tensor(p, [4, 10]), 0.4, 77).dataSync(), r);
    // Linear in x: the differences are exact up to float32 rounding of L over 2 * eps.
    expectClose(dx, numericGradient(f, xv), { atol: 1e-4, rtol: 1e-4 }, 'dropoutBackward');
  });

  it('rejects a rate outside [0, 1) and a non-integer seed, naming the op', () => {
    expect(() => dropout(ones, 1, 1)).toThrow(/dropout: expected rate in \[0, 1\), got 1/);
    expect(() => dropout(ones, -0.1, 1)).toThrow(/dropout: expected rate in \[0, 1\), got -0.1/);
    expect(() => dropoutBackward(ones, 0.5, 1.5)).toThrow(/dropoutBackward: expected an integer seed, got 1.5/);
  });
});
