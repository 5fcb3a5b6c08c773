// Two suites: 'cpu' runs in Node; 'gpu' runs each kernel in headless Chromium
// (WebGPU, SwiftShader without a GPU) through a Vite dev server on 127.0.0.1,
// and compares with the CPU reference in Node. See test/harness/globalSetup.ts.
import { defineConfig } from 'vitest/config';

const gpuProject = {
  environment: 'node' as const,
  globalSetup: ['test/harness/globalSetup.ts'],
  // One browser, one adapter: GPU files run one after another.
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'cpu',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/gpu/**', 'test/e2e/**', '**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
      // The wasm tests again on two threads, every kernel that can share its work sharing it (test/wasm/harness.ts).
      { test: { name: 'wasm-threads', environment: 'node', include: ['test/wasm/**/*.test.ts'], exclude: ['test/wasm/build.test.ts', 'test/wasm/threads.test.ts', 'test/wasm/exit.test.ts'], testTimeout: 60_000, env: { WEBCNN_WASM_THREADS: '2' } } },
      { test: { name: 'gpu', include: ['test/gpu/**/*.test.ts'], ...gpuProject } },
      // The demo in its own browser and Vite server (test/e2e/demo.test.ts serves and launches itself).
      { test: { name: 'e2e', environment: 'node', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 600_000, hookTimeout: 120_000 } },
      // Kernel timings, only on request: WEBCNN_PERF=1 npx vitest run --project perf
      ...(process.env.WEBCNN_PERF ? [{ test: { name: 'perf', include: ['test/gpu/perf/*.perf.ts'], ...gpuProject } }] : []),
    ],
  },
});
