// Keeping the bench under its time limit: before a cell runs, its call time
// is estimated from what the same engine already measured; a cell whose one
// call would take longer than the cap is not run. Where the estimate is the
// same operation at another size (a bigger GEMM, a bigger batch) the table
// shows the rate it implies, marked '~'. A conv pass over the cap runs at a
// smaller batch instead (reducedConv), so its cell still holds a measured
// GFLOP/s, marked '~' with the batch it ran at.

import { notRun, type CellResult } from './cell.js';
import { flops, type Engine, type Row } from './plan.js';
import type { Results } from './table.js';

export interface CallEstimate {
  seconds: number;
  /** The row it was estimated from. */
  from: string;
  /** The figure it implies for this row (the same rate), or null when it implies none. */
  value: number | null;
}

const measured = (c: CellResult | undefined): c is CellResult & { value: number } => !!c && c.value !== null && c.calls > 0;

/** Seconds one call of `row` on `engine` should take, from the engine's earlier cells; null when nothing tells. */
export function estimateCall(row: Row, engine: Engine, rows: readonly Row[], results: Results): CallEstimate | null {
  const t = row.task;
  const cell = (r: Row) => results[r.id]?.[engine];
  if (t.kind === 'gemm') {
    // The largest smaller GEMM, scaled by n³ at the same GFLOP/s.
    const prev = rows.filter((r) => r.task.kind === 'gemm' && r.task.n < t.n && measured(cell(r))).pop();
    if (!prev) return null;
    const rate = cell(prev)!.value!;
    return { seconds: flops(t) / (rate * 1e9), from: prev.id, value: rate };
  }
  if (t.kind === 'train' || t.kind === 'infer') {
    // The same model and kind at a smaller batch, at the same images/s.
    const prev = rows.filter((r) => r.task.kind === t.kind && 'model' in r.task && r.task.model === t.model && r.task.batch < t.batch && measured(cell(r))).pop();
    if (!prev) return null;
    const rate = cell(prev)!.value!;
    return { seconds: t.batch / rate, from: prev.id, value: rate };
  }
  if (t.kind === 'mobilenet') {
    // The same mode at a smaller batch, at the same images/s.
    const prev = rows.filter((r) => r.task.kind === 'mobilenet' && r.task.mode === t.mode && r.task.batch < t.batch && measured(cell(r))).pop();
    if (!prev) return null;
    const rate = cell(prev)!.value!;
    return { seconds: t.batch / rate, from: prev.id, value: rate };
  }
  if (t.kind === 'conv') {
    const pass = (r: Row) => r.task.kind === 'conv' && r.task.pass === t.pass;
    const layer = (r: Row) => r.task.kind === 'conv' && r.task.layer.name === t.layer.name;
    const price = (base: Row | undefined): CallEstimate | null => {
      const rate = base ? results[base.id]?.[engine]?.value : null;
      return base && rate ? { seconds: flops(t) / (rate * 1e9), from: base.id, value: null } : null;
    };
    if (t.pass === 'forward') {
      // The engine's biggest GEMM rate: a forward pass is one GEMM of the same FLOPs, more or less.
      return price(rows.filter((r) => r.task.kind === 'gemm' && measured(cell(r))).pop());
    }
    // A backward pass: the same layer's forward pass (the same FLOPs) and the same pass on another
    // layer (the same kernel) each miss by up to 10x on some engine (TF.js's backward-filter is far
    // slower than its forward; webcnn's MNIST-layer passes are slower than its VGG ones); their
    // geometric mean stays within ~2x on both libraries.
    const a = price(rows.find((r) => r.task.kind === 'conv' && r.task.pass === 'forward' && layer(r)));
    const b = price(rows.find((r) => pass(r) && !layer(r) && measured(cell(r))));
    if (!a || !b) return a ?? b;
    return { seconds: Math.sqrt(a.seconds * b.seconds), from: `${a.from} and ${b.from}`, value: null };
  }
  return null;
}

/** The cell to show instead of running, when one call is estimated over `maxCallS`; null to run it. */
export function skipIfTooSlow(row: Row, engine: Engine, rows: readonly Row[], results: Results, maxCallS: number): CellResult | null {
  const e = estimateCall(row, engine, rows, results);
  if (!e || e.seconds <= maxCallS) return null;
  return {
    ...notRun(`not run: one call ≈ ${e.seconds.toFixed(0)} s (from ${e.from}), over the ${maxCallS} s cap (--max-call)${e.value !== null ? '; the figure is the rate measured there' : ''}`),
    value: e.value,
    estimate: true,
  };
}

/** A call of this length (a fraction of the cap) leaves room for the warm-up and a timed call. */
const REDUCED_CALL_SHARE = 0.25;

/**
 * The conv row at a batch whose one call should take about a quarter of the
 * cap, when the full batch is estimated over it; null for other rows, or when
 * even one image is estimated over the cap. GFLOP/s hardly depends on the
 * batch once a call has a few images' work.
 */
export function reducedConv(row: Row, engine: Engine, rows: readonly Row[], results: Results, maxCallS: number): { row: Row; batch: number; estimate: CallEstimate } | null {
  const t = row.task;
  if (t.kind !== 'conv') return null;
  const e = estimateCall(row, engine, rows, results);
  const full = t.layer.x[0];
  if (!e || e.seconds <= maxCallS) return null;
  const batch = Math.floor((full * maxCallS * REDUCED_CALL_SHARE) / e.seconds);
  if (batch < 1) return null;
  const layer = { ...t.layer, x: [batch, ...t.layer.x.slice(1)] as typeof t.layer.x };
  return { row: { ...row, task: { ...t, layer } }, batch, estimate: e };
}
