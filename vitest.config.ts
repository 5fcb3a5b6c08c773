// Two suites: 'cpu' runs in Node; 'gpu' runs each kernel in headless Chromium
// (WebGPU, SwiftShader without a GPU) through a Vite dev server on 127.0.0.1,
// and compares with the CPU reference in Node. See test/harness/globalSetup.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'cpu',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/gpu/**', '**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'gpu',
          environment: 'node',
          include: ['test/gpu/**/*.test.ts'],
          globalSetup: ['test/harness/globalSetup.ts'],
          // One browser, one adapter: GPU files run one after another.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
