#!/usr/bin/env node
// npm run bench -- [--quick] [--rows ID,...] [--engines NAME,...] [--budget S] [--max-call S] [--cell-limit S] [--tune-all] [--out FILE] [--no-profile]
// Serves the repository with Vite (the project's config, plus TF.js's .wasm
// files at /tfjs-wasm/ and cross-origin isolation so tfjs-wasm may use
// threads), then runs bench/cli.ts, which drives bench/page.html in headless
// Chromium. See bench/README.md.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

/** TF.js's wasm binaries, straight from node_modules (setWasmPaths('/tfjs-wasm/') in the page). */
function tfjsWasm() {
  const folder = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  return {
    name: 'bench-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use('/tfjs-wasm', (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0];
        const file = /^[\w.-]+\.wasm$/.test(name) ? join(folder, name) : null;
        if (!file || !existsSync(file)) return next();
        // application/wasm lets the browser compile while it downloads.
        res.setHeader('Content-Type', 'application/wasm');
        res.setHeader('Content-Length', String(statSync(file).size));
        createReadStream(file).pipe(res);
      });
    },
  };
}

const server = await createServer({
  root,
  configFile: join(root, 'vite.config.ts'),
  logLevel: 'error',
  plugins: [tfjsWasm()],
  server: {
    host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null,
    // SharedArrayBuffer (tfjs-wasm's threads) needs a cross-origin isolated page.
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
  // Bundled once at start-up, so no page reloads mid-run to optimize a dependency it discovered.
  optimizeDeps: { entries: ['bench/page.html'], include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'] },
});
let code = 0;
try {
  await server.listen();
  const url = server.resolvedUrls.local[0];
  const { main } = await server.ssrLoadModule('/bench/cli.ts');
  await main(process.argv.slice(2), { url: url.endsWith('/') ? url : `${url}/`, root: root.replace(/\/$/, '') });
} catch (err) {
  console.error(err instanceof Error && err.message.startsWith('usage:') ? err.message : err);
  code = 1;
} finally {
  await server.close();
}
process.exit(code);
