// The one timing loop every cell uses, for webcnn and TF.js alike.
//
// A round runs k calls and returns only once the last result is read back
// (await data()): GPU queues run in order, so reading the last result proves
// every call of the round has finished before the timer stops. One round of
// one call warms up first (pipelines, shader compilation, JIT) and is not
// counted. Then a round of one call prices a call, and rounds growing at most
// 4x fill the rest of the cell's time budget, so slow cells time a single
// call and fast ones many, with one read-back (one queue wait) per round.

export interface MeasureOptions {
  /** Milliseconds of timed calls to aim for per cell. */
  budgetMs: number;
  /**
   * When the warm-up call alone took longer than this, it stands in for the
   * timed call (marked as such). Only for engines that compile nothing on a
   * first call (the CPU ones); Infinity for the others.
   */
  maxCallMs: number;
  /** Upper bound on timed calls (tiny kernels). */
  maxCalls?: number;
  /** Runs after the warm-up, untimed (webcnn's autotuner, as fit runs it after the first batch). */
  afterWarmup?: () => Promise<void>;
  /** Milliseconds of a warm-up the caller already ran (a model's first trained step): no warm-up round then. */
  warmedUpMs?: number;
  /** The clock, in milliseconds (performance.now; tests pass a counter). */
  now?: () => number;
}

export interface Measurement {
  /** Calls timed after the warm-up (1 when the warm-up stands in). */
  calls: number;
  /** Milliseconds the timed calls took together. */
  ms: number;
  warmupMs: number;
  /** The warm-up call was over maxCallMs and is the figure. */
  fromWarmup: boolean;
}

export async function measure(round: (k: number) => Promise<void>, o: MeasureOptions): Promise<Measurement> {
  const maxCalls = o.maxCalls ?? 1000;
  const now = o.now ?? (() => performance.now());
  let warmupMs = o.warmedUpMs ?? -1;
  if (warmupMs < 0) {
    const t0 = now();
    await round(1);
    warmupMs = now() - t0;
  }
  await o.afterWarmup?.();
  if (warmupMs > o.maxCallMs) return { calls: 1, ms: warmupMs, warmupMs, fromWarmup: true };
  let calls = 0;
  let ms = 0;
  let k = 1;
  for (;;) {
    const t = now();
    await round(k);
    ms += now() - t;
    calls += k;
    if (ms >= o.budgetMs || calls >= maxCalls) break;
    // Fill the rest of the budget at the rate seen so far, but grow at most 4x per round:
    // calls that slow down (background compilation, a warming cache) cannot overrun it by much.
    k = Math.max(1, Math.min(maxCalls - calls, 4 * calls, Math.ceil((o.budgetMs - ms) / (ms / calls))));
  }
  return { calls, ms, warmupMs, fromWarmup: false };
}
