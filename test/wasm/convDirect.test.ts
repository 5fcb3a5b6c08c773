// The direct (column-matrix-free) wasm convolution: parity with the CPU
// reference on awkward shapes, computed whole through the conv2d kernel and in
// uneven row ranges through the (r0, count) entry a thread pool would split.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { conv2dKernel } from '../../src/kernels/conv2d/index.js';
import { DIRECT_MAX_K, conv2dRows, packDirect, prefersDirect } from '../../src/kernels/conv2d/wasmDirect.js';
import type { Conv2dParams, FusedActivation, Padding } from '../../src/backend/types.js';
import { windowGeometry } from '../../src/kernels/geometry.js';
import { cpuT } from '../harness/cpu.js';
import { expectParity } from '../harness/tolerance.js';
import { randomValues } from '../util/check.js';
import { expectWasmParity, toWasm, wasmBackend } from './harness.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });
afterAll(async () => { await wc.setBackend('wasm'); });

const rand = (shape: number[], seed: number) => cpuT(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

describe('direct conv2d (wasm)', () => {
  it('a valid 2x2 conv of 1..9 (3x3) with bias and relu, by hand', () => {
    // channel 0: kernel [1, -1; 2, 0], bias -7: 1-2+8 = 7, 2-3+10 = 9, 4-5+14 = 13, 5-6+16 = 15, less 7, relu: 0, 2, 6, 8;
    // channel 1: kernel [0, 0; 0, 1], bias 0: the bottom-right tap, 5, 6, 8, 9.
    const x = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = wc.tensor([1, 0, -1, 0, 2, 0, 0, 1], [2, 2, 1, 2]);
    const g = windowGeometry('test', x.shape, [2, 2], [1, 1], [1, 1], 'valid');
    expect(prefersDirect(g)).toBe(true);
    const y = wc.ops.conv2d(x, w, wc.tensor([-7, 0]), { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, 'relu');
    expect([...y.dataSync()]).toEqual([0, 5, 2, 6, 6, 8, 8, 9]);
  });

  // [x shape, kernel [kh, kw, cin, cout], strides, padding, dilations]: cin/cout off multiples of 4 and 8,
  // tiles spanning output rows and images, borders in the padding, strides, dilation (window rows in runs of cin).
  const cases: [number[], number[], [number, number], Padding, [number, number]][] = [
    [[3, 9, 7, 1], [5, 5, 1, 8], [1, 1], 'valid', [1, 1]],
    [[1, 11, 10, 1], [3, 3, 1, 13], [1, 1], 'same', [1, 1]],
    [[3, 6, 5, 3], [3, 3, 3, 5], [2, 2], 'same', [1, 1]],
    [[1, 8, 9, 5], [2, 3, 5, 17], [1, 2], [[1, 0], [2, 1]], [1, 1]],
    [[3, 10, 9, 6], [3, 3, 6, 3], [1, 1], 'same', [2, 2]],
    [[1, 7, 7, 12], [3, 2, 12, 9], [2, 1], 'valid', [2, 1]],
    [[3, 5, 6, 2], [5, 5, 2, 1], [1, 1], 'same', [1, 1]],
    [[1, 4, 4, 7], [4, 4, 7, 4], [3, 3], [[2, 2], [2, 2]], [1, 1]],
    // Padding only at the bottom/right: a row's last pixel is in the padding, the next row's first is not.
    [[2, 7, 6, 3], [3, 3, 3, 4], [1, 1], [[0, 2], [0, 1]], [1, 1]],
    // A window wider than the padded input lets no tile through: every pixel by itself.
    [[1, 3, 3, 2], [3, 3, 2, 6], [1, 1], [[1, 1], [1, 1]], [1, 1]],
  ];
  for (const [xs, ws, strides, padding, dilations] of cases) {
    const p: Conv2dParams = { strides, padding, dilations };
    const label = `x [${xs}] w [${ws}] strides ${strides} padding ${JSON.stringify(padding)} dilations ${dilations}`;
    for (const act of ['linear', 'relu6'] as FusedActivation[]) {
      it(`${label} ${act}: whole and in uneven row ranges, as the CPU reference`, () => {
        const g = windowGeometry('test', xs, [ws[0], ws[1]], strides, dilations, padding);
        expect(prefersDirect(g)).toBe(true);
        const x = rand(xs, xs[1] * 3 + ws[3]);
        const w = rand(ws, ws[0] * 5 + ws[2]);
        const bias = act === 'linear' ? null : rand([ws[3]], 5);
        expectWasmParity(be, conv2dKernel, [x, w, bias, p, act] as const, label);

        const want = conv2dKernel.cpu(x, w, bias, p, act).dataSync();
        const [xw, ww, bw] = [toWasm(be, x), toWasm(be, w), bias ? toWasm(be, bias) : null];
        const rows = g.n * g.oh * g.ow;
        const y = be.ctx.output([rows, ws[3]], 'test');
        be.ctx.heap.fillFree(NaN);
        be.ctx.values(y).fill(NaN);
        const mark = be.ctx.mark();
        const packed = packDirect(be.ctx, be.ctx.ptr(ww), bw ? be.ctx.ptr(bw) : 0, ws[0] * ws[1] * ws[2], ws[3]);
        // ranges of 1, 5, 3, 7, ... rows: tiles start anywhere and stop at a range's end
        for (let r0 = 0, i = 0; r0 < rows; i++) {
          const count = Math.min([1, 5, 3, 7][i % 4], rows - r0);
          conv2dRows(be.ctx, be.ctx.ptr(xw), packed, be.ctx.ptr(y), g, ws[3], act, r0, count);
          r0 += count;
        }
        be.ctx.releaseTo(mark);
        expectParity(be.ctx.values(y), want, `${label} in ranges`);
        for (const t of [xw, ww, bw, y]) t?.dispose();
      });
    }
  }

  it(`takes windows up to ${DIRECT_MAX_K} long; longer ones run as im2col + GEMM and agree`, () => {
    const geometry = (c: number) => windowGeometry('test', [1, 4, 4, c], [3, 3], [1, 1], [1, 1], 'same');
    expect(prefersDirect(geometry(DIRECT_MAX_K / 10))).toBe(true);
    expect(prefersDirect(geometry(Math.floor(DIRECT_MAX_K / 9) + 1))).toBe(false);
    const c = Math.floor(DIRECT_MAX_K / 9) + 1;
    const p: Conv2dParams = { strides: [1, 1], padding: 'same', dilations: [1, 1] };
    expectWasmParity(be, conv2dKernel, [rand([1, 4, 4, c], 8), rand([3, 3, c, 5], 9), rand([5], 10), p, 'relu'] as const);
  });

  it('is checked in verification mode: a corrupted direct conv throws', async () => {
    await wc.setBackend('wasm', { verify: true });
    const { backend } = await import('../../src/engine.js');
    const v = (backend() as WasmBackend).verifier;
    if (!v) throw new Error('expected the wasm backend in verification mode');
    const x = wc.tensor(randomValues(2 * 6 * 6, 3), [2, 6, 6, 1]);
    const w = wc.tensor(randomValues(25 * 8, 4), [5, 5, 1, 8]);
    const p: Conv2dParams = { strides: [1, 1], padding: 'valid', dilations: [1, 1] };
    const checked = v.checked;
    wc.ops.conv2d(x, w, null, p, 'relu');
    expect(v.checked).toBe(checked + 1);
    v.corruptNext = 'conv2d';
    expect(() => wc.ops.conv2d(x, w, null, p, 'relu')).toThrow(/wasm verify: conv2d\(\[2, 6, 6, 1\], \[5, 5, 1, 8\].*result element 0 is 12345 in wasm/);
  });
});
