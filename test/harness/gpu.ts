// Runs functions in the test page (headless Chromium, WebGPU) and brings plain
// arrays back. Functions are sent as source text (webcnn/testing's runInPage),
// so they see only their arguments and the page's env: no closures over Node variables.

import { inject } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { connectBrowser, openPage, runInPage, type Json } from '../../src/testing/index.js';
import type * as Wc from '../../src/index.js';
import type * as Engine from '../../src/engine.js';
import type * as Kernels from '../../src/kernels/registry.js';

/** What a page function receives: webcnn itself, its engine (for backend()) and the kernel registry. */
export interface PageEnv {
  wc: typeof Wc;
  engine: typeof Engine;
  kernels: typeof Kernels;
}

declare global {
  interface Window {
    wc: typeof Wc;
    wcEngine: typeof Engine;
    wcKernels: typeof Kernels;
    wcReady?: boolean;
  }
}

/** Uses of one page before it is closed, bounding what test files leave behind in it. */
const PAGE_USES = 12;
/** Tensor bytes a file may leave live in a page that is kept for the next one. */
const LEFT_LIVE_BYTES = 64 << 20;

declare global {
  interface Window {
    /** Whether a test file holds this page; the page's uses so far. */
    wcPageInUse?: boolean;
    wcPageUses?: number;
  }
}

export interface OpenOptions {
  /** WebGPU backend options (verification mode). */
  verify?: boolean;
  /**
   * A page of this file's own, closed after it: for files that destroy the
   * device, or that count on a backend's own state (its buffer pool's sizes,
   * the tuner's choices, which pipelines are built) being only theirs.
   */
  fresh?: boolean;
}

export class GpuPage {
  private constructor(private readonly browser: Browser, readonly page: Page, private readonly shared: boolean) {}

  /**
   * Connects to the suite's browser and takes an idle test page, or opens one
   * with webcnn loaded. GPU files run one after another and hand their page
   * on, so a pipeline compiles once for the suite, not once per file.
   */
  static async open(options: OpenOptions = {}): Promise<GpuPage> {
    const { fresh = false, ...backendOptions } = options;
    const browser = await connectBrowser(inject('gpuBrowserEndpoint'), { protocolTimeout: 300_000 });
    const url = inject('gpuPageUrl');
    const page = (fresh ? null : await claimIdlePage(browser, url)) ?? await openPage(browser, url, { ready: () => window.wcReady === true })
      .then(async ({ page }) => {
        await page.evaluate(() => { window.wcPageInUse = true; window.wcPageUses = 1; });
        return page;
      })
      .catch(async (err: unknown) => {
        await browser.disconnect();
        throw new Error(`GPU test page did not load webcnn: ${(err as Error).message}`);
      });
    const gp = new GpuPage(browser, page, !fresh);
    await gp.run(async ({ wc }, opts) => { await wc.setBackend('webgpu', opts); }, backendOptions);
    return gp;
  }

  /** Runs fn(env, args) in the page and returns its (JSON-plain) result. */
  async run<A extends Json | object, R>(fn: (env: PageEnv, args: A) => R | Promise<R>, args: A): Promise<R> {
    // runInPage passes one argument: this fixed function rebuilds fn in the page and hands it the env.
    const result = await runInPage(this.page, (p: { src: string; args: unknown }) => {
      const f = (0, eval)(`(${p.src})`) as (env: PageEnv, args: unknown) => unknown;
      return f({ wc: window.wc, engine: window.wcEngine, kernels: window.wcKernels }, p.args);
    }, { src: fn.toString(), args: args as unknown });
    return result as R;
  }

  /** Hands a shared page on to the next file, or closes it when it is fresh, worn or left holding memory. */
  async close(): Promise<void> {
    const keep = this.shared && await this.page.evaluate((limits) => {
      const kept = (window.wcPageUses ?? limits.uses) < limits.uses && window.wc.memory().numBytes <= limits.bytes;
      window.wcPageInUse = false;
      return kept;
    }, { uses: PAGE_USES, bytes: LEFT_LIVE_BYTES }).catch(() => false);
    if (!keep) await this.page.close();
    await this.browser.disconnect();
  }
}

/** An open test page no file holds, marked as held; null when there is none. */
async function claimIdlePage(browser: Browser, url: string): Promise<Page | null> {
  for (const page of await browser.pages()) {
    if (page.url() !== url) continue;
    const claimed = await page.evaluate(() => {
      if (window.wcReady !== true || window.wcPageInUse !== false) return false;
      window.wcPageInUse = true;
      window.wcPageUses = (window.wcPageUses ?? 0) + 1;
      return true;
    }).catch(() => false);
    if (claimed) return page;
  }
  return null;
}
