// The kernel tuner's choice of candidates (pure logic; the timing runs on WebGPU in test/gpu/kernelTuner.test.ts).
import { describe, expect, it } from 'vitest';
import { KernelTuner, TILED_GEMM, candidates, choiceName, configName, heuristicConfig, isSoftwareAdapter } from '../../src/backend/webgpu/kernelTuner.js';

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
    const t = new KernelTuner<string>(key, true);
    const shape = { m: 100, n: 8, k: 9, transA: false, transB: false };
    expect(choiceName(t.gemmConfig(shape, 'problem'))).toBe('2x32');
    const times: Record<string, number> = { '1x64': 3, '2x32': 2, '4x16': 1 };
    const made = await t.tune(async (problem: string, variant: string) => { expect(problem).toBe('problem'); return times[variant]; });
    expect(made).toEqual([{ kernel: 'gemm', shape: '100x8x9', variant: '4x16', ms: 1, candidates: 3, source: 'measured' }]);
    expect(choiceName(new KernelTuner<string>(key, true).gemmConfig(shape, 'again'))).toBe('4x16');
    expect(t.hasPending).toBe(false);
  });
  it('records nothing to measure when tuning is off, or with one candidate', () => {
    const off = new KernelTuner<null>(`off-${Math.random()}`, false);
    off.gemmConfig({ m: 10, n: 10, k: 10, transA: true, transB: false }, null);
    expect(off.hasPending).toBe(false);
    const on = new KernelTuner<null>(`one-${Math.random()}`, true);
    expect(on.choose('conv2d', 'x', 'im2col', ['im2col'], null)).toBe('im2col');
    expect(on.hasPending).toBe(false);
  });
  it("measures in the same call what the chosen variant's run asks about, and drops what the others asked", async () => {
    const t = new KernelTuner<string>(`nested-${Math.random()}`, true);
    // a conv whose im2col runs a GEMM (asked about while im2col is timed); a GEMM the model itself recorded too
    t.choose('conv2d', 'c1', 'direct', ['im2col', 'direct'], 'conv c1');
    t.choose('conv2d', 'c2', 'direct', ['im2col', 'direct'], 'conv c2');
    t.choose('gemm', 'model', '2x32', ['1x64', '2x32'], 'gemm model');
    const timed: string[] = [];
    const made = await t.tune(async (problem, variant) => {
      timed.push(`${problem} ${variant}`);
      if (variant === 'im2col') {
        t.choose('gemm', `cols of ${problem}`, '2x32', ['1x64', '2x32'], `gemm of ${problem}`);
        t.choose('gemm', 'model', '2x32', ['1x64', '2x32'], 'gemm model');
      }
      // c1 runs faster on im2col, c2 on the direct kernel
      if (problem.startsWith('conv')) return (variant === 'im2col') === (problem === 'conv c1') ? 1 : 2;
      return variant === '1x64' ? 1 : 2;
    });
    expect(made.map((c) => `${c.shape}: ${c.variant}`)).toEqual(['c1: im2col', 'c2: direct', 'model: 1x64', 'cols of conv c1: 1x64']);
    expect(timed.filter((x) => x.includes('gemm'))).toEqual(['gemm model 1x64', 'gemm model 2x32', 'gemm of conv c1 1x64', 'gemm of conv c1 2x32']);
    expect(t.hasPending).toBe(false);
  });
  it('adopts cached choices unless one was measured', () => {
    const key = `cache-${Math.random()}`;
    const t = new KernelTuner<null>(key, true);
    t.adopt([{ kernel: 'conv2d', shape: 's', variant: 'direct', ms: 2, candidates: 2, source: 'measured' }]);
    expect(t.choose('conv2d', 's', 'im2col', ['im2col', 'direct'], null)).toBe('direct');
    expect(t.choices()[0].source).toBe('cached');
    expect(t.hasPending).toBe(false);
  });
  it('offers the tiled GEMM on hardware adapters only, never as the unmeasured choice, and keeps it when fastest', async () => {
    const shape = { m: 1024, n: 1024, k: 1024, transA: false, transB: false };
    const soft = new KernelTuner<null>(`soft-${Math.random()}`, true, false);
    soft.gemmConfig(shape, null);
    expect(soft.pendingProblems()[0].candidates).toEqual(['4x16', '8x8', '16x4']);
    const hard = new KernelTuner<null>(`hard-${Math.random()}`, true, true);
    expect(choiceName(hard.gemmConfig(shape, null))).toBe('8x8');
    expect(hard.pendingProblems()[0].candidates).toEqual(['4x16', '8x8', '16x4', TILED_GEMM]);
    const made = await hard.tune(async (_p, variant) => (variant === TILED_GEMM ? 1 : 5));
    expect(made[0].variant).toBe(TILED_GEMM);
    expect(hard.gemmConfig(shape, null)).toBe('tiled');
  });
  it('tells software adapters (SwiftShader, fallback) from hardware ones', () => {
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: false })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: '', isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false })).toBe(false);
  });
});
