// Where predict() (or, with --train, trainOnBatch with SGD) of an MNIST model
// spends its time on the wasm backend, in Node, one thread: each kernel call
// is timed by wrapping backend.run (nested calls counted once, at the
// outermost), and the rest is JS overhead (layers, tensors, tape, tidy).
// Reports images/s at --batch: the best of 5 rounds, timed unwrapped.
//
// node bench/wasmProfile.mjs [--model light|standard] [--batch 64] [--reps 200] [--train]

import { createServer } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const MODEL = arg('model', 'light');
const BATCH = Number(arg('batch', 64));
const REPS = Number(arg('reps', 200));
const TRAIN = process.argv.includes('--train');

const server = await createServer({ root, logLevel: 'error', server: { hmr: false, watch: { ignored: ['**/*'] } }, optimizeDeps: { noDiscovery: true } });
try {
  const wc = await server.ssrLoadModule('/src/index.ts');
  const { backend } = await server.ssrLoadModule('/src/engine.ts');
  await wc.setBackend('wasm');
  const be = backend();
  const model = MODEL === 'light' ? wc.models.mnistLight() : wc.models.mnistStandard();
  const n = BATCH * 28 * 28;
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (Math.sin(i * 12.9898) + 1) / 2;
  const x = wc.tensor(v, [BATCH, 28, 28, 1]);
  const labels = new Float32Array(BATCH * 10);
  for (let i = 0; i < BATCH; i++) labels[i * 10 + (i % 10)] = 1;
  const t = wc.tensor(labels, [BATCH, 10]);
  model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  // trainOnBatch reads its loss back (a promise that settles at once on wasm): the loops await each call.
  const predict = TRAIN
    ? () => model.trainOnBatch(x, t)
    : () => { const y = model.predict(x, { batchSize: BATCH }); y.dataSync(); y.dispose(); };
  for (let i = 0; i < 30; i++) await predict();

  // Plain timing: best of 5 rounds of REPS/5 calls.
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let i = 0; i < REPS / 5; i++) await predict();
    best = Math.min(best, (performance.now() - t0) / (REPS / 5));
  }
  console.log(`${MODEL} ${TRAIN ? 'trainOnBatch' : 'predict'} batch ${BATCH}: ${best.toFixed(3)} ms = ${Math.round(BATCH / best * 1000)} images/s`);

  // Per-kernel times, from a wrapped run.
  const run = be.run.bind(be);
  const per = new Map();
  let depth = 0;
  be.run = (kernel, args) => {
    if (depth > 0) return run(kernel, args);
    depth++;
    const t0 = performance.now();
    try { return run(kernel, args); } finally {
      depth--;
      const e = per.get(kernel.name) ?? { ms: 0, calls: 0 };
      e.ms += performance.now() - t0; e.calls++;
      per.set(kernel.name, e);
    }
  };
  const t0 = performance.now();
  for (let i = 0; i < REPS; i++) await predict();
  const total = (performance.now() - t0) / REPS;
  be.run = run;
  let inKernels = 0;
  console.log('| kernel | calls/step | ms/step | share |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, e] of [...per].sort((a, b) => b[1].ms - a[1].ms)) {
    inKernels += e.ms / REPS;
    console.log(`| ${name} | ${(e.calls / REPS).toFixed(0)} | ${(e.ms / REPS).toFixed(3)} | ${(100 * e.ms / REPS / total).toFixed(1)}% |`);
  }
  console.log(`| outside kernels (layers, tensors, readback) | | ${(total - inKernels).toFixed(3)} | ${(100 * (total - inKernels) / total).toFixed(1)}% |`);
  console.log(`total with profiling ${total.toFixed(3)} ms`);
} finally {
  await server.close();
}
