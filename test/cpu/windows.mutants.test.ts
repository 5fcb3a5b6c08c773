// CPU window kernels where 'same' padding meets the batch: a window's
// padded rows and columns must be skipped, not read from the neighbouring
// image or row (three images, small / large / small, so any such read shows);
// max pooling's first-maximum rule with -Infinity; average pooling's counts
// at the border; strided locally-connected taps; and each kernel naming
// itself in its geometry error when called on the backend directly.
// Written to kill StrykerJS mutants (docs/MUTATION.md).

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { CpuBackend } from '../../src/backend/cpu/index.js';
import { kernelsOf } from '../../src/kernels/registry.js';

const o = wc.ops;
const t = (v: number[], shape: number[]) => wc.tensor(v, shape);
const values = (x: wc.Tensor) => [...x.dataSync()];
const cpu = kernelsOf(new CpuBackend());

const SAME3 = { poolSize: [3, 3] as [number, number], strides: [1, 1] as [number, number], padding: 'same' as const };

describe('max pooling: padded cells are skipped, not read from a neighbour', () => {
  // three 3x2 images: negatives, then 1..6 with 50 at row 2, then negatives again
  const small = [-1, -2, -3, -4, -5, -6];
  const x = t([...small, 1, 2, 3, 4, 50, 6, ...small], [3, 3, 2, 1]);

  it("forward, 3x3 'same' windows, stride 1", () => {
    // rows 0-1 for output row 0, rows 0-2 for row 1, rows 1-2 for row 2; every window spans both columns
    const quiet = [-1, -1, -1, -1, -3, -3];
    expect(values(o.maxPool2d(x, SAME3))).toEqual([...quiet, 4, 4, 50, 50, 50, 50, ...quiet]);
  });

  it('backward routes each dy to its window\'s maximum', () => {
    const dx = o.maxPool2dBackward(t(new Array(18).fill(1), [3, 3, 2, 1]), x, SAME3);
    const quiet = [4, 0, 2, 0, 0, 0];
    expect(values(dx)).toEqual([...quiet, 0, 0, 0, 2, 4, 0, ...quiet]);
  });

  it('the maximum need not come first; ties and -Infinity go to the first cell', () => {
    const p = { poolSize: [1, 2] as [number, number], strides: [1, 2] as [number, number], padding: 'valid' as const };
    expect(values(o.maxPool2d(t([1, 2], [1, 1, 2, 1]), p))).toEqual([2]);
    const inf = t([-Infinity, -Infinity], [1, 1, 2, 1]);
    expect(values(o.maxPool2d(inf, p))).toEqual([-Infinity]);
    expect(values(o.maxPool2dBackward(t([1], [1, 1, 1, 1]), inf, p))).toEqual([1, 0]);
  });
});

describe("average pooling at the border of 'same' windows", () => {
  const x = t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);

  it('averages only the real pixels: corners over 4, edges over 6, the centre over 9', () => {
    expect(values(o.avgPool2d(x, SAME3))).toEqual([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
  });

  it('backward spreads each dy over the same pixels (dx(0,0) = 1/4 + 2/6 + 1/9)', () => {
    const dx = values(o.avgPool2dBackward(t(new Array(9).fill(1), [1, 3, 3, 1]), [1, 3, 3, 1], SAME3));
    const corner = Math.fround(1 / 4 + 1 / 6 + 1 / 6 + 1 / 9);
    expect(dx[0]).toBeCloseTo(corner, 6);
    expect(dx[8]).toBeCloseTo(corner, 6);
    // the centre is in all nine windows: 4 * 1/4 + 4 * 1/6 + 1/9
    expect(dx[4]).toBeCloseTo(1 + 4 / 6 + 1 / 9, 6);
  });
});

describe('convolution backward over a batch with padding', () => {
  it("dx of a 3x3 'same' kernel of ones on two 2x2 images: every pixel is in all four windows", () => {
    const p = { strides: [1, 1] as [number, number], padding: 'same' as const, dilations: [1, 1] as [number, number] };
    const dx = o.conv2dBackwardInput(t(new Array(8).fill(1), [2, 2, 2, 1]), t(new Array(9).fill(1), [3, 3, 1, 1]), [2, 2, 2, 1], p);
    expect(values(dx)).toEqual(new Array(8).fill(4));
  });
});

describe('locally connected with stride 2', () => {
  it('1x1 taps of 1..9 (3x3) at stride 2 read the corners 1, 3, 7, 9', () => {
    const y = o.locallyConnected2d(t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), t([1, 1, 1, 1], [4, 1, 1]), null, { kernelSize: [1, 1], strides: [2, 2] });
    expect(values(y)).toEqual([1, 3, 7, 9]);
  });
});

describe('each CPU kernel names itself in a geometry error', () => {
  const x = t([1, 2, 3, 4], [1, 2, 2, 1]);
  const w = t(new Array(9).fill(1), [3, 3, 1, 1]);
  const dy = t([1], [1, 1, 1, 1]);
  const conv = { strides: [1, 1] as [number, number], padding: 'valid' as const, dilations: [1, 1] as [number, number] };
  const pool = { poolSize: [3, 3] as [number, number], strides: [1, 1] as [number, number], padding: 'valid' as const };
  const lc = { kernelSize: [3, 3] as [number, number], strides: [1, 1] as [number, number] };
  it.each([
    ['conv2d', () => cpu.conv2d(x, w, null, conv)],
    ['conv2dBackwardInput', () => cpu.conv2dBackwardInput(dy, w, [1, 2, 2, 1], conv)],
    ['conv2dBackwardFilter', () => cpu.conv2dBackwardFilter(x, dy, [3, 3, 1, 1], conv)],
    ['maxPool2d', () => cpu.maxPool2d(x, pool)],
    ['maxPool2dBackward', () => cpu.maxPool2dBackward(dy, x, pool)],
    ['avgPool2d', () => cpu.avgPool2d(x, pool)],
    ['avgPool2dBackward', () => cpu.avgPool2dBackward(dy, [1, 2, 2, 1], pool)],
    ['locallyConnected2d', () => cpu.locallyConnected2d(x, w, null, lc)],
    ['locallyConnected2dBackwardInput', () => cpu.locallyConnected2dBackwardInput(dy, w, [1, 2, 2, 1], lc)],
    ['locallyConnected2dBackwardFilter', () => cpu.locallyConnected2dBackwardFilter(x, dy, [1, 9, 1], lc)],
  ])('%s', (op, call) => {
    expect(call).toThrow(`${op}: the height kernel extent 3 (kernel 3, dilation 1) is larger than the padded input 2 (input 2, padding 0+0)`);
  });
});
