#!/usr/bin/env node
// npm run demo: serves the repository with Vite on 127.0.0.1 (a secure
// context, as WebGPU requires) and prints the two demo pages' URLs.

import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 5173);
const server = await createServer({ root, server: { host: '127.0.0.1', port } });
await server.listen();
const url = server.resolvedUrls.local[0];
console.log(`webcnn demo: ${url}demo/  transfer learning: ${url}demo/transfer.html  (Ctrl+C to stop)`);
