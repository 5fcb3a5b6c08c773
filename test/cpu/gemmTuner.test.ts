// The GEMM tuner's choice of candidates (pure logic; the timing runs on WebGPU in test/gpu/gemmTuner.test.ts).
import { describe, expect, it } from 'vitest';
import { GemmTuner, candidates, configName, heuristicConfig } from '../../src/backend/webgpu/gemmTuner.js';

describe('GEMM workgroup heuristic and candidates', () => {
  it('spans n with the narrowest workgroup, up to the 8x8 default', () => {
    expect([1, 4, 5, 8, 16, 17, 32, 33, 512].map((n) => configName(heuristicConfig(n)))).toEqual(
      ['1x64', '1x64', '2x32', '2x32', '4x16', '8x8', '8x8', '8x8', '8x8']);
  });
  it('tries the heuristic and its neighbours', () => {
    expect(candidates(8).map(configName)).toEqual(['1x64', '2x32', '4x16']);
    expect(candidates(3).map(configName)).toEqual(['1x64', '2x32']);
    expect(candidates(512).map(configName)).toEqual(['4x16', '8x8', '16x4']);
  });
  it('keeps the fastest measured candidate and shares it with later tuners of the adapter', async () => {
    const key = `test-adapter-${Math.random()}`;
    const t = new GemmTuner(key, true);
    const shape = { m: 100, n: 8, k: 9, transA: false, transB: false };
    expect(configName(t.configFor(shape))).toBe('2x32');
    const times: Record<string, number> = { '1x64': 3, '2x32': 2, '4x16': 1 };
    const made = await t.tune(async (_s, c) => times[configName(c)]);
    expect(made).toEqual([expect.objectContaining({ shape: '100x8x9', config: '4x16', ms: 1, candidates: 3 })]);
    expect(configName(new GemmTuner(key, true).configFor(shape))).toBe('4x16');
    expect(t.hasPending).toBe(false);
  });
  it('records nothing to measure when tuning is off', () => {
    const t = new GemmTuner(`off-${Math.random()}`, false);
    t.configFor({ m: 10, n: 10, k: 10, transA: true, transB: false });
    expect(t.hasPending).toBe(false);
  });
});
