// A Node process that used the wasm backend on several threads exits by
// itself: its waiting workers must not hold the event loop open. The script
// runs with --input-type=module, which the workers inherit: their source
// must load as a module too.

import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Loads the sources through Vite (as npm run train does), runs a product big enough to share, closes Vite, and returns.
const SCRIPT = `
import { createServer } from 'vite';
const server = await createServer({ root: process.cwd(), logLevel: 'error', server: { middlewareMode: true, hmr: false, watch: null }, optimizeDeps: { noDiscovery: true } });
const wc = await server.ssrLoadModule('/src/index.ts');
await wc.setBackend('wasm', { threads: 2 });
const a = wc.tensor(new Float32Array(256 * 256).fill(1), [256, 256]);
const y = wc.ops.matmul(a, a, false, false);
console.log(JSON.stringify({ threads: wc.backendInfo().wasm.threads, y0: y.dataSync()[0], workerCalls: y.backend.ctx.pool.workerCalls() }));
await server.close();
`;

describe('wasm threads in Node', () => {
  it('a process that ran kernels on 2 threads exits on its own', async () => {
    const started = Date.now();
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message} (killed: ${err.killed}) ${stderr}`));
        else resolve(stdout);
      });
    });
    expect(JSON.parse(out.trim().split('\n').pop() ?? '')).toEqual({ threads: 2, y0: 256, workerCalls: 1 });
    // It exited well before the timeout that would have killed it.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);
});
