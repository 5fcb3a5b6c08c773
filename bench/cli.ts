// npm run bench: drives bench/page.html in headless Chromium, cell by cell,
// prints the table and writes bench/RESULTS.md. Loaded by bench/run.mjs
// (which serves the repository with Vite) through ssrLoadModule.
//
// Order: the first-trained-step rows first, each model in a browser of its
// own (no shader compiled or cached before the timer starts; each engine
// creates its backend there for the first time), each followed by the
// training cell at the same batch (the first step is its warm-up: TF.js's
// WebGPU backend compiles for tens of seconds, once is enough); then every
// other row in one tab. Within a row the engines run one after another
// (interleaved: webcnn and TF.js see the same machine state).

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Browser, Page } from 'puppeteer';
import { closeBrowser, launchBrowser, openPage } from '../src/testing/index.js';
import { notRun, type CellResult } from './cell.js';
import { reducedConv, skipIfTooSlow } from './estimate.js';
import type { MeasureOptions } from './measure.js';
import type { PageInfo } from './page.js';
import { ENGINES, planRows, unsupported, type Engine, type ModelName, type Row } from './plan.js';
import { FIGURES_EXPLAINED, fmtTime, formatCell, resultsTable, resultsTail, type Results } from './table.js';
import type { StepProfile } from './webcnnCells.js';

export interface CliOptions {
  quick: boolean;
  rows: string[];
  engines: Engine[];
  /** Seconds of timed calls per cell. */
  budget: number;
  /** Seconds: a call estimated (or warmed up) longer than this is not repeated. */
  maxCall: number;
  /** Seconds one cell of the main tab may take before its tab is closed (a call the estimates missed). */
  cellLimit: number;
  /** Run webcnn's autotuner in every model cell, not only after each model's first step. */
  tuneAll: boolean;
  /** Where to write the results; null: print only. */
  out: string | null;
  profile: boolean;
}

const USAGE = `usage: npm run bench -- [--quick] [--rows ID,...] [--engines NAME,...] [--budget S] [--max-call S] [--cell-limit S] [--tune-all] [--out FILE] [--no-profile]
  --quick        a smoke run: GEMM 256³, the MNIST conv layer, the light model at batch 64 (prints only)
  --rows         keep rows whose id contains one of these (gemm, conv-vgg, train-light, infer, first, mobilenet, depthwise, ...)
  --engines      ${ENGINES.join(', ')}
  --budget S     seconds of timed calls per cell after one warm-up call (default 1; quick 0.3)
  --max-call S   a call estimated longer than S seconds is not run; a GEMM, conv or CPU-engine call
                 whose warm-up took longer is not repeated (default 10)
  --cell-limit S a GEMM, conv or model cell still running after S seconds is stopped (default 90)
  --tune-all     run webcnn's autotuner in every model cell (default: once per model, after its first step)
  --out FILE     write the results there (default bench/RESULTS.md for a full run; quick and filtered runs only print)
  --no-profile   skip the per-kernel profile of one training step (taken with the first-step rows)`;

export function parseArgs(argv: readonly string[], root: string): CliOptions {
  const o: CliOptions = { quick: false, rows: [], engines: [...ENGINES], budget: NaN, maxCall: 10, cellLimit: 90, tuneAll: false, out: null, profile: true };
  let out: string | undefined;
  const value = (i: number) => {
    if (i + 1 >= argv.length) throw new Error(`bench: ${argv[i]} needs a value`);
    return argv[i + 1];
  };
  const seconds = (i: number) => {
    const v = Number(value(i));
    if (!(v > 0)) throw new Error(`bench: ${argv[i]} must be a positive number of seconds`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--tune-all') o.tuneAll = true;
    else if (a === '--rows') o.rows = value(i++).split(',');
    else if (a === '--engines') {
      const names = value(i++).split(',');
      const bad = names.filter((n) => !(ENGINES as readonly string[]).includes(n));
      if (bad.length) throw new Error(`bench: unknown engine ${bad.join(', ')}; expected ${ENGINES.join(', ')}`);
      o.engines = ENGINES.filter((e) => names.includes(e));
    } else if (a === '--budget') o.budget = seconds(i++);
    else if (a === '--max-call') o.maxCall = seconds(i++);
    else if (a === '--cell-limit') o.cellLimit = seconds(i++);
    else if (a === '--out') out = value(i++);
    else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else throw new Error(`bench: unknown option '${a}'\n${USAGE}`);
  }
  if (Number.isNaN(o.budget)) o.budget = o.quick ? 0.3 : 1;
  // A partial run must not overwrite the full table.
  const partial = o.quick || o.rows.length > 0 || o.engines.length < ENGINES.length;
  o.out = out ?? (partial ? null : `${root}/bench/RESULTS.md`);
  return o;
}

interface Session { browser: Browser; version: string }

/** Chromium flags beyond the WebGPU ones: WebGL on SwiftShader for tfjs-webgl, unquantized GPU timestamps for wc.profile. */
const BROWSER_ARGS = ['--enable-unsafe-swiftshader', '--enable-webgpu-developer-features'];

async function startBrowser(): Promise<Session> {
  const browser = await launchBrowser({ args: BROWSER_ARGS, protocolTimeout: 900_000 });
  return { browser, version: await browser.version() };
}

/**
 * Ends a browser whose cell was stopped and starts another. Closing only the tab leaves the GPU
 * work it queued running in the shared GPU process (SwiftShader: minutes of it), which every
 * later WebGPU and WebGL cell would wait behind; killing the browser ends that work.
 */
async function restartBrowser(s: Session): Promise<Session> {
  s.browser.process()?.kill('SIGKILL');
  await withLimit(closeBrowser(s.browser).catch(() => undefined), 10);
  return startBrowser();
}

async function benchPage(browser: Browser, url: string): Promise<Page> {
  const { page } = await openPage(browser, `${url}bench/page.html`, { ready: () => (window as { benchReady?: boolean }).benchReady === true, timeout: 180_000 });
  page.on('console', (m) => { if (m.type() === 'error') console.error(`  page: ${m.text()}`); });
  return page;
}

/** The value, or null when it takes longer than `seconds`. */
async function withLimit<T>(p: Promise<T>, seconds: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), seconds * 1000); });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
    p.catch(() => undefined); // a closed tab rejects the abandoned call
  }
}

/** One cell in the page; a cell the engine cannot run is answered here. */
async function runCell(page: Page, engine: Engine, row: Row, o: MeasureOptions, tune: boolean): Promise<CellResult> {
  const why = unsupported(engine, row.task);
  return why ? notRun(why) : page.evaluate((e, t, m, u) => window.bench.run(e, t, m, u), engine, row.task, o, tune);
}

export async function main(argv: readonly string[], ctx: { url: string; root: string }): Promise<void> {
  const o = parseArgs(argv, ctx.root);
  const started = Date.now();
  const load = os.loadavg()[0];
  const measureOptions: MeasureOptions = { budgetMs: o.budget * 1000, maxCallMs: o.maxCall * 1000 };
  const results: Results = {};
  let done = 0;
  const report = (row: Row, engine: Engine, c: CellResult, total: number) => {
    results[row.id] = { ...results[row.id], [engine]: c };
    done++;
    const how = c.value === null || c.calls === 0 ? (c.note ?? '') : `${c.calls} call${c.calls === 1 ? '' : 's'} in ${c.seconds.toFixed(1)} s${c.note ? `; ${c.note}` : ''}`;
    console.log(`[${done}/${total}] ${row.label} · ${engine}: ${formatCell(c) || '—'} ${row.unit} (${how}) [${fmtTime((Date.now() - started) / 1000)}]`);
  };

  // The adapter decides whether 2048³ runs.
  let session = await startBrowser();
  let info!: PageInfo;
  let rows: Row[] = [];
  const profiles: { model: ModelName; profile: StepProfile }[] = [];
  try {
    let page = await benchPage(session.browser, ctx.url);
    info = await page.evaluate(() => window.bench.info());
    rows = planRows({ quick: o.quick, rows: o.rows, bigGemm: info.adapter ? !info.adapter.isFallbackAdapter : false });
    const total = rows.length * o.engines.length;
    console.log(`webcnn bench: ${session.version}, ${info.adapter ? `WebGPU ${info.adapter.vendor}/${info.adapter.architecture}${info.adapter.isFallbackAdapter ? ' (fallback adapter)' : ''}` : 'no WebGPU adapter'}, ` +
      `${os.cpus().length} cores, load ${load.toFixed(2)}; ${rows.length} rows × ${o.engines.length} engines, ${o.budget} s per cell`);

    // First trained steps: a browser of its own per model (a quick run reuses this one) and a new tab,
    // in which each engine creates its backend for the first time. Where the training row of that
    // model at the same batch is planned, it is timed there, right after (the first step its warm-up).
    for (const row of rows.filter((r) => r.task.kind === 'firstStep')) {
      const { model, batch } = row.task as { model: ModelName; batch: number };
      const train = rows.find((r) => r.task.kind === 'train' && r.task.model === model && r.task.batch === batch);
      const s = o.quick ? session : await startBrowser();
      const p = await benchPage(s.browser, ctx.url);
      try {
        for (const engine of o.engines) {
          if (!train) {
            report(row, engine, await runCell(p, engine, row, measureOptions, o.tuneAll), total);
            continue;
          }
          const top = o.profile && engine === 'webcnn-webgpu' ? 8 : 0;
          const r = await p.evaluate((e, m, b, mo, t) => window.bench.firstStepAndTrain(e, m, b, mo, t), engine, model, batch, measureOptions, top);
          report(row, engine, r.first, total);
          report(train, engine, r.train, total);
          if (r.profile) profiles.push({ model, profile: r.profile });
        }
      } finally {
        await p.close();
        if (s !== session) await closeBrowser(s.browser);
      }
    }
    // Everything else in one tab, engine after engine within each row.
    for (const row of rows.filter((r) => r.task.kind !== 'firstStep')) {
      for (const engine of o.engines) {
        if (results[row.id]?.[engine]) continue; // timed with the first step
        const reduced = reducedConv(row, engine, rows, results, o.maxCall);
        if (reduced) {
          const r = await withLimit(runCell(page, engine, reduced.row, measureOptions, o.tuneAll), o.cellLimit);
          const why = `one call at batch ${row.task.kind === 'conv' ? row.task.layer.x[0] : '?'} ≈ ${reduced.estimate.seconds.toFixed(0)} s (from ${reduced.estimate.from}), over the ${o.maxCall} s cap (--max-call)`;
          if (r === null) {
            report(row, engine, notRun(`stopped after ${o.cellLimit} s (--cell-limit) at batch ${reduced.batch}; ${why}`), total);
            session = await restartBrowser(session);
            page = await benchPage(session.browser, ctx.url);
          } else {
            report(row, engine, r.value === null ? r : { ...r, estimate: true, note: `measured at batch ${reduced.batch}: ${why}` }, total);
          }
          continue;
        }
        const skipped = skipIfTooSlow(row, engine, rows, results, o.maxCall);
        if (skipped) {
          report(row, engine, skipped, total);
          continue;
        }
        const limited = await withLimit(runCell(page, engine, row, measureOptions, o.tuneAll), o.cellLimit);
        if (limited === null) {
          // A call the estimates missed: its browser is ended (that stops it) and the run goes on in a new one.
          report(row, engine, notRun(`stopped after ${o.cellLimit} s (--cell-limit): one call took far longer than estimated`), total);
          session = await restartBrowser(session);
          page = await benchPage(session.browser, ctx.url);
        } else {
          report(row, engine, limited, total);
        }
      }
    }
  } finally {
    await closeBrowser(session.browser);
  }

  const seconds = (Date.now() - started) / 1000;
  const text = renderResults(o, rows, results, info, session.version, profiles, seconds, load, ctx.root);
  console.log(`\n${text}`);
  if (o.out) {
    writeFileSync(o.out, text);
    console.log(`wrote ${o.out}`);
  }
}

function gitVersion(root: string): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return `${sha}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

function renderResults(o: CliOptions, rows: Row[], results: Results, info: PageInfo, version: string, profiles: { model: ModelName; profile: StepProfile }[], seconds: number, load: number, root: string): string {
  const a = info.adapter;
  const cpus = os.cpus();
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const lines = [
    '# webcnn benchmark results',
    '',
    `Taken ${date} UTC by \`npm run bench${o.quick ? ' -- --quick' : ''}\` in ${fmtTime(seconds)}.`,
    '',
    `- Browser: ${version}, headless (\`--enable-unsafe-webgpu --enable-unsafe-swiftshader --enable-webgpu-developer-features\`)`,
    `- WebGPU adapter: ${a ? `${a.vendor || '?'} / ${a.architecture || '?'}${a.description ? ` (${a.description})` : ''}; fallback adapter: ${a.isFallbackAdapter ? 'yes' : 'no'}; timestamp-query: ${a.timestampQuery ? 'yes' : 'no'}` : 'none'}`,
    `- Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, ${os.type()} ${os.release()}; load average ${load.toFixed(2)} at the start`,
    `- Page: navigator.hardwareConcurrency ${info.hardwareConcurrency}, crossOriginIsolated ${info.crossOriginIsolated} (tfjs-wasm: SIMD ${info.wasmSimd ? 'yes' : 'no'}, threads build ${info.wasmMultithread ? 'yes' : 'no'}, ${info.wasmThreads ?? '?'} thread${info.wasmThreads === 1 ? '' : 's'})`,
    `- Libraries: webcnn at git ${gitVersion(root)}; TensorFlow.js ${info.tfjsVersion} (webgpu, webgl, wasm, cpu backends)`,
    `- Each cell: one warm-up call, then ${o.budget} s of timed calls (at least one), the last result read back before the clock stops. ` +
      `Cap ${o.maxCall} s: a cell whose one call is estimated longer is not run (\`~\`: the rate measured at the smaller size), a conv pass runs at a smaller batch instead (\`~\`, the batch in the notes); a GEMM, conv or CPU-engine call whose warm-up took longer is not repeated (\`~\`)`,
    `- webcnn's kernel autotuner: ${o.tuneAll ? 'after the warm-up of every model cell' : 'after each model\'s first trained step (the batch-64 training rows), as fit runs it after its first batch; the other webcnn cells run untuned (heuristic) kernels'}`,
    '',
    '## Figures',
    '',
    resultsTable(rows, results),
    '',
    FIGURES_EXPLAINED,
    '',
    ...resultsTail(rows, results, profiles),
  ];
  return `${lines.join('\n')}\n`;
}
