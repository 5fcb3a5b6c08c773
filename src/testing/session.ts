// The whole round in one call: serve an app, launch headless Chrome with
// WebGPU, open the page, check it has an adapter; close() undoes all of it.

import type { Browser, Page } from 'puppeteer';
import { closeBrowser, launchBrowser, NO_ADAPTER_HELP, type LaunchOptions } from './browser.js';
import { openPage, probeWebGpu, runInPage, type AdapterSummary, type OpenPageOptions } from './page.js';
import { serve, serveBuild, type ServeOptions } from './server.js';

export interface WebGpuPageOptions extends ServeOptions, LaunchOptions, OpenPageOptions {
  /** The page under root to open, e.g. 'index.html' or 'test/model.html'. Default: '' (root's index.html). */
  path?: string;
  /** Serve root's `vite build` output (Vite's preview server) instead of its sources. Default false. */
  built?: boolean;
  /** Fail when the page has no WebGPU adapter. Default true: a WebGPU test must not pass on nothing. */
  requireAdapter?: boolean;
}

export interface WebGpuPage {
  url: string;
  browser: Browser;
  page: Page;
  /** The page's adapter; null only with requireAdapter: false. */
  adapter: AdapterSummary | null;
  /** Page errors and console errors so far. */
  errors: string[];
  /** Runs fn(args) in the page (see runInPage) and returns its JSON result. */
  run<A, R>(fn: (args: A) => R | Promise<R>, args: A): Promise<Awaited<R>>;
  /** Closes the page, the browser (removing its profile) and the server. */
  close(): Promise<void>;
}

/**
 * Serves `root` with Vite on 127.0.0.1, launches headless Chrome with WebGPU,
 * opens `path` and waits for `ready`. Whatever fails on the way closes what
 * was already started.
 */
export async function openWebGpuPage(options: WebGpuPageOptions): Promise<WebGpuPage> {
  const served = options.built ? await serveBuild(options) : await serve(options);
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser(options);
    const url = new URL(options.path ?? '', served.url).href;
    const { page, errors } = await openPage(browser, url, options);
    const adapter = await probeWebGpu(page);
    if (!adapter && options.requireAdapter !== false) throw new Error(`webcnn/testing: ${NO_ADAPTER_HELP}`);
    const opened = browser;
    return {
      url, browser: opened, page, adapter, errors,
      run: (fn, args) => runInPage(page, fn, args),
      close: async () => {
        await closeBrowser(opened);
        await served.close();
      },
    };
  } catch (err) {
    if (browser) await closeBrowser(browser);
    await served.close();
    throw err;
  }
}
