// Serving a page to the browser with Vite on 127.0.0.1: WebGPU needs a secure
// context, and http://127.0.0.1 is one (about:blank and file:// are not).

import type { InlineConfig, PreviewServer, ViteDevServer } from 'vite';
import { loadVite } from './peers.js';

export interface ServeOptions {
  /** The folder to serve (Vite's root): the app, or a folder with a test page. */
  root: string;
  /** Vite config file; default: Vite's own lookup in root. `false`: none. */
  configFile?: string | false;
  /** More Vite config, merged under ours; host and port are always 127.0.0.1 and a free port. */
  vite?: InlineConfig;
}

export interface Served<S> {
  /** Where the root is served, ending in '/': e.g. http://127.0.0.1:41234/ */
  url: string;
  /** The Vite server itself (e.g. ssrLoadModule on a dev server). */
  server: S;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function baseConfig(options: ServeOptions): InlineConfig {
  return {
    logLevel: 'error',
    ...options.vite,
    root: options.root,
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
  };
}

function urlOf(server: ViteDevServer | PreviewServer): string {
  const url = server.resolvedUrls?.local[0];
  if (url) return url.endsWith('/') ? url : `${url}/`;
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('webcnn/testing: the Vite server is not listening on a port');
  return `http://${HOST}:${address.port}/`;
}

/**
 * Serves `root` with Vite's dev server (sources transformed on request: a test
 * page may import .ts). No hot reload and no file watching by default: an edit
 * must not reload a page in the middle of a test.
 */
export async function serve(options: ServeOptions): Promise<Served<ViteDevServer>> {
  const { createServer } = await loadVite();
  const base = baseConfig(options);
  const server = await createServer({
    ...base,
    server: { hmr: false, watch: null, ...base.server, host: HOST, port: 0, strictPort: false },
  });
  try {
    await server.listen();
    return { url: urlOf(server), server, close: () => server.close() };
  } catch (err) {
    await server.close();
    throw err;
  }
}

/** Serves an app already built with `vite build` (Vite's preview server: its build.outDir under root). */
export async function serveBuild(options: ServeOptions): Promise<Served<PreviewServer>> {
  const { preview } = await loadVite();
  const base = baseConfig(options);
  const server = await preview({ ...base, preview: { ...base.preview, host: HOST, port: 0, strictPort: false, open: false } });
  return { url: urlOf(server), server, close: () => server.close() };
}
