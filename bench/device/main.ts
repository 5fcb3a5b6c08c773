// The device bench's parent process: plans the rows, runs each cell in a
// child process (bench/device/job.ts), webcnn and TF.js alternating within
// each row, and rewrites the table after each cell.
//
// node bench.mjs [--rows ID,...] [--budget S] [--max-call S] [--cell-limit S] [--deadline S]
//                [--out FILE] [--software-out FILE] [--meta FILE] [--command TEXT] [--no-profile]

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { notRun, type CellResult } from '../cell.js';
import { reducedConv, skipIfTooSlow } from '../estimate.js';
import type { MeasureOptions } from '../measure.js';
import { unsupported, type Engine, type ModelName, type Row } from '../plan.js';
import { fmtTime, formatCell, type Results } from '../table.js';
import type { StepProfile } from '../webcnnCells.js';
import { parseFirst, parseResult, type Job, type JobResult } from './job.js';
import { isSoftware, renderDeviceResults, type DeviceRun } from './report.js';
import { DEVICE_ENGINES, deviceRows } from './rows.js';

export interface DeviceOptions {
  rows: string[];
  /** Seconds of timed calls per cell. */
  budget: number;
  /** Seconds: a call estimated longer is not run. */
  maxCall: number;
  /** Seconds one cell's process may run before it is ended. */
  cellLimit: number;
  /** Seconds after which no cell starts (the device machine lends 15 minutes, unpacking included). */
  deadline: number;
  out: string;
  /** Where a software adapter's table goes instead (SwiftShader's figures never overwrite a GPU's). */
  softwareOut: string | null;
  meta: string | null;
  command: string;
  profile: boolean;
}

const USAGE = 'usage: node bench.mjs [--rows ID,...] [--budget S] [--max-call S] [--cell-limit S] [--deadline S] [--out FILE] [--software-out FILE] [--meta FILE] [--command TEXT] [--no-profile]';

export function parseDeviceArgs(argv: readonly string[]): DeviceOptions {
  const o: DeviceOptions = { rows: [], budget: 1, maxCall: 10, cellLimit: 90, deadline: 720, out: 'RESULTS-gpu.md', softwareOut: null, meta: null, command: 'node bench.mjs', profile: true };
  const value = (i: number) => {
    if (i + 1 >= argv.length) throw new Error(`device bench: ${argv[i]} needs a value\n${USAGE}`);
    return argv[i + 1];
  };
  const seconds = (i: number) => {
    const v = Number(value(i));
    if (!(v > 0)) throw new Error(`device bench: ${argv[i]} must be a positive number of seconds`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rows') o.rows = value(i++).split(',');
    else if (a === '--budget') o.budget = seconds(i++);
    else if (a === '--max-call') o.maxCall = seconds(i++);
    else if (a === '--cell-limit') o.cellLimit = seconds(i++);
    else if (a === '--deadline') o.deadline = seconds(i++);
    else if (a === '--out') o.out = value(i++);
    else if (a === '--software-out') o.softwareOut = value(i++);
    else if (a === '--meta') o.meta = value(i++);
    else if (a === '--command') o.command = value(i++);
    else if (a === '--no-profile') o.profile = false;
    else throw new Error(`device bench: unknown option '${a}'\n${USAGE}`);
  }
  return o;
}

/** A cell shorter than this is not started near the deadline. */
const MIN_CELL_S = 5;

/** Dawn's harmless complaint on headless machines (docs/NODE_WEBGPU.md). */
const QUIET = /XDG_RUNTIME_DIR is invalid/;

/** A child's answer, or why there is none (and a first step's figure it printed before it stopped). */
type ChildOutcome = { result: JobResult } | { why: string; first: CellResult | null };

/** Runs one job in a child process of this same script, ended after `limitS` seconds. */
function inChild(job: Job, limitS: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [process.argv[1], '--job', JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let lastErr = '';
    let stopped = false;
    // Decoded as a stream: a chunk may end inside a character (the notes hold ≈ and ×).
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => { stdout += d; });
    child.stderr.on('data', (d: string) => {
      for (const line of d.split('\n')) {
        if (!line.trim() || QUIET.test(line)) continue;
        lastErr = line.trim();
        console.error(`  child: ${line}`);
      }
    });
    const timer = setTimeout(() => { stopped = true; child.kill('SIGKILL'); }, limitS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = parseResult(stdout);
      if (result) return resolve({ result });
      const why = stopped ? `stopped after ${limitS.toFixed(0)} s (its process was ended)`
        : `error: the cell's process ended without a result (${signal ?? `exit code ${code}`})${lastErr ? `: ${lastErr.slice(0, 200)}` : ''}`;
      resolve({ why, first: parseFirst(stdout) });
    });
  });
}

/** The cell a `cell` job answered, or a note of why there is none. */
function cellOf(r: ChildOutcome): CellResult {
  if (!('result' in r)) return notRun(r.why);
  return r.result.kind === 'cell' ? r.result.cell : notRun(`error: a ${r.result.kind} answer to a cell job`);
}

function readMeta(file: string | null): { git: string; webgpu: string } {
  if (!file) return { git: 'unknown', webgpu: 'unknown' };
  const m = JSON.parse(readFileSync(file, 'utf8')) as { git?: string; webgpu?: string };
  return { git: m.git ?? 'unknown', webgpu: m.webgpu ?? 'unknown' };
}

function vulkanDriver(): string {
  const env = process.env;
  if (env.VK_DRIVER_FILES) return `VK_DRIVER_FILES=${env.VK_DRIVER_FILES}`;
  if (env.VK_ICD_FILENAMES) return `VK_ICD_FILENAMES=${env.VK_ICD_FILENAMES}`;
  return 'the Vulkan loader\'s own search (neither VK_DRIVER_FILES nor VK_ICD_FILENAMES set)';
}

export async function main(argv: readonly string[]): Promise<void> {
  const o = parseDeviceArgs(argv);
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const asked = await inChild({ kind: 'info' }, 120);
  if (!('result' in asked) || asked.result.kind !== 'info') throw new Error(`device bench: no WebGPU adapter through Dawn: ${'why' in asked ? asked.why : asked.result.kind}`);
  const info = asked.result;
  const out = isSoftware(info.adapter) && o.softwareOut ? o.softwareOut : o.out;
  const rows = deviceRows(o.rows);
  const engines = DEVICE_ENGINES;
  const cpus = os.cpus();
  const meta = readMeta(o.meta);
  const run: DeviceRun = {
    command: o.command, date: new Date(started), seconds: 0, adapter: info.adapter, vulkanDriver: vulkanDriver(),
    node: process.version, webgpu: meta.webgpu, tfjs: info.tfjsVersion, git: meta.git,
    machine: `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, ${os.type()} ${os.release()}; load average ${os.loadavg()[0].toFixed(2)} at the start`,
    budget: o.budget, maxCall: o.maxCall, cellLimit: o.cellLimit, deadline: o.deadline, cellsDone: 0, cellsPlanned: rows.length * engines.length,
  };
  const mo: MeasureOptions = { budgetMs: o.budget * 1000, maxCallMs: o.maxCall * 1000 };
  const results: Results = {};
  const profiles: { model: ModelName; profile: StepProfile }[] = [];
  console.log(`device bench: WebGPU ${info.adapter.vendor}/${info.adapter.architecture} (${info.adapter.description}), ${run.vulkanDriver}; ${rows.length} rows × ${engines.length} engines, ${o.budget} s per cell`);

  const write = () => {
    run.seconds = elapsed();
    writeFileSync(out, renderDeviceResults(run, rows, results, profiles));
  };
  const report = (row: Row, engine: Engine, c: CellResult) => {
    results[row.id] = { ...results[row.id], [engine]: c };
    run.cellsDone++;
    const how = c.value === null || c.calls === 0 ? (c.note ?? '') : `${c.calls} call${c.calls === 1 ? '' : 's'} in ${c.seconds.toFixed(1)} s${c.note ? `; ${c.note}` : ''}`;
    console.log(`[${run.cellsDone}/${run.cellsPlanned}] ${row.label} · ${engine}: ${formatCell(c) || '—'} ${row.unit} (${how}) [${fmtTime(elapsed())}]`);
    write();
  };
  /** The seconds a cell may run now, or null when the deadline leaves too few. */
  const limit = () => {
    const left = o.deadline - elapsed();
    return left < MIN_CELL_S ? null : Math.min(o.cellLimit, left);
  };
  const late = () => notRun(`not run: the run's deadline had passed (--deadline ${o.deadline} s)`);
  write();

  // First trained steps first, each engine in a process of its own, each followed there by the
  // training cell of the same model and batch (the first step is its warm-up), as bench/cli.ts.
  for (const row of rows.filter((r) => r.task.kind === 'firstStep')) {
    const { model, batch } = row.task as { model: ModelName; batch: number };
    const train = rows.find((r) => r.task.kind === 'train' && r.task.model === model && r.task.batch === batch);
    for (const engine of engines) {
      const s = limit();
      if (s === null) {
        report(row, engine, late());
        if (train) report(train, engine, late());
        continue;
      }
      const why = unsupported(engine, row.task);
      if (why) {
        report(row, engine, notRun(why));
        if (train) report(train, engine, notRun(why));
        continue;
      }
      if (!train) {
        report(row, engine, cellOf(await inChild({ kind: 'cell', engine, task: row.task, o: mo, tune: false }, s)));
        continue;
      }
      const top = o.profile && engine === 'webcnn-webgpu' ? 8 : 0;
      const r = await inChild({ kind: 'firstStep', engine, model, batch, o: mo, profileTop: top }, s);
      if (!('result' in r) || r.result.kind !== 'firstStep') {
        const why = 'why' in r ? r.why : `error: a ${r.result.kind} answer to a firstStep job`;
        report(row, engine, 'first' in r && r.first ? r.first : notRun(why));
        report(train, engine, notRun(why));
        continue;
      }
      if (r.result.profile) profiles.push({ model, profile: r.result.profile });
      report(row, engine, r.result.first);
      report(train, engine, r.result.train);
    }
  }

  for (const row of rows.filter((r) => r.task.kind !== 'firstStep')) {
    for (const engine of engines) {
      if (results[row.id]?.[engine]) continue; // timed with the first step
      const s = limit();
      if (s === null) {
        report(row, engine, late());
        continue;
      }
      const why = unsupported(engine, row.task);
      if (why) {
        report(row, engine, notRun(why));
        continue;
      }
      const reduced = reducedConv(row, engine, rows, results, o.maxCall);
      if (reduced) {
        const batchNote = `one call at batch ${row.task.kind === 'conv' ? row.task.layer.x[0] : '?'} ≈ ${reduced.estimate.seconds.toFixed(0)} s (from ${reduced.estimate.from}), over the ${o.maxCall} s cap (--max-call)`;
        const c = cellOf(await inChild({ kind: 'cell', engine, task: reduced.row.task, o: mo, tune: false }, s));
        report(row, engine, c.value === null ? c : { ...c, estimate: true, note: `measured at batch ${reduced.batch}: ${batchNote}` });
        continue;
      }
      // A skipped cell keeps its note but no figure: here the table shows only measured numbers.
      const skipped = skipIfTooSlow(row, engine, rows, results, o.maxCall);
      if (skipped) {
        report(row, engine, { ...skipped, value: null, estimate: false, note: skipped.note?.replace(/; the figure is the rate measured there$/, '') });
        continue;
      }
      report(row, engine, cellOf(await inChild({ kind: 'cell', engine, task: row.task, o: mo, tune: false }, s)));
    }
  }
  write();
  console.log(`\nwrote ${out} in ${fmtTime(elapsed())}`);
}

