#!/usr/bin/env node
// npm run demo: serves the repository with Vite on 127.0.0.1 (a secure
// context, as WebGPU requires) and prints the two demo pages' URLs.

import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 5173);
const server = await createServer({
  root,
  server: {
    host: '127.0.0.1', port,
    // Cross-origin isolation gives the page SharedArrayBuffer, which the wasm backend's threads need.
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
});
await server.listen();
const url = server.resolvedUrls.local[0];
console.log(`webcnn demo: ${url}demo/  transfer learning: ${url}demo/transfer.html  (Ctrl+C to stop)`);
