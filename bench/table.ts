// Turning cells into the bench's table: figures, the two headline ratios,
// the calls-timed table, and the notes. Pure functions (tested in
// test/bench/table.test.ts).

import type { CellResult } from './cell.js';
import { ENGINES, isWebcnn, type Engine, type ModelName, type Row } from './plan.js';
import type { StepProfile } from './webcnnCells.js';

export type Results = Record<string, Partial<Record<Engine, CellResult>>>;

/** 3 significant figures, thousands separated: 1,312 / 46.2 / 0.468. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

export function formatCell(c: CellResult | undefined): string {
  if (!c) return '';
  if (c.value === null) return c.note?.startsWith('tfjs-wasm') ? 'n/a' : '—';
  return `${c.estimate ? '~' : ''}${formatNumber(c.value)}`;
}

export interface Ratio {
  /** How many times faster webcnn is (>1: webcnn ahead), for rates and times alike. */
  value: number;
  /** At least one side is an estimate. */
  estimate: boolean;
}

/** Speed-up of a over b: a/b for rates, b/a for times. */
function speedup(row: Row, a: CellResult | undefined, b: CellResult | undefined): Ratio | null {
  if (!a || !b || a.value === null || b.value === null || a.value <= 0 || b.value <= 0) return null;
  return { value: row.higherIsBetter ? a.value / b.value : b.value / a.value, estimate: a.estimate || b.estimate };
}

/** The best cell of one library in a row (highest rate, or shortest time). */
export function best(row: Row, cells: Partial<Record<Engine, CellResult>>, webcnn: boolean): { engine: Engine; cell: CellResult } | null {
  let out: { engine: Engine; cell: CellResult } | null = null;
  for (const engine of ENGINES) {
    const cell = cells[engine];
    if (isWebcnn(engine) !== webcnn || !cell || cell.value === null) continue;
    const better = !out || (row.higherIsBetter ? cell.value > out.cell.value! : cell.value < out.cell.value!);
    if (better) out = { engine, cell };
  }
  return out;
}

/** The headline columns: webcnn-webgpu over tfjs-webgpu, and webcnn's best over TF.js's best. */
export function ratios(row: Row, cells: Partial<Record<Engine, CellResult>>): { webgpu: Ratio | null; best: Ratio | null } {
  const wc = best(row, cells, true);
  const tf = best(row, cells, false);
  return { webgpu: speedup(row, cells['webcnn-webgpu'], cells['tfjs-webgpu']), best: wc && tf ? speedup(row, wc.cell, tf.cell) : null };
}

export function formatRatio(r: Ratio | null): string {
  if (!r) return '—';
  return `${r.estimate ? '~' : ''}${r.value >= 10 ? r.value.toFixed(0) : r.value.toFixed(1)}×`;
}

/** A markdown table with padded columns (readable as plain text too). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `-${'-'.repeat(w)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Only the engines that ran: a run filtered to some engines shows only those columns. */
export function enginesIn(results: Results): Engine[] {
  return ENGINES.filter((e) => Object.values(results).some((cells) => cells[e]));
}

/** The main table: one row per task, one column per engine, then the two ratios. */
export function resultsTable(rows: readonly Row[], results: Results): string {
  const engines = enginesIn(results);
  const header = ['', 'unit', ...engines, 'webgpu: webcnn/tfjs', 'best: webcnn/tfjs'];
  const body = rows.filter((r) => results[r.id]).map((r) => {
    const cells = results[r.id];
    const q = ratios(r, cells);
    return [r.label, r.unit, ...engines.map((e) => formatCell(cells[e])), formatRatio(q.webgpu), formatRatio(q.best)];
  });
  return markdownTable(header, body);
}

/** How each figure was taken: calls (steps) timed and their seconds. */
export function callsTable(rows: readonly Row[], results: Results): string {
  const engines = enginesIn(results);
  const body = rows.filter((r) => results[r.id]).map((r) => [r.label, ...engines.map((e) => {
    const c = results[r.id][e];
    if (!c || c.value === null) return '';
    return c.calls === 0 ? 'estimated' : `${c.calls} in ${c.seconds.toFixed(c.seconds >= 10 ? 0 : 1)} s`;
  })]);
  return markdownTable(['', ...engines], body);
}

/** Every distinct note, with the cells it applies to. */
export function notes(rows: readonly Row[], results: Results): string[] {
  const byNote = new Map<string, string[]>();
  for (const r of rows) {
    for (const e of ENGINES) {
      const note = results[r.id]?.[e]?.note;
      if (note) byNote.set(note, [...(byNote.get(note) ?? []), `${e} ${r.id}`]);
    }
  }
  return [...byNote].map(([note, where]) => `${where.join(', ')}: ${note}`);
}

/** Seconds as 42.0s or 6m32s. */
export const fmtTime = (s: number): string => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`);

/** What the main table's units, ratios and marks mean (printed under it). */
export const FIGURES_EXPLAINED = 'GEMM and conv rows: GFLOP/s (2·m·n·k per GEMM; 2·N·OH·OW·KH·KW·Cin·Cout per conv pass). Model rows: images/s ' +
  '(training: `trainOnBatch`, forward + backward + optimizer update, loss read back each step; inference: `predict`). ' +
  'First trained step: seconds from selecting a fresh backend (device, pipelines / shaders) to the first step\'s loss and updated weights read back, lower is better. ' +
  'Ratio columns: how many times faster webcnn is (webcnn-webgpu against tfjs-webgpu; webcnn\'s best backend against TF.js\'s best). ' +
  '`~` marks a figure not timed after a warm-up (see the notes); `n/a`: the backend lacks a kernel; `—`: not run.';

export function profileTable(p: StepProfile): string {
  return markdownTable(['kernel', 'calls', 'ms', 'share'], p.kernels.map((k) => [k.name, String(k.calls), k.totalMs.toFixed(1), `${(100 * k.share).toFixed(1)}%`]));
}

/** What follows the main table: calls timed per cell, the notes, and the profiled training steps. */
export function resultsTail(rows: readonly Row[], results: Results, profiles: readonly { model: ModelName; profile: StepProfile }[]): string[] {
  const lines = ['## Calls timed per cell', '', callsTable(rows, results)];
  const n = notes(rows, results);
  if (n.length) lines.push('', '## Notes', '', ...n.map((x) => `- ${x}`));
  for (const { model, profile } of profiles) {
    lines.push('', `## Top kernels of one training step: ${model} model, batch 64, webcnn-webgpu`, '',
      `\`wc.profile\`, timing: ${profile.timing}; kernel total ${profile.totalMs.toFixed(1)} ms (the step took ${profile.wallMs.toFixed(0)} ms while profiled).`, '',
      profileTable(profile));
  }
  return lines;
}
