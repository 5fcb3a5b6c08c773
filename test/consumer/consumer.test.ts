// The package as an app gets it: `npm run build` and `npm pack`, a fresh
// project that installs the tarball, `vite build` of a page importing
// 'webcnn', `tsc --noEmit` of that page (and of the project's Node scripts)
// against the installed types, a tiny CNN trained in headless Chrome on WebGPU
// through 'webcnn/testing', and the same training on the CPU backend in a Node
// script of that project. The app is test/consumer/app.
// vite, puppeteer, typescript and @types/node come from this repository's
// node_modules (linked, not downloaded); webcnn's own dependency @webgpu/types
// is installed by npm from its cache (--prefer-offline). A missing browser
// fails the test.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./app', import.meta.url));
const modules = join(repo, 'node_modules');

/** Runs a command; rejects with its output when it exits non-zero. */
function sh(cmd: string, args: readonly string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<string> {
  const env = { ...process.env, ...extraEnv, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const node = (script: string, args: readonly string[], cwd: string, env: Record<string, string> = {}) =>
  sh(process.execPath, [script, ...args], cwd, env);
/** The last line of a script's output, as JSON (earlier lines are logs). */
const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').at(-1) ?? 'null') as T;

interface TinyResult {
  backend: string;
  losses: number[];
  predictionShape: number[];
  predictions: number[];
  accuracy: number;
}

let work = '';
let app = '';
let missingPeer = '';
let cpuResult: TinyResult | null = null;
const timings: Record<string, number> = {};

async function timed<T>(step: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings[step] = Math.round(performance.now() - t0);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'webcnn-consumer-'));
  await timed('npm run build', () => sh('npm', ['run', 'build'], repo));
  // Built just above: --ignore-scripts skips prepack's second build (and keeps stdout pure JSON).
  const packed = await timed('npm pack', () => sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], repo));
  const tarball = join(work, (JSON.parse(packed) as { filename: string }[])[0].filename);

  app = join(work, 'app');
  cpSync(fixture, app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({
    name: 'webcnn-consumer', private: true, type: 'module',
    dependencies: { webcnn: `file:${tarball}` },
  }, null, 2));
  // Optional native WebGPU for Node (the 'webgpu' package) is not needed here.
  await timed('npm install', () => sh('npm', ['install', '--prefer-offline', '--omit=optional', '--ignore-scripts', '--no-package-lock'], app));

  // Before the peers are there: webcnn/testing must say what to install.
  missingPeer = await node('-e', [
    "import('webcnn/testing').then((t) => t.launchBrowser()).then(() => console.log('launched'), (e) => console.log(e.message))",
  ], app);

  // The peers (and Node's types for the scripts' check), linked from this repository after npm install, which would prune them.
  mkdirSync(join(app, 'node_modules/@types'), { recursive: true });
  for (const dep of ['vite', 'puppeteer', '@types/node']) symlinkSync(join(modules, dep), join(app, 'node_modules', dep), 'dir');
  await timed('vite build', () => node(join(modules, 'vite/bin/vite.js'), ['build', '--logLevel', 'warn'], app));
}, 300_000);

afterAll(() => {
  console.log(`consumer steps (ms): ${JSON.stringify(timings)}`);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('webcnn installed from its tarball into a fresh project', () => {
  it('ships the built library, testing entry and types, and no test or build leftovers', () => {
    const pkg = join(app, 'node_modules/webcnn');
    for (const f of ['dist/webcnn.js', 'dist/testing.js', 'dist/types/index.d.ts', 'dist/types/testing/index.d.ts']) {
      expect(existsSync(join(pkg, f)), f).toBe(true);
    }
    expect(existsSync(join(pkg, 'test'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/@webgpu/types/dist/index.d.ts')), '@webgpu/types installed as a dependency').toBe(true);
    expect(readdirSync(join(app, 'dist/assets')).some((f) => f.endsWith('.js')), 'vite build wrote the page bundle').toBe(true);
  });

  it('names the missing peer dependency', () => {
    expect(missingPeer).toMatch(/webcnn\/testing needs puppeteer.*npm install --save-dev puppeteer/);
  });

  it("typechecks the page (skipLibCheck off, no 'types' entries) and the Node scripts against the installed types", async () => {
    const tsc = (config: string) => node(join(modules, 'typescript/bin/tsc'), ['--noEmit', '-p', config], app);
    await timed('tsc', () => Promise.all([tsc('tsconfig.json'), tsc('tsconfig.node.json')]));
  }, 180_000);   // about 10 s on an idle 2-core machine; a busy one (the rest of npm test) takes several times that

  it('trains on the CPU backend in a Node script of the project', async () => {
    const r = await timed('node train-cpu', async () => lastJson<TinyResult & { loss: number; chained: number[] }>(await node('train-cpu.mjs', [], app)));
    console.log(`cpu: loss ${r.losses[0].toFixed(4)} -> ${r.losses.at(-1)!.toFixed(4)}, accuracy ${r.accuracy}`);
    expect(r.backend).toBe('cpu');
    expect(r.chained, 'the bundle keeps the chained Tensor methods').toEqual([22, 44, 66]);
    expectTrained(r);
    cpuResult = r;
  }, 120_000);

  it('trains on WebGPU in headless Chrome, served from the vite build through webcnn/testing', async () => {
    const r = await timed('webgpu page', async () => lastJson<TinyResult & {
      description: string; adapter: { vendor: string; architecture: string } | null;
      pageAdapter: { architecture: string } | null; errors: string[];
    }>(await node('test-webgpu.mjs', [], app)));
    console.log(`${r.description}: loss ${r.losses[0].toFixed(4)} -> ${r.losses.at(-1)!.toFixed(4)}, accuracy ${r.accuracy}`);
    expect(r.backend).toBe('webgpu');
    expect(r.adapter, 'webcnn reports the adapter it runs on').not.toBeNull();
    expect(r.pageAdapter?.architecture).toBe(r.adapter?.architecture);
    expect(r.description).toMatch(/^webgpu on /);
    expect(r.errors).toEqual([]);
    expectTrained(r);
    // Same seeds, same data: the GPU run follows the CPU reference.
    if (cpuResult) {
      r.losses.forEach((l, i) => expect(l, `epoch ${i + 1} loss`).toBeCloseTo(cpuResult!.losses[i], 3));
      r.predictions.forEach((p, i) => expect(p, `prediction ${i}`).toBeCloseTo(cpuResult!.predictions[i], 3));
    }
  }, 240_000);

  it('fails loudly, naming the cause, when there is no browser', async () => {
    const failure = await node('test-webgpu.mjs', [], app, { CHROME_PATH: join(work, 'no-such-chrome') }).then(
      (out) => `exited 0: ${out}`, (err: Error) => err.message);
    expect(failure).toMatch(/BrowserNotFoundError|CHROME_PATH=.*no-such-chrome does not exist/);
    expect(failure).toMatch(/apt-get install chromium/);
  }, 120_000);
});

function expectTrained(r: TinyResult): void {
  expect(r.losses).toHaveLength(12);
  for (const l of r.losses) expect(Number.isFinite(l)).toBe(true);
  expect(r.losses.at(-1)!, `losses ${r.losses.join(', ')}`).toBeLessThan(r.losses[0] * 0.5);
  expect(r.predictionShape).toEqual([16, 2]);
  expect(r.predictions).toHaveLength(32);
  for (let i = 0; i < 16; i++) {
    const [p0, p1] = [r.predictions[2 * i], r.predictions[2 * i + 1]];
    expect(p0).toBeGreaterThanOrEqual(0);
    expect(p1).toBeGreaterThanOrEqual(0);
    expect(p0 + p1).toBeCloseTo(1, 5);
  }
  expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
}
