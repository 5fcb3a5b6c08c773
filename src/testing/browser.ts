// Finding and launching a Chrome or Chromium with WebGPU enabled, headless.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { loadPuppeteer } from './peers.js';

export const HOW_TO_INSTALL =
  'WebGPU needs Chrome or Chromium 113+: install one (Debian/Ubuntu: `apt-get install chromium`), ' +
  'let puppeteer download its own (npx puppeteer browsers install chrome), ' +
  'or point CHROME_PATH (or PUPPETEER_EXECUTABLE_PATH) at a Chrome binary.';

export const NO_ADAPTER_HELP =
  'Chromium started but navigator.gpu.requestAdapter() returned no adapter. Use a Chromium with WebGPU ' +
  '(113+; without a GPU it falls back to SwiftShader), e.g. `apt-get install chromium`, or set CHROME_PATH.';

/** No usable browser: `reason` is the one-line cause, `message` adds how to install one. */
export class BrowserNotFoundError extends Error {
  constructor(readonly reason: string) {
    super(`webcnn/testing: ${reason}. ${HOW_TO_INSTALL}`);
    this.name = 'BrowserNotFoundError';
  }
}

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

/**
 * The browser to launch: CHROME_PATH, then PUPPETEER_EXECUTABLE_PATH, then a
 * system Chrome/Chromium, then the Chrome puppeteer downloaded. Throws
 * BrowserNotFoundError when there is none: a WebGPU test must never pass by
 * not running.
 */
export function findBrowser(): string {
  // A path given explicitly must exist: falling back to another browser would hide the mistake.
  for (const name of ['CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const path = process.env[name];
    if (path && !existsSync(path)) throw new BrowserNotFoundError(`${name}=${path} does not exist`);
    if (path) return path;
  }
  for (const c of SYSTEM_BROWSERS) if (existsSync(c)) return c;
  const downloaded = puppeteerChrome();
  if (downloaded) return downloaded;
  throw new BrowserNotFoundError(`no browser found (tried CHROME_PATH, PUPPETEER_EXECUTABLE_PATH, ${SYSTEM_BROWSERS.join(', ')} and puppeteer's download)`);
}

/** The Chrome that `npm install puppeteer` downloads, when puppeteer is installed and it did. */
function puppeteerChrome(): string | null {
  try {
    // Synchronous on purpose (findBrowser is): puppeteer ships a CommonJS build alongside its ESM one.
    const { executablePath } = createRequire(import.meta.url)('puppeteer') as { executablePath(): string };
    const path = executablePath();
    return existsSync(path) ? path : null;
  } catch {
    return null; // puppeteer absent, or no download: the caller reports "no browser"
  }
}

export interface LaunchOptions {
  /** Default: findBrowser(). */
  executablePath?: string;
  /** Extra command-line flags, after the WebGPU ones. */
  args?: readonly string[];
  /** Milliseconds one DevTools call (one page.evaluate) may take; puppeteer's default is 180,000. */
  protocolTimeout?: number;
}

const profiles = new WeakMap<Browser, string>();

/**
 * Launches headless Chrome with WebGPU enabled on a fresh temporary profile
 * (no state leaks between runs, parallel runs do not collide); closeBrowser
 * removes the profile again.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const puppeteer = await loadPuppeteer();
  const executablePath = options.executablePath ?? findBrowser();
  const userDataDir = mkdtempSync(join(tmpdir(), 'webcnn-chrome-'));
  try {
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir,
      ...(options.protocolTimeout !== undefined ? { protocolTimeout: options.protocolTimeout } : {}),
      args: [
        '--headless=new', '--enable-unsafe-webgpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-quic',
        // The sandbox cannot start as root (CI containers).
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        ...(options.args ?? []),
      ],
    });
    profiles.set(browser, userDataDir);
    return browser;
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`webcnn/testing: could not start ${executablePath}: ${(err as Error).message}. ${HOW_TO_INSTALL}`, { cause: err });
  }
}

/** Attaches to a browser launched elsewhere (another process, e.g. a test runner's global set-up). */
export async function connectBrowser(browserWSEndpoint: string, options: { protocolTimeout?: number } = {}): Promise<Browser> {
  const puppeteer = await loadPuppeteer();
  return puppeteer.connect({ browserWSEndpoint, ...options });
}

/** Closes a browser from launchBrowser and removes its temporary profile. */
export async function closeBrowser(browser: Browser): Promise<void> {
  await browser.close();
  const dir = profiles.get(browser);
  // Chromium may still be flushing its profile as it exits: retry, and never fail a run over a temp dir.
  if (dir) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      /* left in the temp dir */
    }
  }
}
