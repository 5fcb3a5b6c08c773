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

export class GpuPage {
  private constructor(private readonly browser: Browser, readonly page: Page) {}

  /** Connects to the suite's browser and opens the test page with webcnn loaded. */
  static async open(backendOptions: { verify?: boolean } = {}): Promise<GpuPage> {
    const browser = await connectBrowser(inject('gpuBrowserEndpoint'), { protocolTimeout: 300_000 });
    const { page } = await openPage(browser, inject('gpuPageUrl'), { ready: () => window.wcReady === true })
      .catch(async (err: unknown) => {
        await browser.disconnect();
        throw new Error(`GPU test page did not load webcnn: ${(err as Error).message}`);
      });
    const gp = new GpuPage(browser, page);
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

  async close(): Promise<void> {
    await this.page.close();
    await this.browser.disconnect();
  }
}
