// Finding and launching a Chromium with WebGPU for the GPU suite.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';

const HOW_TO_INSTALL =
  'The GPU tests need Chrome or Chromium with WebGPU: install one (Debian/Ubuntu: `apt-get install chromium`) ' +
  'or point CHROME_PATH (or PUPPETEER_EXECUTABLE_PATH) at a Chrome binary.';

export function findBrowser(): string {
  // A path given explicitly must exist: falling back to another browser would hide the mistake.
  for (const name of ['CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const path = process.env[name];
    if (path && !existsSync(path)) throw new Error(`GPU suite: ${name}=${path} does not exist. ${HOW_TO_INSTALL}`);
    if (path) return path;
  }
  const candidates = ['/usr/bin/chromium', '/usr/bin/google-chrome'];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`GPU suite: no browser found (tried CHROME_PATH, PUPPETEER_EXECUTABLE_PATH, ${candidates.join(', ')}). ${HOW_TO_INSTALL}`);
}

/** Launches the browser on a fresh profile; closeBrowser removes the profile again. */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'webcnn-chrome-'));
  const browser = await launch(executablePath, userDataDir).catch((err: unknown) => {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`GPU suite: could not start ${executablePath}: ${(err as Error).message}. ${HOW_TO_INSTALL}`);
  });
  profiles.set(browser, userDataDir);
  return browser;
}

const profiles = new WeakMap<Browser, string>();

export async function closeBrowser(browser: Browser): Promise<void> {
  await browser.close();
  const dir = profiles.get(browser);
  // Chromium may still be flushing its profile as it exits: retry, and never fail the run over a temp dir.
  if (dir) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      /* left in the temp dir */
    }
  }
}

function launch(executablePath: string, userDataDir: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    // A fresh profile per run: no state leaks between runs, and parallel runs do not collide.
    userDataDir,
    args: [
      '--headless=new', '--enable-unsafe-webgpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
      // The sandbox cannot start as root (CI containers).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
}

export const NO_ADAPTER_HELP =
  'Chromium started but navigator.gpu.requestAdapter() returned no adapter. Use a Chromium with WebGPU ' +
  '(113+; without a GPU it falls back to SwiftShader), e.g. `apt-get install chromium`, or set CHROME_PATH.';
