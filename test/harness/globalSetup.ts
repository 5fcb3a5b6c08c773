// GPU suite set-up: serve the repository with Vite on 127.0.0.1 (WebGPU needs
// a secure context, and 127.0.0.1 is one), launch headless Chromium, check it
// has a WebGPU adapter, and hand the browser endpoint and the page URL to the
// tests. No browser or no adapter fails the suite: it is never skipped.
// The serving and launching are webcnn/testing's (src/testing), as an app's tests use them.

import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { Browser } from 'puppeteer';
import { NO_ADAPTER_HELP, closeBrowser, launchBrowser, openPage, probeWebGpu, serve, type Served } from '../../src/testing/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    gpuBrowserEndpoint: string;
    gpuPageUrl: string;
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));

let served: Served<unknown> | null = null;
let browser: Browser | null = null;

export async function setup(project: TestProject): Promise<void> {
  try {
    await start(project);
  } catch (err) {
    // Leave no server or browser behind when the suite cannot start.
    await teardown();
    throw new Error(`GPU suite: ${(err as Error).message}`, { cause: err });
  }
}

async function start(project: TestProject): Promise<void> {
  served = await serve({
    root,
    // The project's config: it serves the MNIST files at /mnist-data for the demo test.
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    // The page imports only our own sources: nothing to pre-bundle.
    vite: { optimizeDeps: { noDiscovery: true, include: [] } },
  });
  const url = `${served.url}test/harness/page.html`;

  browser = await launchBrowser();
  const { page } = await openPage(browser, url);
  const adapter = await probeWebGpu(page);
  await page.close();
  if (!adapter) throw new Error(NO_ADAPTER_HELP);
  console.log(`GPU suite: ${await browser.version()}, WebGPU adapter ${adapter.vendor}/${adapter.architecture}` +
    `${adapter.isFallbackAdapter ? ' (fallback)' : ''}`);

  project.provide('gpuBrowserEndpoint', browser.wsEndpoint());
  project.provide('gpuPageUrl', url);
}

export async function teardown(): Promise<void> {
  if (browser) await closeBrowser(browser);
  await served?.close();
  browser = null;
  served = null;
}
