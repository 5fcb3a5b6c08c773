import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { BINARY_OPS, UNARY_OPS, binaryKernel, sumToShapeKernel, unaryKernel, whereKernel, type BinaryOp, type UnaryOp } from '../../src/kernels/elementwise/index.js';
import { collapse } from '../../src/kernels/elementwise/wasm.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
/** Values on a grid of eighths (ties for the comparisons, zeros for sign and step). */
const grid = (shape: readonly number[], seed: number, lo: number, hi: number) =>
  cpuTensor(randomValues(size(shape), seed, lo, hi).map((v) => Math.round(v * 8) / 8), [...shape]);

// The lane ops are float32 operations whose result equals the CPU's f64 one
// rounded once (or selections and comparisons): exact. The others are the
// CPU's f64 formulas, where exp, log and pow may differ in the last f64 bit.
const LANE_UNARY = new Set<UnaryOp>(['neg', 'abs', 'sqrt', 'square', 'reciprocal', 'sign', 'relu', 'relu6', 'clip', 'step', 'fill', 'relu6Mask', 'negativePart']);
const LANE_BINARY = new Set<BinaryOp>(BINARY_OPS.filter((op) => op !== 'pow' && op !== 'squaredDifference' && op !== 'floorDiv'));

/** Inputs inside each op's domain (the parity harness rejects NaN outputs). */
function unaryInput(op: UnaryOp, shape: readonly number[]) {
  if (['log', 'sqrt', 'rsqrt', 'powScalar', 'reciprocal'].includes(op)) return grid(shape, 1, 0.125, 4);
  if (op === 'log1p') return grid(shape, 1, -0.875, 4);
  if (['sigmoidDeriv', 'tanhDeriv'].includes(op)) return grid(shape, 1, 0, 1);
  return grid(shape, 1, -8, 8);
}

describe('elementwise (wasm)', () => {
  for (const op of UNARY_OPS) {
    it(`unary ${op} on [3, 5, 7] and [3]`, () => {
      const [alpha, beta] = op === 'clip' || op === 'clipMask' ? [-1.3, 2.6] : op === 'powScalar' ? [1.7, 0] : [0.3, -0.6];
      for (const shape of [[3, 5, 7], [3]]) {
        expectWasmMatch(be, unaryKernel, [unaryInput(op, shape), op, alpha, beta], LANE_UNARY.has(op) ? EXACT : ULPS, `${op} [${shape}]`);
      }
    });
  }

  it('unary NaN and zero cases as the CPU reference', () => {
    const v = [NaN, 0, -0, -1, 7];
    for (const op of ['relu', 'relu6', 'sign', 'step', 'abs', 'neg', 'negativePart', 'clip', 'relu6Mask'] as const) {
      const want = [...unaryKernel.cpu(cpuTensor(Float32Array.from(v), [5]), op, 0.5, 3).dataSync()];
      expect([...wc.ops.unary(wc.tensor(v, [5]), op, 0.5, 3).dataSync()], op).toEqual(want);
    }
  });

  // Same shapes; a row broadcast; both broadcast at once; a scalar; a middle axis; an outer product.
  const pairs: [number[], number[]][] = [
    [[3, 5, 7], [3, 5, 7]], [[2, 3, 4, 5], [5]], [[4, 1, 6], [1, 5, 1]], [[2, 9], []], [[2, 3, 4, 5], [3, 1, 5]], [[3, 1], [1, 7]], [[6], [2, 1, 6]],
  ];
  for (const op of BINARY_OPS) {
    it(`binary ${op}, broadcast`, () => {
      for (const [sa, sb] of pairs) {
        // Both orders run, so both operands avoid 0 (a divisor) and negatives (pow's base).
        const [lo, hi] = op === 'div' || op === 'floorDiv' || op === 'pow' ? [0.25, 2] : [-2, 2];
        const a = grid(sa, 2, lo, hi);
        const b = grid(sb, 3, lo, hi);
        expectWasmMatch(be, binaryKernel, [a, b, op], LANE_BINARY.has(op) ? EXACT : ULPS, `${op} [${sa}] [${sb}]`);
        expectWasmMatch(be, binaryKernel, [b, a, op], LANE_BINARY.has(op) ? EXACT : ULPS, `${op} [${sb}] [${sa}]`);
      }
    });
  }

  it('binary NaN cases as the CPU reference', () => {
    const a = [NaN, NaN, 1, 0, -0];
    const b = [NaN, 1, NaN, -0, 0];
    for (const op of ['maximum', 'minimum', 'equal', 'notEqual', 'greater', 'logicalAnd', 'prelu'] as const) {
      const want = [...binaryKernel.cpu(cpuTensor(Float32Array.from(a), [5]), cpuTensor(Float32Array.from(b), [5]), op).dataSync()];
      expect([...wc.ops.binary(wc.tensor(a, [5]), wc.tensor(b, [5]), op).dataSync()], op).toEqual(want);
    }
  });

  it('where, the three broadcast', () => {
    const cases: [number[], number[], number[]][] = [[[3, 5, 7], [3, 5, 7], [3, 5, 7]], [[4, 1, 6], [1, 5, 1], [6]], [[], [3, 1], [1, 2]]];
    for (const [sc, sa, sb] of cases) {
      // A condition on a grid of eighths holds zeros.
      expectWasmMatch(be, whereKernel, [grid(sc, 4, -0.5, 0.5), grid(sa, 5, -2, 2), grid(sb, 6, -2, 2)], EXACT, `where [${sc}] [${sa}] [${sb}]`);
    }
  });

  it('sumToShape back to each broadcast input', () => {
    // Sums in f64 in another order than the CPU's: a few ulps.
    const cases: [number[], number[]][] = [[[2, 3, 4, 5], [5]], [[2, 3, 4, 5], [3, 1, 5]], [[4, 5, 6], [4, 1, 1]], [[3, 7], []], [[3, 7], [3, 7]], [[6, 1, 9], [1, 9]]];
    for (const [from, to] of cases) expectWasmMatch(be, sumToShapeKernel, [grid(from, 7, -2, 2), to], ULPS, `sumToShape [${from}] -> [${to}]`);
    expect([...wc.ops.sumToShape(wc.tensor([1, 2, 3, 4, 5, 6], [2, 3]), [3]).dataSync()]).toEqual([5, 7, 9]);
  });

  it('collapses broadcast axes into the longest inner run', () => {
    // [2, 3, 4] + [4]: the outer two axes merge; b walks 4 and repeats.
    expect(collapse([2, 3, 4], [[2, 3, 4], [4]])).toEqual({ shape: [6, 4], strides: [[4, 1], [0, 1]] });
    // Same shapes: one run.
    expect(collapse([2, 3, 4], [[2, 3, 4], [2, 3, 4]])).toEqual({ shape: [24], strides: [[1], [1]] });
    // Broadcast along two neighbouring axes at once: they merge too.
    expect(collapse([2, 3, 4, 5], [[2, 1, 1, 5]])).toEqual({ shape: [2, 12, 5], strides: [[5, 0, 1]] });
    // Scalars: one element.
    expect(collapse([], [[], []])).toEqual({ shape: [1], strides: [[0], [0]] });
  });
});
