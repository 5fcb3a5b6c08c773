// The consumer's browser test: serve the `vite build` output, train in
// headless Chrome on WebGPU through webcnn/testing, print one JSON line.

import { openWebGpuPage } from 'webcnn/testing';

const session = await openWebGpuPage({ root: process.cwd(), built: true, ready: () => window.appReady === true });
try {
  const result = await session.run(() => window.trainTiny('webgpu'), null);
  console.log(JSON.stringify({ ...result, pageAdapter: session.adapter, errors: session.errors }));
} finally {
  await session.close();
}
