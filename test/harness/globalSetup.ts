// GPU suite set-up: serve the repository with Vite on 127.0.0.1 (WebGPU needs
// a secure context, and 127.0.0.1 is one), launch headless Chromium, check it
// has a WebGPU adapter, and hand the browser endpoint and the page URL to the
// tests. No browser or no adapter fails the suite: it is never skipped.

import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { createServer, type ViteDevServer } from 'vite';
import type { Browser } from 'puppeteer';
import { NO_ADAPTER_HELP, closeBrowser, findBrowser, launchBrowser } from './browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    gpuBrowserEndpoint: string;
    gpuPageUrl: string;
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));

let server: ViteDevServer | null = null;
let browser: Browser | null = null;

export async function setup(project: TestProject): Promise<void> {
  try {
    await start(project);
  } catch (err) {
    // Leave no server or browser behind when the suite cannot start.
    await teardown();
    throw err;
  }
}

async function start(project: TestProject): Promise<void> {
  server = await createServer({
    root,
    // The project's config: it serves the MNIST files at /mnist-data for the demo test.
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    // The page imports only our own sources: nothing to pre-bundle.
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('GPU suite: the Vite server has no port');
  const url = `http://127.0.0.1:${address.port}/test/harness/page.html`;

  browser = await launchBrowser(findBrowser());
  const page = await browser.newPage();
  await page.goto(url);
  const adapter = await page.evaluate(async () => {
    if (!navigator.gpu) return null;
    const a = await navigator.gpu.requestAdapter();
    return a ? { vendor: a.info.vendor, architecture: a.info.architecture, isFallbackAdapter: a.info.isFallbackAdapter } : null;
  });
  await page.close();
  if (!adapter) throw new Error(`GPU suite: ${NO_ADAPTER_HELP}`);
  console.log(`GPU suite: ${await browser.version()}, WebGPU adapter ${adapter.vendor}/${adapter.architecture}` +
    `${adapter.isFallbackAdapter ? ' (fallback)' : ''}`);

  project.provide('gpuBrowserEndpoint', browser.wsEndpoint());
  project.provide('gpuPageUrl', url);
}

export async function teardown(): Promise<void> {
  if (browser) await closeBrowser(browser);
  await server?.close();
  browser = null;
  server = null;
}
