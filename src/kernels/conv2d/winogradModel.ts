// The arithmetic of winograd.ts's shaders on the CPU, in the same layouts
// (v [16, tiles, cin], u [16, cin, cout], m [16, tiles, cout]), so tests can
// check the transforms and the error bound without a GPU.

import type { WinogradConv } from './winograd.js';

/** B^T, G and A^T of F(2x2, 3x3) as row-major matrices (4x4, 4x3, 2x4). */
export const BT = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]];
export const G = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]];
export const AT = [[1, 1, 1, 0], [0, 1, -1, -1]];

/** L . X . R^T for small row-major matrices (L [a, b], X [b, c], R [d, c]): the shaders' sandwich. */
export function sandwich(l: readonly number[][], x: readonly number[][], r: readonly number[][]): number[][] {
  return l.map((lrow) => r.map((rrow) => {
    let s = 0;
    for (let i = 0; i < lrow.length; i++) for (let j = 0; j < rrow.length; j++) s += lrow[i] * x[i][j] * rrow[j];
    return s;
  }));
}

const tilesOf = (c: WinogradConv): { tilesH: number; tilesW: number; tiles: number } => {
  const tilesH = Math.ceil(c.outH / 2), tilesW = Math.ceil(c.outW / 2);
  return { tilesH, tilesW, tiles: c.n * tilesH * tilesW };
};

/** v[e][tile][ci]: B^T d B of every 4x4 input tile (zeros in the padding). */
export function transformInput(x: Float32Array, c: WinogradConv): Float32Array {
  const { tilesH, tilesW, tiles } = tilesOf(c);
  const v = new Float32Array(16 * tiles * c.cin);
  for (let t = 0; t < tiles; t++) {
    const tx = t % tilesW, ty = Math.floor(t / tilesW) % tilesH, b = Math.floor(t / (tilesW * tilesH));
    for (let ci = 0; ci < c.cin; ci++) {
      const d = [0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((s) => {
        const i = 2 * ty - c.padTop + r, j = 2 * tx - c.padLeft + s;
        return i < 0 || j < 0 || i >= c.inH || j >= c.inW ? 0 : x[((b * c.inH + i) * c.inW + j) * c.cin + ci];
      }));
      const tv = sandwich(BT, d, BT);
      for (let e = 0; e < 16; e++) v[(e * tiles + t) * c.cin + ci] = tv[e >> 2][e & 3];
    }
  }
  return v;
}

/** u[e][ci][co]: G g G^T of every 3x3 kernel (for dx, w rotated with its channels swapped). */
export function transformFilter(w: Float32Array, c: WinogradConv): Float32Array {
  const u = new Float32Array(16 * c.cin * c.cout);
  for (let ci = 0; ci < c.cin; ci++) for (let co = 0; co < c.cout; co++) {
    const g = [0, 1, 2].map((ky) => [0, 1, 2].map((kx) => (c.flip
      ? w[(((2 - ky) * 3 + 2 - kx) * c.cout + co) * c.cin + ci]
      : w[((ky * 3 + kx) * c.cin + ci) * c.cout + co])));
    const tu = sandwich(G, g, G);
    for (let e = 0; e < 16; e++) u[(e * c.cin + ci) * c.cout + co] = tu[e >> 2][e & 3];
  }
  return u;
}

/** m[e] = v[e] . u[e] for the 16 elements. */
export function multiply(v: Float32Array, u: Float32Array, c: WinogradConv): Float32Array {
  const { tiles } = tilesOf(c);
  const m = new Float32Array(16 * tiles * c.cout);
  for (let e = 0; e < 16; e++) for (let t = 0; t < tiles; t++) for (let co = 0; co < c.cout; co++) {
    let s = 0;
    for (let ci = 0; ci < c.cin; ci++) s += v[(e * tiles + t) * c.cin + ci] * u[(e * c.cin + ci) * c.cout + co];
    m[(e * tiles + t) * c.cout + co] = s;
  }
  return m;
}

/** y [n, outH, outW, cout]: A^T m A of every tile plus the bias, cropped to the output. */
export function transformOutput(m: Float32Array, c: WinogradConv, bias: Float32Array | null = null): Float32Array {
  const { tilesH, tilesW, tiles } = tilesOf(c);
  const y = new Float32Array(c.n * c.outH * c.outW * c.cout);
  for (let t = 0; t < tiles; t++) {
    const tx = t % tilesW, ty = Math.floor(t / tilesW) % tilesH, b = Math.floor(t / (tilesW * tilesH));
    for (let co = 0; co < c.cout; co++) {
      const tm = [0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((s) => m[((4 * r + s) * tiles + t) * c.cout + co]));
      const out = sandwich(AT, tm, AT);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
        const oy = 2 * ty + i, ox = 2 * tx + j;
        if (oy < c.outH && ox < c.outW) y[((b * c.outH + oy) * c.outW + ox) * c.cout + co] = out[i][j] + (bias ? bias[co] : 0);
      }
    }
  }
  return y;
}

/** The whole Winograd convolution on the CPU. */
export function winogradConv(x: Float32Array, w: Float32Array, c: WinogradConv, bias: Float32Array | null = null): Float32Array {
  return transformOutput(multiply(transformInput(x, c), transformFilter(w, c), c), c, bias);
}
