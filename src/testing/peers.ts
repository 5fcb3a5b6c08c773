// puppeteer and vite are optional peer dependencies of webcnn/testing: the
// library itself never needs them, so they are loaded only when a function
// that uses them is called, and a missing one is named with its install line.

import type * as Puppeteer from 'puppeteer';
import type * as Vite from 'vite';

/** The two peers by name, with the import that loads each (kept apart so a test can stand one in). */
type PeerName = 'puppeteer' | 'vite';

export function isMissingPackage(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : '';
  // Node: ERR_MODULE_NOT_FOUND "Cannot find package 'x'"; Vite's SSR loader: "Cannot find module 'x'" / "Failed to load url x".
  const named = message.includes(`'${name}'`) || message.includes(`"${name}"`) || message.includes(`url ${name} `);
  return named && (e?.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (package|module)|Failed to load url/.test(message));
}

export function missingPeerError(name: PeerName, cause: unknown): Error {
  return new Error(
    `webcnn/testing needs ${name}, an optional peer dependency of webcnn that is not installed here. ` +
    `Install it next to webcnn: npm install --save-dev ${name}` +
    (name === 'puppeteer' ? ' (PUPPETEER_SKIP_DOWNLOAD=1 skips its own Chrome when you point CHROME_PATH at one).' : '.'),
    { cause },
  );
}

/** Runs `load`, turning "package not found" into missingPeerError; any other failure passes through. */
export async function loadPeer<T>(name: PeerName, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw isMissingPackage(err, name) ? missingPeerError(name, err) : err;
  }
}

export function loadPuppeteer(): Promise<typeof Puppeteer> {
  return loadPeer('puppeteer', () => import('puppeteer'));
}

export function loadVite(): Promise<typeof Vite> {
  return loadPeer('vite', () => import('vite'));
}
