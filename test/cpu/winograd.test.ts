import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { Conv2dParams } from '../../src/index.js';
import { windowGeometry } from '../../src/kernels/geometry.js';
import { backwardInputConv, forwardConv } from '../../src/kernels/conv2d/winograd.js';
import { AT, AT4, BT, BT4, G, G4, sandwich, transformFilter, transformInput, winogradConv, winogradFilterGrad } from '../../src/kernels/conv2d/winogradModel.js';
import { expectClose, randomValues } from '../util/check.js';
import { t } from './gradcheck.js';

const { conv2d, conv2dBackwardFilter, conv2dBackwardInput } = wc.ops;
/** The suite's GPU-vs-CPU tolerance (src/backend/webgpu/tolerance.ts): Winograd must stay inside it. */
const SUITE = { atol: 1e-4, rtol: 1e-3 };

const params = (padding: Conv2dParams['padding']): Conv2dParams => ({ strides: [1, 1], padding, dilations: [1, 1] });

describe('Winograd F(2x2, 3x3) transforms (cpu model)', () => {
  it('1-D F(2, 3): A^T [(G g) * (B^T d)] is the correlation of 4 inputs with 3 taps', () => {
    const d = [3, -1, 4, 2], g = [2, -3, 5];
    const gg = G.map((r) => r[0] * g[0] + r[1] * g[1] + r[2] * g[2]);
    const bd = BT.map((r) => r.reduce((s, v, i) => s + v * d[i], 0));
    const y = AT.map((r) => r.reduce((s, v, i) => s + v * gg[i] * bd[i], 0));
    // y0 = 3*2 - 1*-3 + 4*5 = 29, y1 = -1*2 + 4*-3 + 2*5 = -4
    expect(y).toEqual([29, -4]);
  });

  it('2-D: A^T [(G g G^T) * (B^T d B)] A is the 2x2 valid correlation of a 4x4 tile', () => {
    const d = [[1, 2, 0, -1], [3, 1, 2, 2], [0, -2, 1, 4], [5, 1, 1, 0]];
    const g = [[1, 0, -1], [2, 1, 0], [0, 3, 1]];
    const u = sandwich(G, g, G), v = sandwich(BT, d, BT);
    const m = u.map((row, i) => row.map((x, j) => x * v[i][j]));
    const y = sandwich(AT, m, AT);
    const direct = [0, 1].map((i) => [0, 1].map((j) => {
      let s = 0;
      for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) s += d[i + ky][j + kx] * g[ky][kx];
      return s;
    }));
    expect(y.flat().map((x) => Math.round(x * 1e9) / 1e9)).toEqual(direct.flat());
    expect(direct.flat()).toEqual([3, 14, 3, -1]);
  });

  it('layouts: v [16, tiles, cin] and u [16, cin, cout]; the flipped filter swaps channels and rotates', () => {
    const g = windowGeometry('t', [1, 2, 2, 1], [3, 3], [1, 1], [1, 1], 'same');
    // One tile: the 2x2 image of ones padded to 4x4; B^T d B at element (1,1) sums the inner 2x2 = 4.
    const v = transformInput(new Float32Array([1, 1, 1, 1]), forwardConv(g, 1));
    expect(v.length).toBe(16);
    expect(v[5]).toBe(4);
    // A kernel that is 1 only at tap (0, 0) from channel 0 to channel 1: flipped, it is tap (2, 2) from 1 to 0.
    const w = new Float32Array(9 * 2 * 2);
    w[1] = 1;
    const gw = windowGeometry('t', [1, 4, 4, 2], [3, 3], [1, 1], [1, 1], 'same');
    const fwd = transformFilter(w, forwardConv(gw, 2));
    const flipped = transformFilter(w, backwardInputConv(gw, 2));
    // G g G^T of a corner tap (0, 0) is nonzero at element 0; of tap (2, 2) at element 15, not 0.
    expect([fwd[0 * 4 + 0 * 2 + 1], fwd[15 * 4 + 1]]).toEqual([1, 0]);
    expect([flipped[15 * 4 + 1 * 2 + 0], flipped[0 * 4 + 2]]).toEqual([1, 0]);
  });
});

describe('Winograd F(4x4, 3x3) transforms (cpu model)', () => {
  it('1-D F(4, 3): A^T [(G g) * (B^T d)] is the correlation of 6 inputs with 3 taps', () => {
    const d = [3, -1, 4, 2, 0, 1], g = [2, -3, 5];
    const gg = G4.map((r) => r[0] * g[0] + r[1] * g[1] + r[2] * g[2]);
    const bd = BT4.map((r) => r.reduce((s, v, i) => s + v * d[i], 0));
    const y = AT4.map((r) => r.reduce((s, v, i) => s + v * gg[i] * bd[i], 0));
    // y0 = 6 + 3 + 20 = 29, y1 = -2 - 12 + 10 = -4, y2 = 8 - 6 + 0 = 2, y3 = 4 + 0 + 5 = 9
    expect(y.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([29, -4, 2, 9]);
  });

  it('2-D: the 4x4 valid correlation of a 6x6 tile', () => {
    const d = [[1, 2, 0, -1, 3, 1], [3, 1, 2, 2, 0, -2], [0, -2, 1, 4, 1, 1], [5, 1, 1, 0, 2, 3], [-1, 0, 2, 1, 1, 0], [2, 2, -3, 0, 1, 4]];
    const g = [[1, 0, -1], [2, 1, 0], [0, 3, 1]];
    const u = sandwich(G4, g, G4), v = sandwich(BT4, d, BT4);
    const y = sandwich(AT4, u.map((row, i) => row.map((x, j) => x * v[i][j])), AT4);
    const direct = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => {
      let s = 0;
      for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) s += d[i + ky][j + kx] * g[ky][kx];
      return s;
    }));
    expect(y.flat().map((x) => Math.round(x * 1e9) / 1e9)).toEqual(direct.flat());
    // by hand: 1*1 + 3*2 + 1*1 + (-2)*3 + 1*1 = 3
    expect(direct[0][0]).toBe(3);
  });
});

describe('Winograd model against the direct conv (cpu)', () => {
  const shapes: { x: [number, number, number, number]; cout: number; padding: 'same' | 'valid' | [[number, number], [number, number]] }[] = [
    { x: [2, 7, 5, 3], cout: 5, padding: 'same' },
    { x: [1, 6, 9, 6], cout: 2, padding: 'valid' },
    { x: [2, 5, 5, 4], cout: 7, padding: [[2, 0], [1, 2]] },
    { x: [1, 3, 3, 1], cout: 1, padding: 'valid' },
  ];
  for (const s of shapes) {
    it(`forward and dx: x [${s.x}] -> ${s.cout}, padding ${JSON.stringify(s.padding)}`, () => {
      const [n, h, w, c] = s.x;
      const p = params(s.padding);
      const g = windowGeometry('t', s.x, [3, 3], [1, 1], [1, 1], s.padding);
      const xv = randomValues(n * h * w * c, 1), wv = randomValues(9 * c * s.cout, 2), bv = randomValues(s.cout, 3);
      const y = conv2d(t(xv, s.x), t(wv, [3, 3, c, s.cout]), t(bv, [s.cout]), p);
      const dyv = randomValues(n * g.oh * g.ow * s.cout, 4);
      const dx = conv2dBackwardInput(t(dyv, [n, g.oh, g.ow, s.cout]), t(wv, [3, 3, c, s.cout]), s.x, p);
      const dw = conv2dBackwardFilter(t(xv, s.x), t(dyv, [n, g.oh, g.ow, s.cout]), [3, 3, c, s.cout], p);
      for (const tile of [2, 4] as const) {
        expectClose(winogradConv(xv, wv, forwardConv(g, s.cout, tile), bv), y.dataSync(), SUITE, `F(${tile}) forward`);
        expectClose(winogradConv(dyv, wv, backwardInputConv(g, s.cout, tile)), dx.dataSync(), SUITE, `F(${tile}) dx`);
        expectClose(winogradFilterGrad(xv, dyv, forwardConv(g, s.cout, tile)), dw.dataSync(), SUITE, `F(${tile}) dW`);
      }
    });
  }

  it('1-D dW by F(3, 2) and F(3, 4): G^T [(A dy) * (B^T d)] correlates a tile of inputs with a tile of dy', () => {
    // dW[k] = sum_i dy[i] d[i + k]: for 2 dy values, d = [3, -1, 4, 2], dy = [2, -3]:
    // dW = [3*2 + -1*-3, -1*2 + 4*-3, 4*2 + 2*-3] = [9, -14, 2].
    const d = [3, -1, 4, 2], dy = [2, -3];
    const ad = AT[0].map((_, j) => AT.reduce((s, row, i) => s + row[j] * dy[i], 0));
    const bd = BT.map((r) => r.reduce((s, v, i) => s + v * d[i], 0));
    const dw = [0, 1, 2].map((k) => G.reduce((s, row, j) => s + row[k] * ad[j] * bd[j], 0));
    expect(dw.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([9, -14, 2]);
    // 4 dy values over 6 inputs: dW[0] = 3*1 + -1*2 + 4*0 + 2*-1 = -1, dW[1] = -1 + 8 + 0 - 0 = 7, dW[2] = 4 + 4 + 0 - 1 = 7.
    const d6 = [3, -1, 4, 2, 0, 1], dy4 = [1, 2, 0, -1];
    const ad4 = AT4[0].map((_, j) => AT4.reduce((s, row, i) => s + row[j] * dy4[i], 0));
    const bd4 = BT4.map((r) => r.reduce((s, v, i) => s + v * d6[i], 0));
    const dw4 = [0, 1, 2].map((k) => G4.reduce((s, row, j) => s + row[k] * ad4[j] * bd4[j], 0));
    expect(dw4.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([-1, 7, 7]);
  });

  it('dW float32 error at the standard model\'s second conv (batch 8, 24x24 outputs, 32 -> 32) stays far inside the suite tolerance', () => {
    const shape: [number, number, number, number] = [8, 26, 26, 32];
    const g = windowGeometry('t', shape, [3, 3], [1, 1], [1, 1], 'valid');
    const xv = randomValues(8 * 26 * 26 * 32, 7), dyv = randomValues(8 * 24 * 24 * 32, 8, -0.1, 0.1);
    const direct = conv2dBackwardFilter(t(xv, shape), t(dyv, [8, 24, 24, 32]), [3, 3, 32, 32], params('valid')).dataSync();
    // Each tile's products are summed over every tile (tiles x batch terms) before G^T m G: the error grows with the sum's length.
    for (const [tile, bound] of [[2, 1e-6], [4, 1e-5]] as const) {
      const wino = winogradFilterGrad(xv, dyv, forwardConv(g, 32, tile));
      let worst = 0, scale = 0;
      for (let i = 0; i < direct.length; i++) {
        worst = Math.max(worst, Math.abs(wino[i] - direct[i]));
        scale = Math.max(scale, Math.abs(direct[i]));
      }
      expect(worst / scale, `F(${tile}) dW`).toBeLessThan(bound);
      expect(worst / scale, `F(${tile}) dW`).toBeGreaterThan(0);
      expectClose(wino, direct, SUITE, `F(${tile}) dW standard`);
    }
  });

  it('float32 error at the standard model\'s channel counts (32 -> 32, inputs in [-1, 1]) stays far inside the suite tolerance', () => {
    const shape: [number, number, number, number] = [1, 10, 10, 32];
    const g = windowGeometry('t', shape, [3, 3], [1, 1], [1, 1], 'same');
    const xv = randomValues(10 * 10 * 32, 5), wv = randomValues(9 * 32 * 32, 6, -0.2, 0.2);
    const direct = conv2d(t(xv, shape), t(wv, [3, 3, 32, 32]), null, params('same')).dataSync();
    // The model rounds v, u and m to float32, as the GPU stores them: the error is of that rounding,
    // larger for F(4x4) (its transforms' entries reach 8 and 1/24).
    for (const [tile, bound] of [[2, 1e-5], [4, 5e-5]] as const) {
      const wino = winogradConv(xv, wv, forwardConv(g, 32, tile));
      let worst = 0, scale = 0;
      for (let i = 0; i < direct.length; i++) {
        worst = Math.max(worst, Math.abs(wino[i] - direct[i]));
        scale = Math.max(scale, Math.abs(direct[i]));
      }
      expect(worst / scale, `F(${tile})`).toBeLessThan(bound);
      expect(worst / scale, `F(${tile})`).toBeGreaterThan(0);
      expectClose(wino, direct, SUITE, `F(${tile}) standard`);
    }
  });
});
