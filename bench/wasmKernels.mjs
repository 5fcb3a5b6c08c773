// Times the wasm programs of the pooling, activation, batch-norm, optimizer,
// element-wise and dropout kernels against the same kernels' CPU references
// (what the wasm backend ran for them before they had a wasm program), at the
// standard MNIST model's shapes, batch 64, in Node. Each cell: warm-up calls
// (so the wasm is tiered up), then the median of --reps timed calls.
//
// node bench/wasmKernels.mjs [--reps N]

import { createServer } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const repsAt = process.argv.indexOf('--reps');
const REPS = repsAt > 0 ? Number(process.argv[repsAt + 1]) : 15;

function median(f) {
  for (let i = 0; i < 3; i++) f();
  const times = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const server = await createServer({ root, logLevel: 'error', server: { hmr: false, watch: { ignored: ['**/*'] } }, optimizeDeps: { noDiscovery: true } });
try {
  const wc = await server.ssrLoadModule('/src/index.ts');
  const { backend } = await server.ssrLoadModule('/src/engine.ts');
  const { cpuTensor } = await server.ssrLoadModule('/src/backend/cpu/storage.ts');
  const pool = await server.ssrLoadModule('/src/kernels/pool2d/index.ts');
  const act = await server.ssrLoadModule('/src/kernels/activation/index.ts');
  const bn = await server.ssrLoadModule('/src/kernels/batchNorm/index.ts');
  const opt = await server.ssrLoadModule('/src/kernels/optimizer/index.ts');
  const ew = await server.ssrLoadModule('/src/kernels/elementwise/index.ts');
  const drop = await server.ssrLoadModule('/src/kernels/dropout/index.ts');
  await wc.setBackend('wasm');
  const be = backend();

  const rand = (shape) => { const n = shape.reduce((a, b) => a * b, 1); const v = new Float32Array(n); for (let i = 0; i < n; i++) v[i] = Math.sin(i * 12.9898) * 2; return cpuTensor(v, shape); };
  const toWasm = (t) => be.fromValues(t.dataSync(), t.shape);
  const p2 = { poolSize: [2, 2], strides: [2, 2], padding: 'valid' };
  const adam = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, beta1Power: 0.9, beta2Power: 0.999 };
  // [label, kernel, args as CPU tensors and values]
  const x = rand([64, 26, 26, 32]);
  const cases = [
    ['maxPool2d [64,24,24,32] 2x2/2', pool.maxPool2dKernel, [rand([64, 24, 24, 32]), p2]],
    ['maxPool2d [64,24,24,8] 2x2/2 (light model)', pool.maxPool2dKernel, [rand([64, 24, 24, 8]), p2]],
    ['maxPool2dBackward', pool.maxPool2dBackwardKernel, [rand([64, 12, 12, 32]), rand([64, 24, 24, 32]), p2]],
    ['activation relu [64,26,26,32]', act.activationKernel, [x, 'relu', 0]],
    ['activationBackward relu', act.activationBackwardKernel, [x, x, x, 'relu', 0]],
    ['softmax [64,10]', act.softmaxKernel, [rand([64, 10])]],
    ['batchNormTrain [64,26,26,32]', bn.batchNormTrainKernel, [x, rand([32]), rand([32]), 1e-3]],
    ['batchNormBackward', bn.batchNormBackwardKernel, [x, x, rand([32]), rand([32]), rand([32])]],
    ['adamUpdate [1600,128]', opt.adamUpdateKernel, [rand([1600, 128]), rand([1600, 128]), rand([1600, 128]), rand([1600, 128]), adam]],
    ['binary add [64,26,26,32] + [32]', ew.binaryKernel, [x, rand([32]), 'add']],
    ['unary exp [64,26,26,32]', ew.unaryKernel, [x, 'exp', 0, 0]],
    ['dropout [64,128]', drop.dropoutKernel, [rand([64, 128]), 0.25, 7]],
  ];
  console.log('| kernel | CPU reference ms | wasm ms | speed-up |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [label, kernel, args] of cases) {
    const wasmArgs = args.map((a) => (a && a.dataSync ? toWasm(a) : a));
    const cpuMs = median(() => kernel.cpu(...args));
    const wasmMs = median(() => wc.tidy(() => { be.run(kernel, wasmArgs); }));
    console.log(`| ${label} | ${cpuMs.toFixed(2)} | ${wasmMs.toFixed(2)} | ${(cpuMs / wasmMs).toFixed(1)}x |`);
  }
} finally {
  await server.close();
}
