// Picks kernel variants per problem shape by measuring on the adapter: the
// GEMM's workgroup shape (heuristicConfig says why it matters) and conv2d as
// im2col + GEMM or as an implicit GEMM (conv2d.ts says when each wins). On
// hardware adapters the workgroup-memory tiled GEMM and tiled implicit-GEMM
// convolution are offered too (never the unmeasured choice). A new
// problem runs the heuristic variant; autotune() later times the candidates on
// the model's real sizes and keeps the fastest. Choices are cached per adapter,
// in memory and in IndexedDB in browsers, so a reload does not measure again.

import type { WindowGeometry } from '../../kernels/geometry.js';

export interface GemmConfig { readonly wgX: number; readonly wgY: number }
/** The tuner's GEMM kernel: the register-blocked one with a workgroup shape, or the workgroup-memory tiled one. */
export type GemmChoice = GemmConfig | 'tiled';
/** The tiled GEMM's variant name in choices (src/kernels/matmul/tiled.ts). */
export const TILED_GEMM = 'tiled 64x64';
export interface GemmShape { readonly m: number; readonly n: number; readonly k: number; readonly transA: boolean; readonly transB: boolean }
/** One tuned decision: for `kernel` on problem `shape`, `variant` ran `ms` per call. */
export interface TunedChoice { kernel: string; shape: string; variant: string; ms: number; candidates: number; source: 'measured' | 'cached' }

/** What the backend's timing function needs to run one problem (matmul.ts, conv2d.ts). */
export type TuneProblem =
  | { kind: 'gemm'; shape: GemmShape; bias: boolean }
  | { kind: 'conv2d'; g: WindowGeometry; cout: number; pass: ConvPass };

/** Which pass of a convolution a conv problem times: the forward, dx or dW. */
export type ConvPass = 'forward' | 'backwardInput' | 'backwardFilter';

/** A decision waiting to be measured: the candidates and what the timing function needs. */
interface Pending<P> { kernel: string; shape: string; candidates: readonly string[]; problem: P }

/** Invocations per workgroup: every GEMM candidate keeps this, only the aspect changes. */
const INVOCATIONS = 64;
/** Columns of C one invocation computes (gemm.wgsl's TN). */
const BLOCK_N = 4;
export const DEFAULT_GEMM: GemmConfig = { wgX: 8, wgY: 8 };

const config = (wgX: number): GemmConfig => ({ wgX, wgY: INVOCATIONS / wgX });
export const configName = (c: GemmConfig): string => `${c.wgX}x${c.wgY}`;
/** A GEMM choice's name in choices: the workgroup shape ('8x8'), or TILED_GEMM. */
export const choiceName = (c: GemmChoice): string => (c === 'tiled' ? TILED_GEMM : configName(c));
export const shapeName = (s: GemmShape): string => `${s.m}x${s.n}x${s.k}${s.transA ? ' Aᵀ' : ''}${s.transB ? ' Bᵀ' : ''}`;

/**
 * The narrowest power-of-two workgroup width whose blocks span n, at most the
 * default's 8. Each invocation computes an 8x4 block of C, and a workgroup of
 * 64 is WG_X blocks across n by WG_Y down m: with n = 8 an 8x8 workgroup leaves
 * 6 of every 8 columns of invocations idle, while 2x32 keeps them all busy.
 * GPUs with shared caches may prefer wide workgroups on square GEMMs.
 */
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
export const configNamed = (name: string): GemmConfig | undefined => ALL_CONFIGS.find((c) => configName(c) === name);

/**
 * im2col + GEMM, the direct kernels (tap table, row sweeps), Winograd F(2x2, 3x3) or F(4x4, 3x3)
 * ('winograd4') (3x3 at stride 1), or the workgroup-memory tiled implicit GEMM (any shape, every pass).
 */
export type ConvAlgorithm = 'im2col' | 'direct' | 'winograd' | 'winograd4' | 'tiled';

/**
 * Whether an adapter is a software one (Chrome's SwiftShader, or any fallback
 * adapter): there workgroup memory is plain memory behind barriers, and the
 * tiled kernels are not offered unless asked for.
 */
export function isSoftwareAdapter(a: { vendor: string; architecture: string; isFallbackAdapter: boolean }): boolean {
  return a.isFallbackAdapter || a.architecture === 'swiftshader' || a.vendor === 'google';
}

/** Choices per adapter, shared by every backend created on that adapter in this page. */
const memoryCache = new Map<string, Map<string, TunedChoice>>();
const keyOf = (kernel: string, shape: string): string => `${kernel} ${shape}`;

export class KernelTuner<P> {
  private readonly chosen: Map<string, TunedChoice>;
  /** Problems recorded but not yet measured. */
  private readonly pending = new Map<string, Pending<P>>();
  /** While tune() times a variant: the problems that variant's run asks about. */
  private recording: Set<string> | null = null;
  /** Tests pin one GEMM kernel (a workgroup shape, or the tiled one), or one conv algorithm, to cover every variant. */
  forced: GemmChoice | null = null;
  forcedConv: ConvAlgorithm | null = null;
  /** Whether Winograd is offered at all (perf tests compare a model with and without it). */
  winograd = true;
  /** Whether the tiled GEMM and tiled conv are offered (hardware adapters; tests turn it on to measure them). */
  tiled: boolean;

  constructor(readonly adapterKey: string, readonly enabled: boolean, hardware = false) {
    this.tiled = hardware;
    // Disabled (autotune: false) keeps the heuristic: it neither measures nor takes the
    // choices other backends on this adapter measured (they would also have their
    // pipelines built at creation, behind the caller's back).
    let c = enabled ? memoryCache.get(adapterKey) : new Map<string, TunedChoice>();
    if (!c) memoryCache.set(adapterKey, (c = new Map()));
    this.chosen = c;
  }

  /** The variant to run for this problem: the measured one, else `heuristic` (and the problem waits to be measured). */
  choose(kernel: string, shape: string, heuristic: string | (() => string), cands: readonly string[], problem: P): string {
    const key = keyOf(kernel, shape);
    const hit = this.chosen.get(key);
    if (hit) return hit.variant;
    this.recording?.add(key);
    if (this.enabled && cands.length > 1) this.pending.set(key, { kernel, shape, candidates: cands, problem });
    // A function: the heuristic is worked out only for shapes without a choice.
    return typeof heuristic === 'function' ? heuristic() : heuristic;
  }

  /** The GEMM kernel for `shape` (the caller falls back to the default until its pipeline exists). */
  gemmConfig(shape: GemmShape, problem: P): GemmChoice {
    if (this.forced) return this.forced;
    const cands = [...candidates(shape.n).map(configName), ...(this.tiled ? [TILED_GEMM] : [])];
    const name = this.choose('gemm', shapeName(shape), configName(heuristicConfig(shape.n)), cands, problem);
    return name === TILED_GEMM ? 'tiled' : configNamed(name) ?? DEFAULT_GEMM;
  }

  pendingProblems(): Pending<P>[] {
    return [...this.pending.values()];
  }

  get hasPending(): boolean {
    return this.enabled && this.pending.size > 0;
  }

  /**
   * Measures every pending problem with `time` (ms per run of one variant) and keeps the fastest.
   * Timing a variant can record problems of its own (a conv's im2col runs a GEMM): those of the
   * variant chosen are measured in this call too, as the model runs them from its next step; those
   * of the variants not chosen are dropped, unless a model recorded them itself.
   */
  async tune(time: (problem: P, variant: string) => Promise<number>): Promise<TunedChoice[]> {
    const made: TunedChoice[] = [];
    const recordedByModel = new Set(this.pending.keys());
    for (let next = this.pending.entries().next(); !next.done; next = this.pending.entries().next()) {
      const [key, job] = next.value;
      this.pending.delete(key);
      let best = { variant: job.candidates[0], ms: Infinity };
      const nested = new Map<string, Set<string>>();
      for (const variant of job.candidates) {
        this.recording = new Set();
        try {
          const ms = await time(job.problem, variant);
          if (ms < best.ms) best = { variant, ms };
        } finally {
          nested.set(variant, this.recording);
          this.recording = null;
        }
      }
      const kept = nested.get(best.variant)!;
      for (const keys of nested.values()) for (const k of keys) if (!kept.has(k) && !recordedByModel.has(k)) this.pending.delete(k);
      const choice: TunedChoice = { kernel: job.kernel, shape: job.shape, ...best, candidates: job.candidates.length, source: 'measured' };
      this.chosen.set(key, choice);
      made.push(choice);
    }
    return made;
  }

  /** Adds choices loaded from a persistent cache (measured ones win). */
  adopt(choices: readonly TunedChoice[]): void {
    for (const c of choices) {
      const key = keyOf(c.kernel, c.shape);
      if (!this.chosen.has(key)) {
        this.chosen.set(key, { ...c, source: 'cached' });
        this.pending.delete(key);
      }
    }
  }

  /** Every choice in force, for backendInfo() and the profiler. */
  choices(): TunedChoice[] {
    return [...this.chosen.values()];
  }
}
