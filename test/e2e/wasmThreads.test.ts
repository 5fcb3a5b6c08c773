// The wasm backend's threads in a browser: on a page served cross-origin
// isolated (COOP same-origin + COEP require-corp) setBackend('wasm', { threads: 2 })
// starts a Blob-URL worker, the page's main thread (which may not block)
// shares a GEMM and a conv with it, and the results equal 1 thread's; on a
// page served without those headers it runs 1 thread and says why.
// Self-contained: it serves the repository with Vite and launches its own browser.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'puppeteer';
import { closeBrowser, launchBrowser, serve, type Served } from '../../src/testing/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
let isolated: Served<unknown> | undefined;
let plain: Served<unknown> | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  const vite = { optimizeDeps: { noDiscovery: true, include: [] } };
  isolated = await serve({ root, configFile: false, vite: { ...vite, server: { headers: ISOLATED } } });
  plain = await serve({ root, configFile: false, vite });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  if (browser) await closeBrowser(browser);
  await isolated?.close();
  await plain?.close();
});

interface Outcome {
  isolated: boolean;
  threads: number;
  reason: string | null;
  workerCalls: number;
  same: boolean[];
}

/** In the page: a GEMM and a conv forward on 2 threads (if it gets them) and on 1, compared bit for bit. */
async function runIn(url: string): Promise<Outcome> {
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${url}test/harness/page.html`);
    await page.waitForFunction(() => (window as unknown as { wcReady?: boolean }).wcReady === true, { timeout: 120_000 });
    const out = await page.evaluate(async () => {
      const w = window as unknown as { wc: typeof import('../../src/index.js'); wcEngine: typeof import('../../src/engine.js') };
      const { wc } = w;
      const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed));
      const run = async (threads: number) => {
        await wc.setBackend('wasm', { threads });
        const a = wc.tensor(values(203 * 300, 1), [203, 300]);
        const b = wc.tensor(values(300 * 37, 2), [300, 37]);
        const x = wc.tensor(values(3 * 13 * 11 * 7, 3), [3, 13, 11, 7]);
        const k = wc.tensor(values(3 * 3 * 7 * 40, 4), [3, 3, 7, 40]);
        const gemm = Array.from(await wc.ops.matmul(a, b, false, false).data());
        const conv = Array.from(await wc.ops.conv2d(x, k, null, { strides: [1, 1], padding: 'same', dilations: [1, 1] }).data());
        const info = wc.backendInfo().wasm;
        const be = w.wcEngine.backend() as unknown as { ctx: { pool: { workerCalls(): number } | null } };
        return { gemm, conv, threads: info?.threads ?? 0, reason: info?.threadsReason ?? null, workerCalls: be.ctx.pool?.workerCalls() ?? 0 };
      };
      const two = await run(2);
      const one = await run(1);
      const same = (p: number[], q: number[]) => p.length === q.length && p.every((v, i) => Object.is(v, q[i]));
      return { isolated: globalThis.crossOriginIsolated === true, threads: two.threads, reason: two.reason, workerCalls: two.workerCalls, same: [same(two.gemm, one.gemm), same(two.conv, one.conv)] };
    });
    expect(errors).toEqual([]);
    return out;
  } finally {
    await page.close();
  }
}

it('a cross-origin-isolated page runs 2 threads: a worker takes part, and the GEMM and conv equal 1 thread bit for bit', async () => {
  const out = await runIn(isolated!.url);
  expect(out).toMatchObject({ isolated: true, threads: 2, reason: null, same: [true, true] });
  // One call each from the GEMM and the conv, at least.
  expect(out.workerCalls).toBeGreaterThanOrEqual(2);
}, 180_000);

it('a page without COOP/COEP runs 1 thread and says it is not cross-origin isolated', async () => {
  const out = await runIn(plain!.url);
  expect(out).toMatchObject({ isolated: false, threads: 1, workerCalls: 0, same: [true, true] });
  expect(out.reason).toMatch(/not cross-origin isolated/);
}, 180_000);
