import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';
import { gemm, gemmReference } from '../../src/kernels/matmul/cpu.js';

const { matmul, biasAdd, biasAddBackward } = wc.ops;

describe('matmul and bias (cpu)', () => {
  it('by hand, with every transpose', () => {
    const a = t([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = t([7, 8, 9, 10, 11, 12], [3, 2]);
    // [1 2 3; 4 5 6] . [7 8; 9 10; 11 12] = [58 64; 139 154]
    expect([...matmul(a, b, false, false).dataSync()]).toEqual([58, 64, 139, 154]);
    const aT = t([1, 4, 2, 5, 3, 6], [3, 2]);
    const bT = t([7, 9, 11, 8, 10, 12], [2, 3]);
    expect([...matmul(aT, b, true, false).dataSync()]).toEqual([58, 64, 139, 154]);
    expect([...matmul(a, bT, false, true).dataSync()]).toEqual([58, 64, 139, 154]);
    expect([...matmul(aT, bT, true, true).dataSync()]).toEqual([58, 64, 139, 154]);
    expect([...biasAdd(a, t([1, 0, -1], [3])).dataSync()]).toEqual([2, 2, 2, 5, 5, 5]);
    expect([...biasAddBackward(a).dataSync()]).toEqual([5, 7, 9]);
  });

  it('fused bias + relu, by hand: relu(a . b + bias); conv2d likewise', () => {
    const a = t([1, 2, 3, -4], [2, 2]);
    const b = t([1, -1, -1, 1], [2, 2]);
    const bias = t([0.5, 2], [2]);
    // a . b = [-1 1; 7 -7]; + bias = [-0.5 3; 7.5 -5]
    expect([...matmul(a, b, false, false, bias).dataSync()]).toEqual([-0.5, 3, 7.5, -5]);
    expect([...matmul(a, b, false, false, bias, 'relu').dataSync()]).toEqual([0, 3, 7.5, 0]);
    expect([...matmul(a, b, false, false, null, 'relu').dataSync()]).toEqual([0, 1, 7, 0]);
    // relu6 clips 7.5 to 6 as well
    expect([...matmul(a, b, false, false, bias, 'relu6').dataSync()]).toEqual([0, 3, 6, 0]);
    // 'valid' 2x2 conv of [1 -2; 3 -4] with kernel [1 1; 1 1] (1 -> 2 channels, the second negated): -2 and 2, bias 1
    const x = t([1, -2, 3, -4], [1, 2, 2, 1]);
    const w = t([1, -1, 1, -1, 1, -1, 1, -1], [2, 2, 1, 2]);
    const p = { strides: [1, 1] as [number, number], padding: 'valid' as const, dilations: [1, 1] as [number, number] };
    expect([...wc.ops.conv2d(x, w, t([1, 1], [2]), p).dataSync()]).toEqual([-1, 3]);
    expect([...wc.ops.conv2d(x, w, t([1, 1], [2]), p, 'relu').dataSync()]).toEqual([0, 3]);
    expect(() => matmul(a, b, false, false, t([1, 2, 3], [3]))).toThrow(/matmul: expected a bias of shape \[2\], got \[3\]/);
    expect(() => matmul(a, b, false, false, null, 'tanh' as 'relu')).toThrow(/matmul: the fused activation must be 'linear', 'relu' or 'relu6', got "tanh"/);
  });

  it('the blocked GEMM equals the reference triple loop bit for bit, every transpose, edge sizes', () => {
    const sizes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 4, 4], [17, 31, 5], [65, 129, 33], [5, 3, 300], [2, 700, 3], [9, 513, 2], [0, 3, 2], [3, 0, 2], [3, 2, 0]];
    let checked = 0;
    for (const [m, n, k] of sizes) {
      const a = randomValues(m * k, m + 7 * k, -2, 2);
      const b = randomValues(k * n, n + 11 * k, -2, 2);
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const fast = gemm(a, b, m, k, n, ta, tb);
          const ref = gemmReference(a, b, m, k, n, ta, tb);
          expect(fast.length, `${m}x${n}x${k} ta=${ta} tb=${tb}`).toBe(m * n);
          expect(Array.from(fast), `${m}x${n}x${k} ta=${ta} tb=${tb}`).toEqual(Array.from(ref));
          checked += fast.length;
        }
      }
    }
    expect(checked).toBeGreaterThan(4 * (65 * 129 + 9 * 513));
  });

  it('finite-difference gradients: dA = dC.B^T, dB = A^T.dC for every transpose', () => {
    const [m, k, n] = [3, 4, 5];
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const aShape = ta ? [k, m] : [m, k];
        const bShape = tb ? [n, k] : [k, n];
        const av = randomValues(m * k, 1);
        const bv = randomValues(k * n, 2);
        const f = (ap: Float32Array, bp: Float32Array): Float32Array => matmul(t(ap, aShape), t(bp, bShape), ta, tb).dataSync();
        // dA (as A is stored): ta ? B.dC^T or B^T... expressed through matmul itself.
        const dA = (r: Float32Array): Float32Array => ta
          ? matmul(t(bv, bShape), t(r, [m, n]), tb, true).dataSync()
          : matmul(t(r, [m, n]), t(bv, bShape), false, !tb).dataSync();
        const dB = (r: Float32Array): Float32Array => tb
          ? matmul(t(r, [m, n]), t(av, aShape), true, ta).dataSync()
          : matmul(t(av, aShape), t(r, [m, n]), !ta, false).dataSync();
        checkGradient(`dA ta=${ta} tb=${tb}`, av, m * n, (p) => f(p, bv), dA);
        checkGradient(`dB ta=${ta} tb=${tb}`, bv, m * n, (p) => f(av, p), dB);
      }
    }
  });

  it('refuses mismatched inner sizes', () => {
    expect(() => matmul(t([1, 2], [1, 2]), t([1, 2, 3], [3, 1]), false, false)).toThrow(/matmul: inner sizes must agree, got a \[1, 2\] and b \[3, 1\] \(2 vs 3\)/);
  });
});
