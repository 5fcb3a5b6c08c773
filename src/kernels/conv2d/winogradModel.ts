// The arithmetic of winograd.ts's shaders on the CPU, in the same layouts
// (v [E, tiles, cin], u [E, cin, cout], m [E, tiles, cout], E = 16 for F(2x2, 3x3),
// 36 for F(4x4, 3x3); for dW, d [E, tiles, cout] and m [E, cin, cout]), so tests
// can check the transforms and the error bound without a GPU.

import type { WinogradConv } from './winograd.js';

/** B^T, G and A^T of F(2x2, 3x3) as row-major matrices (4x4, 4x3, 2x4). */
export const BT = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]];
export const G = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]];
export const AT = [[1, 1, 1, 0], [0, 1, -1, -1]];

/** B^T, G and A^T of F(4x4, 3x3) (interpolation points 0, 1, -1, 2, -2, infinity) as in the winograd4*.wgsl shaders. */
export const BT4 = [
  [4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1],
];
export const G4 = [[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6], [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]];
export const AT4 = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]];

/** The tile's matrices and sizes: side a = tile + 2 of the transformed tile, e = a * a elements. */
function matrices(c: WinogradConv): { bt: number[][]; g: number[][]; at: number[][]; a: number; e: number } {
  const a = c.tile + 2;
  return c.tile === 2 ? { bt: BT, g: G, at: AT, a, e: a * a } : { bt: BT4, g: G4, at: AT4, a, e: a * a };
}
const range = (k: number): number[] => Array.from({ length: k }, (_, i) => i);

/** L . X . R^T for small row-major matrices (L [a, b], X [b, c], R [d, c]): the shaders' sandwich. */
export function sandwich(l: readonly number[][], x: readonly number[][], r: readonly number[][]): number[][] {
  return l.map((lrow) => r.map((rrow) => {
    let s = 0;
    for (let i = 0; i < lrow.length; i++) for (let j = 0; j < rrow.length; j++) s += lrow[i] * x[i][j] * rrow[j];
    return s;
  }));
}

const tilesOf = (c: WinogradConv): { tilesH: number; tilesW: number; tiles: number } => {
  const tilesH = Math.ceil(c.outH / c.tile), tilesW = Math.ceil(c.outW / c.tile);
  return { tilesH, tilesW, tiles: c.n * tilesH * tilesW };
};

/** v[e][tile][ci]: B^T d B of every a x a input tile (zeros in the padding). */
export function transformInput(x: Float32Array, c: WinogradConv): Float32Array {
  const { tilesH, tilesW, tiles } = tilesOf(c);
  const { bt, a, e: count } = matrices(c);
  const v = new Float32Array(count * tiles * c.cin);
  for (let t = 0; t < tiles; t++) {
    const tx = t % tilesW, ty = Math.floor(t / tilesW) % tilesH, b = Math.floor(t / (tilesW * tilesH));
    for (let ci = 0; ci < c.cin; ci++) {
      const d = range(a).map((r) => range(a).map((s) => {
        const i = c.tile * ty - c.padTop + r, j = c.tile * tx - c.padLeft + s;
        return i < 0 || j < 0 || i >= c.inH || j >= c.inW ? 0 : x[((b * c.inH + i) * c.inW + j) * c.cin + ci];
      }));
      const tv = sandwich(bt, d, bt);
      for (let e = 0; e < count; e++) v[(e * tiles + t) * c.cin + ci] = tv[Math.floor(e / a)][e % a];
    }
  }
  return v;
}

/** u[e][ci][co]: G g G^T of every 3x3 kernel (for dx, w rotated with its channels swapped). */
export function transformFilter(w: Float32Array, c: WinogradConv): Float32Array {
  const { g: gm, a, e: count } = matrices(c);
  const u = new Float32Array(count * c.cin * c.cout);
  for (let ci = 0; ci < c.cin; ci++) for (let co = 0; co < c.cout; co++) {
    const g = [0, 1, 2].map((ky) => [0, 1, 2].map((kx) => (c.flip
      ? w[(((2 - ky) * 3 + 2 - kx) * c.cout + co) * c.cin + ci]
      : w[((ky * 3 + kx) * c.cin + ci) * c.cout + co])));
    const tu = sandwich(gm, g, gm);
    for (let e = 0; e < count; e++) u[(e * c.cin + ci) * c.cout + co] = tu[Math.floor(e / a)][e % a];
  }
  return u;
}

/** m[e] = v[e] . u[e] for every element. */
export function multiply(v: Float32Array, u: Float32Array, c: WinogradConv): Float32Array {
  const { tiles } = tilesOf(c);
  const { e: count } = matrices(c);
  const m = new Float32Array(count * tiles * c.cout);
  for (let e = 0; e < count; e++) for (let t = 0; t < tiles; t++) for (let co = 0; co < c.cout; co++) {
    let s = 0;
    for (let ci = 0; ci < c.cin; ci++) s += v[(e * tiles + t) * c.cin + ci] * u[(e * c.cin + ci) * c.cout + co];
    m[(e * tiles + t) * c.cout + co] = s;
  }
  return m;
}

/** y [n, outH, outW, cout]: A^T m A of every tile plus the bias, cropped to the output. */
export function transformOutput(m: Float32Array, c: WinogradConv, bias: Float32Array | null = null): Float32Array {
  const { tilesH, tilesW, tiles } = tilesOf(c);
  const { at, a } = matrices(c);
  const y = new Float32Array(c.n * c.outH * c.outW * c.cout);
  for (let t = 0; t < tiles; t++) {
    const tx = t % tilesW, ty = Math.floor(t / tilesW) % tilesH, b = Math.floor(t / (tilesW * tilesH));
    for (let co = 0; co < c.cout; co++) {
      const tm = range(a).map((r) => range(a).map((s) => m[((a * r + s) * tiles + t) * c.cout + co]));
      const out = sandwich(at, tm, at);
      for (let i = 0; i < c.tile; i++) for (let j = 0; j < c.tile; j++) {
        const oy = c.tile * ty + i, ox = c.tile * tx + j;
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

/**
 * d[e][tile][co]: A dy A^T of every tile x tile block of dy (zeros past its edge), the dW's
 * second operand. dW is the derivative of the same trilinear form sum_e (A y*)_e (G g)_e (B^T d)_e
 * by g, so it reuses the forward's input transform and its A, with G^T as the output transform.
 */
export function transformDy(dy: Float32Array, c: WinogradConv): Float32Array {
  const { tilesH, tilesW, tiles } = tilesOf(c);
  const { at, a, e: count } = matrices(c);
  const atT = transpose(at);
  const d = new Float32Array(count * tiles * c.cout);
  for (let t = 0; t < tiles; t++) {
    const tx = t % tilesW, ty = Math.floor(t / tilesW) % tilesH, b = Math.floor(t / (tilesW * tilesH));
    for (let co = 0; co < c.cout; co++) {
      const block = range(c.tile).map((i) => range(c.tile).map((j) => {
        const oy = c.tile * ty + i, ox = c.tile * tx + j;
        return oy >= c.outH || ox >= c.outW ? 0 : dy[((b * c.outH + oy) * c.outW + ox) * c.cout + co];
      }));
      const td = sandwich(atT, block, atT);
      for (let e = 0; e < count; e++) d[(e * tiles + t) * c.cout + co] = td[Math.floor(e / a)][e % a];
    }
  }
  return d;
}

/** m[e] = v[e]^T . d[e] for every element: [cin, cout], summed over the tiles. */
export function multiplyGrad(v: Float32Array, d: Float32Array, c: WinogradConv): Float32Array {
  const { tiles } = tilesOf(c);
  const { e: count } = matrices(c);
  const m = new Float32Array(count * c.cin * c.cout);
  for (let e = 0; e < count; e++) for (let ci = 0; ci < c.cin; ci++) for (let co = 0; co < c.cout; co++) {
    let s = 0;
    for (let t = 0; t < tiles; t++) s += v[(e * tiles + t) * c.cin + ci] * d[(e * tiles + t) * c.cout + co];
    m[(e * c.cin + ci) * c.cout + co] = s;
  }
  return m;
}

/** dW [3, 3, cin, cout]: G^T m G of every channel pair's transformed sum. */
export function transformFilterGrad(m: Float32Array, c: WinogradConv): Float32Array {
  const { g, a } = matrices(c);
  const gT = transpose(g);
  const dw = new Float32Array(9 * c.cin * c.cout);
  for (let ci = 0; ci < c.cin; ci++) for (let co = 0; co < c.cout; co++) {
    const tm = range(a).map((r) => range(a).map((s) => m[((a * r + s) * c.cin + ci) * c.cout + co]));
    const k = sandwich(gT, tm, gT);
    for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) dw[((ky * 3 + kx) * c.cin + ci) * c.cout + co] = k[ky][kx];
  }
  return dw;
}

/** dW of the forward conv `c` (x its input, dy its output's gradient) by Winograd on the CPU. */
export function winogradFilterGrad(x: Float32Array, dy: Float32Array, c: WinogradConv): Float32Array {
  return transformFilterGrad(multiplyGrad(transformInput(x, c), transformDy(dy, c), c), c);
}

function transpose(m: readonly number[][]): number[][] {
  return m[0].map((_, j) => m.map((row) => row[j]));
}
