import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

describe('wasm relaxed-SIMD build', () => {
  it('its GEMM (fused multiply-adds) matches a float64 reference on every transpose, bias and activation', () => {
    // Chrome takes this build; Node 20 only with the flag, so it runs in a child process.
    const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', 'test/wasm/relaxedGemm.mjs'], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { validated: boolean; compared: number; failures: string[] };
    expect(r.validated).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.compared).toBeGreaterThan(10_000);
  }, 60_000);
});
