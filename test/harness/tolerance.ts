// The one GPU-vs-CPU tolerance of the parity tests: the same numbers
// verification mode uses (src/backend/webgpu/tolerance.ts says why), never
// loosened per test.
import { TOLERANCE } from '../../src/backend/webgpu/tolerance.js';
import { expect } from 'vitest';
import { expectClose } from '../util/check.js';

export { TOLERANCE };

/**
 * GPU values against the CPU reference. An all-zero or non-finite GPU output is
 * always a failure (a kernel that never ran, or wrote nothing, reads as zeros),
 * unless the reference is all zeros too.
 */
export function expectParity(gpu: ArrayLike<number>, cpu: ArrayLike<number>, label: string): void {
  const allZero = (a: ArrayLike<number>) => Array.prototype.every.call(a, (v: number) => v === 0);
  expect(Array.prototype.every.call(gpu, Number.isFinite), `${label}: GPU output holds NaN or Infinity`).toBe(true);
  if (gpu.length > 0 && !allZero(cpu)) expect(allZero(gpu), `${label}: GPU output is all zeros`).toBe(false);
  expectClose(gpu, cpu, TOLERANCE, label);
}
