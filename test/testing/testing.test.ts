// webcnn/testing without a browser: which browser it picks, how a missing peer
// dependency is reported, and that both servers answer on 127.0.0.1. (The
// browser half runs in the GPU suite's set-up and in test/consumer.)

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserNotFoundError, findBrowser, serve, serveBuild } from '../../src/testing/index.js';
import { isMissingPackage, loadPeer } from '../../src/testing/peers.js';

const saved = { CHROME_PATH: process.env.CHROME_PATH, PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('findBrowser', () => {
  it('takes CHROME_PATH first, and PUPPETEER_EXECUTABLE_PATH after it', () => {
    process.env.CHROME_PATH = process.execPath;          // any existing file will do
    process.env.PUPPETEER_EXECUTABLE_PATH = '/nonexistent/chrome';
    expect(findBrowser()).toBe(process.execPath);
    delete process.env.CHROME_PATH;
    process.env.PUPPETEER_EXECUTABLE_PATH = process.execPath;
    expect(findBrowser()).toBe(process.execPath);
  });

  it('refuses a CHROME_PATH that does not exist instead of falling back to another browser', () => {
    process.env.CHROME_PATH = '/nonexistent/chrome';
    const err = (() => { try { findBrowser(); return null; } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(BrowserNotFoundError);
    expect((err as BrowserNotFoundError).reason).toBe('CHROME_PATH=/nonexistent/chrome does not exist');
    expect((err as Error).message).toMatch(/apt-get install chromium/);
  });
});

describe('optional peers', () => {
  const notFound = (name: string) => Object.assign(new Error(`Cannot find package '${name}' imported from /app/x.js`), { code: 'ERR_MODULE_NOT_FOUND' });

  it('names the missing package and how to install it', async () => {
    await expect(loadPeer('puppeteer', () => Promise.reject(notFound('puppeteer'))))
      .rejects.toThrow(/webcnn\/testing needs puppeteer, an optional peer dependency.*npm install --save-dev puppeteer/);
    await expect(loadPeer('vite', () => Promise.reject(notFound('vite')))).rejects.toThrow(/npm install --save-dev vite/);
  });

  it('passes other failures through: a broken install is not a missing one', async () => {
    const inner = notFound('puppeteer-core');             // puppeteer present, its own dependency missing
    expect(isMissingPackage(inner, 'puppeteer')).toBe(false);
    await expect(loadPeer('puppeteer', () => Promise.reject(inner))).rejects.toBe(inner);
    await expect(loadPeer('vite', () => Promise.resolve(42))).resolves.toBe(42);
  });
});

describe('serve and serveBuild', () => {
  it('serve an app\'s sources (dev server, TypeScript transformed) and its build output on 127.0.0.1', async () => {
    const root = mkdtempSync(join(tmpdir(), 'webcnn-serve-'));
    try {
      writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="/main.ts"></script><p>webcnn-serve-test</p>');
      writeFileSync(join(root, 'main.ts'), 'const n: number = 6 * 7;\nconsole.log(n);\n');
      const dev = await serve({ root, configFile: false });
      try {
        expect(dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        expect(await (await fetch(dev.url)).text()).toContain('webcnn-serve-test');
        const js = await (await fetch(new URL('main.ts', dev.url))).text();
        expect(js).toContain('6 * 7');
        expect(js).not.toContain(': number');             // served as JavaScript
      } finally {
        await dev.close();
      }
      const { build } = await import('vite');
      await build({ root, configFile: false, logLevel: 'silent' });
      const built = await serveBuild({ root, configFile: false });
      try {
        expect(built.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        const html = await (await fetch(built.url)).text();
        expect(html).toContain('webcnn-serve-test');
        expect(html).toMatch(/assets\/index-[\w-]+\.js/);   // the bundle, not the source
      } finally {
        await built.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
