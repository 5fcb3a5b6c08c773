// One table cell: a figure in its row's unit and how it was taken.

import { flops, type Task } from './plan.js';
import type { Measurement } from './measure.js';

export interface CellResult {
  /** The figure in the row's unit; null where there is none (see note). */
  value: number | null;
  /** Not timed after a warm-up: the warm-up call stands in (CPU engines) or the figure is estimated (see note). */
  estimate: boolean;
  /** Calls (steps) timed. */
  calls: number;
  /** Seconds the timed calls took together. */
  seconds: number;
  warmupSeconds: number;
  note?: string;
}

/** The figure a measurement gives for a task: GFLOP/s, images/s, or seconds (first step). */
export function cellFrom(task: Task, m: Measurement): CellResult {
  const seconds = m.ms / 1000;
  const perSecond = m.calls / seconds;
  const value = task.kind === 'gemm' || task.kind === 'conv' || task.kind === 'depthwise' ? (flops(task) * perSecond) / 1e9
    : task.kind === 'firstStep' ? seconds
      : task.batch * perSecond;
  return {
    value, estimate: m.fromWarmup, calls: m.calls, seconds, warmupSeconds: m.warmupMs / 1000,
    ...(m.fromWarmup ? { note: 'one call took longer than the cap: the warm-up call is the figure, not repeated' } : {}),
  };
}

export function notRun(note: string): CellResult {
  return { value: null, estimate: false, calls: 0, seconds: 0, warmupSeconds: 0, note };
}
