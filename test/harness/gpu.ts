// Runs functions in the test page (headless Chromium, WebGPU) and brings plain
// arrays back. Functions are sent as source text (page.evaluate), so they see
// only their arguments and the page's env: no closures over Node variables.

import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import type * as Wc from '../../src/index.js';
import type * as Engine from '../../src/engine.js';

/** What a page function receives: webcnn itself and its engine (for backend()). */
export interface PageEnv {
  wc: typeof Wc;
  engine: typeof Engine;
}

type Json = number | string | boolean | null | Json[] | { [k: string]: Json };

declare global {
  interface Window {
    wc: typeof Wc;
    wcEngine: typeof Engine;
    wcReady?: boolean;
  }
}

export class GpuPage {
  private constructor(private readonly browser: Browser, readonly page: Page) {}

  /** Connects to the suite's browser and opens the test page with webcnn loaded. */
  static async open(backendOptions: { verify?: boolean } = {}): Promise<GpuPage> {
    const browser = await puppeteer.connect({ browserWSEndpoint: inject('gpuBrowserEndpoint'), protocolTimeout: 300_000 });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('gpuPageUrl'));
    await page.waitForFunction(() => window.wcReady === true, { timeout: 60_000 }).catch(() => {
      throw new Error(`GPU test page did not load webcnn: ${errors.join('; ') || 'no page error reported'}`);
    });
    const gp = new GpuPage(browser, page);
    await gp.run(async ({ wc }, opts) => { await wc.setBackend('webgpu', opts); }, backendOptions);
    return gp;
  }

  /** Runs fn(env, args) in the page and returns its (JSON-plain) result. */
  async run<A extends Json | object, R>(fn: (env: PageEnv, args: A) => R | Promise<R>, args: A): Promise<R> {
    // Sent as source text; esbuild-style __name helpers are shimmed in case the transform adds them.
    const result: unknown = await this.page.evaluate(async (src: string, a: unknown): Promise<unknown> => {
      const g = globalThis as unknown as { __name?: (f: unknown) => unknown };
      g.__name ??= (f: unknown) => f;
      const f = (0, eval)(`(${src})`) as (env: PageEnv, args: unknown) => unknown;
      return f({ wc: window.wc, engine: window.wcEngine }, a);
    }, fn.toString(), args as unknown);
    return result as R;
  }

  async close(): Promise<void> {
    await this.page.close();
    await this.browser.disconnect();
  }
}
