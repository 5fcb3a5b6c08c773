// Opening a page and running functions in it. A function is sent as source
// text (page.evaluate), so it sees only its arguments and the page's globals,
// never the Node variables around it; what it returns comes back as JSON.

import type { Browser, Page } from 'puppeteer';

/** What travels between Node and the page: JSON values (typed arrays do not survive; use Array.from). */
export type Json = number | string | boolean | null | Json[] | { [k: string]: Json };

export interface OpenPageOptions {
  /** Evaluated in the page until it returns true, e.g. `() => window.appReady === true`. */
  ready?: () => unknown;
  /** Milliseconds to wait for the page to load and be ready. Default 60,000. */
  timeout?: number;
}

export interface OpenedPage {
  page: Page;
  /** Uncaught page errors and console.error messages since the page opened, in order. */
  errors: string[];
}

/** Opens `url` in a new tab, collects its errors, and waits for `ready`. */
export async function openPage(browser: Browser, url: string, options: OpenPageOptions = {}): Promise<OpenedPage> {
  const timeout = options.timeout ?? 60_000;
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${String(e)}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  try {
    await page.goto(url, { timeout });
    if (options.ready) {
      await page.waitForFunction(options.ready, { timeout }).catch((err: unknown) => {
        throw new Error(`webcnn/testing: ${url} was not ready after ${timeout} ms: ${errors.join('; ') || (err as Error).message}`);
      });
    }
  } catch (err) {
    await page.close();
    throw err;
  }
  return { page, errors };
}

/**
 * Runs fn(args) in the page and returns its result. fn must be self-contained
 * (it is sent as text): reach the app through the page's globals.
 */
export async function runInPage<A, R>(page: Page, fn: (args: A) => R | Promise<R>, args: A): Promise<Awaited<R>> {
  const result: unknown = await page.evaluate(async (src: string, a: unknown): Promise<unknown> => {
    // Transpilers (esbuild's keepNames) may wrap functions in __name(...): give the page a stand-in.
    const g = globalThis as unknown as { __name?: (f: unknown) => unknown };
    g.__name ??= (f: unknown) => f;
    const f = (0, eval)(`(${src})`) as (args: unknown) => unknown;
    return f(a);
  }, fn.toString(), args as unknown);
  return result as Awaited<R>;
}

/** What the page's WebGPU adapter says about itself. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** True for a software adapter (SwiftShader when there is no GPU). */
  isFallbackAdapter: boolean;
}

/** The page's WebGPU adapter, or null when navigator.gpu is missing or gives none. */
export function probeWebGpu(page: Page): Promise<AdapterSummary | null> {
  return page.evaluate(async () => {
    if (!navigator.gpu) return null;
    const a = await navigator.gpu.requestAdapter();
    if (!a) return null;
    const { vendor, architecture, description, isFallbackAdapter } = a.info;
    return { vendor, architecture, description, isFallbackAdapter: Boolean(isFallbackAdapter) };
  });
}
