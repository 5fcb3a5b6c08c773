// Picks gemm.wgsl's workgroup shape per GEMM shape, by measuring on the adapter.
//
// Every invocation of gemm.wgsl computes an 8x4 block of C; a workgroup of
// 64 invocations is WG_X blocks across n by WG_Y blocks down m. The shape that
// wins depends on the adapter and on C's shape: with n = 8 (a conv with 8
// filters) the default 8x8 workgroup leaves 6 of every 8 columns of
// invocations idle, while 2x32 keeps all of them busy; real GPUs with shared
// caches may prefer wide workgroups on square GEMMs. So:
//   1. a GEMM shape seen for the first time runs with a heuristic shape (the
//      narrowest workgroup that still spans n), whose pipeline is created in
//      the background; until it exists the prepared 8x8 pipeline runs;
//   2. autotune() times the candidates around the heuristic on the real shape
//      (the model's own sizes, after its first step) and keeps the fastest;
//   3. choices are cached per adapter: in memory for every backend made on
//      it, and in IndexedDB in browsers, so a reload does not measure again.

export interface GemmConfig { readonly wgX: number; readonly wgY: number }
export interface GemmShape { readonly m: number; readonly n: number; readonly k: number; readonly transA: boolean; readonly transB: boolean }
export interface GemmChoice { shape: string; config: string; ms: number; candidates: number; source: 'measured' | 'cached' }

/** Invocations per workgroup: every candidate keeps this, only the aspect changes. */
const INVOCATIONS = 64;
/** Columns of C one invocation computes (gemm.wgsl's TN). */
const BLOCK_N = 4;
export const DEFAULT_GEMM: GemmConfig = { wgX: 8, wgY: 8 };

const config = (wgX: number): GemmConfig => ({ wgX, wgY: INVOCATIONS / wgX });
export const configName = (c: GemmConfig): string => `${c.wgX}x${c.wgY}`;
export const shapeName = (s: GemmShape): string => `${s.m}x${s.n}x${s.k}${s.transA ? ' Aᵀ' : ''}${s.transB ? ' Bᵀ' : ''}`;

/** The narrowest power-of-two workgroup width whose blocks span n, at most the measured default's 8. */
export function heuristicConfig(n: number): GemmConfig {
  let wgX = 1;
  while (wgX < DEFAULT_GEMM.wgX && wgX * BLOCK_N < n) wgX *= 2;
  return config(wgX);
}

/** The heuristic and its neighbours (half and twice as wide). */
export function candidates(n: number): GemmConfig[] {
  const h = heuristicConfig(n).wgX;
  return [h / 2, h, h * 2].filter((w) => w >= 1 && w <= 16 && Number.isInteger(w)).map(config);
}

/** Every workgroup shape the tuner may pick (the pipelines a test must cover). */
export const ALL_CONFIGS: readonly GemmConfig[] = [1, 2, 4, 8, 16].map(config);

/** Choices per adapter, shared by every backend created on that adapter in this page. */
const memoryCache = new Map<string, Map<string, GemmChoice & { wgX: number }>>();

export class GemmTuner {
  private readonly chosen: Map<string, GemmChoice & { wgX: number }>;
  /** Shapes recorded but not yet measured. */
  private readonly pending = new Map<string, GemmShape>();
  /** Tests pin one configuration to cover every variant. */
  forced: GemmConfig | null = null;

  constructor(readonly adapterKey: string, readonly enabled: boolean) {
    let c = memoryCache.get(adapterKey);
    if (!c) memoryCache.set(adapterKey, (c = new Map()));
    this.chosen = c;
  }

  /** The configuration to record `shape` with (the caller falls back to the default until its pipeline exists). */
  configFor(shape: GemmShape): GemmConfig {
    if (this.forced) return this.forced;
    const key = shapeName(shape);
    const hit = this.chosen.get(key);
    if (hit) return config(hit.wgX);
    if (this.enabled) this.pending.set(key, shape);
    return heuristicConfig(shape.n);
  }

  pendingShapes(): GemmShape[] {
    return [...this.pending.values()];
  }

  get hasPending(): boolean {
    return this.enabled && this.pending.size > 0;
  }

  /** Measures every pending shape with `time` (ms for one run of the shape with a config) and keeps the fastest. */
  async tune(time: (shape: GemmShape, c: GemmConfig) => Promise<number>): Promise<GemmChoice[]> {
    const made: GemmChoice[] = [];
    for (const [key, shape] of [...this.pending]) {
      this.pending.delete(key);
      const cands = candidates(shape.n);
      let best = { c: cands[0], ms: Infinity };
      for (const c of cands) {
        const ms = await time(shape, c);
        if (ms < best.ms) best = { c, ms };
      }
      const choice = { shape: key, config: configName(best.c), ms: best.ms, candidates: cands.length, source: 'measured' as const, wgX: best.c.wgX };
      this.chosen.set(key, choice);
      made.push(choice);
    }
    return made;
  }

  /** Adds choices loaded from a persistent cache (measured ones win). */
  adopt(choices: readonly (GemmChoice & { wgX: number })[]): void {
    for (const c of choices) {
      if (!this.chosen.has(c.shape) && ALL_CONFIGS.some((a) => a.wgX === c.wgX)) {
        this.chosen.set(c.shape, { ...c, source: 'cached' });
        this.pending.delete(c.shape);
      }
    }
  }

  /** Every choice in force, for backendInfo() and the profiler. */
  choices(): (GemmChoice & { wgX: number })[] {
    return [...this.chosen.values()];
  }
}
