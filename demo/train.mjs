#!/usr/bin/env node
// npm run train -- [--model light|standard|autoencoder] [--epochs N] [--batch N] [--backend webgpu|wasm|cpu] [--threads N]
//                  [--optimizer adam|sgd|rmsprop] [--lr X] [--lr-decay F] [--train N] [--test N] [--validation FRACTION] [--test-each-epoch] [--augment] [--elastic] [--out DIR]
// --augment distorts each training digit at random (rotation ±10°, translation
// and zoom ±10%), --elastic adds elastic distortion (demo/augment.ts).
// Trains an MNIST CNN on the real data set and prints its test accuracy. On
// WebGPU the same training code runs in headless Chromium (puppeteer); with
// --backend wasm or cpu it runs in Node on that backend; when no browser or
// adapter is found for WebGPU, on the CPU backend in Node. TypeScript sources are served and compiled by Vite.

import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv) {
  const opts = { model: 'light', epochs: 1, batchSize: 64, backend: 'webgpu', optimizer: 'adam', learningRate: 0.002, seed: 1, out: null };
  const positiveInt = (v, name) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`train: ${name} must be a positive integer, got '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    // Options with a value consume the next argument; flags do not.
    const need = () => {
      if (i + 1 >= argv.length) throw new Error(`train: ${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--model': opts.model = need(); if (!['light', 'standard', 'autoencoder'].includes(opts.model)) throw new Error(`train: --model must be light, standard or autoencoder, got '${opts.model}'`); break;
      case '--test-each-epoch': opts.testEachEpoch = true; break;
      case '--augment': opts.augment = true; break;
      case '--elastic': opts.elastic = true; break;
      case '--epochs': opts.epochs = positiveInt(need(), a); break;
      case '--batch': opts.batchSize = positiveInt(need(), a); break;
      case '--backend': opts.backend = need(); if (!['webgpu', 'wasm', 'cpu'].includes(opts.backend)) throw new Error(`train: --backend must be webgpu, wasm or cpu, got '${opts.backend}'`); break;
      case '--threads': opts.threads = positiveInt(need(), a); break;
      case '--optimizer': opts.optimizer = need(); if (!['adam', 'sgd', 'rmsprop'].includes(opts.optimizer)) throw new Error(`train: --optimizer must be adam, sgd or rmsprop, got '${opts.optimizer}'`); break;
      case '--lr': opts.learningRate = Number(need()); if (!(opts.learningRate > 0)) throw new Error(`train: --lr must be a positive number`); break;
      case '--lr-decay': opts.lrDecay = Number(need()); if (!(opts.lrDecay > 0 && opts.lrDecay <= 1)) throw new Error('train: --lr-decay must be a number in (0, 1]: epoch e trains at lr * F^e'); break;
      case '--train': opts.trainSize = positiveInt(need(), a); break;
      case '--test': opts.testSize = positiveInt(need(), a); break;
      case '--validation': opts.validationSplit = Number(need()); if (!(opts.validationSplit >= 0 && opts.validationSplit < 1)) throw new Error('train: --validation must be a fraction in [0, 1)'); break;
      case '--seed': opts.seed = positiveInt(need(), a); break;
      case '--out': opts.out = need(); break;
      case '--help': case '-h':
        console.log('usage: npm run train -- [--model light|standard|autoencoder] [--epochs N] [--batch N] [--backend webgpu|wasm|cpu] [--threads N] [--optimizer adam|sgd|rmsprop] [--lr X] [--lr-decay F] [--train N] [--test N] [--validation FRACTION] [--test-each-epoch] [--augment] [--elastic] [--out DIR]');
        process.exit(0);
        break;
      default: throw new Error(`train: unknown option '${a}' (try --help)`);
    }
  }
  if (opts.model === 'autoencoder' && (opts.augment || opts.elastic)) throw new Error('train: --augment and --elastic train the classifiers (light, standard), not the autoencoder');
  return opts;
}

const fmtTime = (s) => (!Number.isFinite(s) ? '?' : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`);
const tty = process.stdout.isTTY;

function printer() {
  let lastDraw = 0;
  return (e) => {
    switch (e.type) {
      case 'start':
        console.log(`webcnn: training the ${e.params}-parameter model on ${e.adapter}: ${e.trainCount} training images, ${e.testCount} test images, ${e.batches} batches an epoch`);
        if (e.augmentation?.length) console.log(`augmentation in training: ${e.augmentation.join(', ')}`);
        break;
      case 'reconstruction':
        if (e.stopped) console.log('training stopped early');
        console.log(`test reconstruction MSE ${e.testMse.toFixed(5)} on ${e.testCount} test images; training ${e.trainSeconds.toFixed(1)} s at ${e.imagesPerSecond.toFixed(0)} images/s`);
        break;
      case 'batch': {
        // Every batch reports; a terminal redraws at most 10 times a second, a log gets every 10th of the epoch.
        const last = e.batch === e.batches - 1;
        const now = Date.now();
        if (tty ? !last && now - lastDraw < 100 : !last && (e.batch + 1) % Math.max(1, Math.round(e.batches / 10)) !== 0) return;
        lastDraw = now;
        const width = 30;
        const done = Math.round(((e.batch + 1) / e.batches) * width);
        const acc = e.acc === undefined ? '' : ` acc ${e.acc.toFixed(4)}`;
        const line = `epoch ${e.epoch + 1} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${e.batch + 1}/${e.batches} loss ${e.loss.toFixed(4)}${acc} ${e.imagesPerSecond.toFixed(0)} img/s, ${fmtTime(e.secondsLeft)} left`;
        if (tty) process.stdout.write(`\r${line}\x1b[K`); else console.log(line);
        break;
      }
      case 'epoch':
        if (tty) process.stdout.write('\n');
        if (e.acc === undefined) {
          console.log(`epoch ${e.epoch + 1}: loss (MSE) ${e.loss.toFixed(5)}, ${e.seconds.toFixed(1)} s, ${e.imagesPerSecond.toFixed(0)} images/s`);
          break;
        }
        console.log(`epoch ${e.epoch + 1}: loss ${e.loss.toFixed(4)}, accuracy ${(100 * e.acc).toFixed(2)}%${e.valAcc === undefined ? '' : `, validation accuracy ${(100 * e.valAcc).toFixed(2)}%`}${e.testAcc === undefined ? '' : `, test accuracy ${(100 * e.testAcc).toFixed(2)}%`}, ${e.seconds.toFixed(1)} s, ${e.imagesPerSecond.toFixed(0)} images/s, learning rate ${e.learningRate.toPrecision(3)}`);
        break;
      case 'done':
        if (e.stopped) console.log('training stopped early');
        console.log(`test accuracy ${(100 * e.test.accuracy).toFixed(2)}% on ${e.test.count} test images (loss ${e.test.loss.toFixed(4)}); ` +
          `training ${e.trainSeconds.toFixed(1)} s at ${e.imagesPerSecond.toFixed(0)} images/s; inference ${e.inferenceImagesPerSecond.toFixed(0)} images/s`);
        break;
    }
  };
}

async function trainInNode(server, opts) {
  const wc = await server.ssrLoadModule('/src/index.ts');
  const { trainMnist, trainAutoencoder } = await server.ssrLoadModule('/demo/trainCore.ts');
  const train = opts.model === 'autoencoder' ? trainAutoencoder : trainMnist;
  const { model } = await train(wc, { ...opts, backend: opts.backend === 'wasm' ? 'wasm' : 'cpu' }, printer());
  if (opts.out) {
    await model.save(opts.out);
    console.log(`saved the model to ${opts.out} (TensorFlow.js layers-model format: model.json + weights)`);
  }
  return model;
}

/** Returns null (after saying why) when no browser or adapter can run WebGPU here. */
async function trainInChromium(server, opts, url) {
  const { findBrowser, launchBrowser, closeBrowser } = await server.ssrLoadModule('/src/testing/index.ts');
  let executable;
  try {
    executable = findBrowser();
  } catch (err) {
    // BrowserNotFoundError's reason is the one-line cause; its full message is written for test suites.
    const cause = err.reason ?? err.message;
    console.log(`webcnn: no browser for WebGPU (${cause}); training on the CPU backend in Node instead. For WebGPU install Chromium ('apt-get install chromium') or set CHROME_PATH to Chrome.`);
    return null;
  }
  const browser = await launchBrowser({ executablePath: executable });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e}`));
    await page.exposeFunction('reportProgress', printer());
    await page.goto(`${url}demo/train.html`);
    await page.waitForFunction(() => window.trainReady === true, { timeout: 120_000 });
    const adapter = await page.evaluate(() => window.probeWebGpu());
    if (!adapter) {
      console.log('webcnn: the browser has no WebGPU adapter (start it with --enable-unsafe-webgpu; a GPU driver or SwiftShader is needed); training on the CPU backend in Node instead.');
      return null;
    }
    // One long page.evaluate would hit puppeteer's protocol timeout: the page
    // starts training and reports the end through exposed functions instead.
    let settle;
    const finished = new Promise((resolve, reject) => { settle = { resolve, reject }; });
    await page.exposeFunction('trainingDone', (result) => settle.resolve(result));
    await page.exposeFunction('trainingFailed', (message) => settle.reject(new Error(message)));
    await page.evaluate((o) => { window.runTraining(o).then(window.trainingDone, (e) => window.trainingFailed(String(e?.stack ?? e))); }, { ...opts, out: undefined });
    const { artifacts } = await finished;
    if (opts.out) {
      const { writeArtifacts } = await server.ssrLoadModule('/src/io/handlers.ts');
      const weightData = Float32Array.from(artifacts.weights).buffer;
      await writeArtifacts({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, weightData }, opts.out, 'train');
      console.log(`saved the model to ${opts.out} (TensorFlow.js layers-model format: model.json + weights)`);
    }
    return 'trained';
  } finally {
    await closeBrowser(browser);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  // No HMR and no file watching: an edit to the sources must not reload the page mid-training.
  const server = await createServer({ root, logLevel: 'error', server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: { ignored: ['**/*'] } }, optimizeDeps: { noDiscovery: true } });
  await server.listen();
  const url = server.resolvedUrls.local[0];
  try {
    let done = opts.backend === 'webgpu' ? await trainInChromium(server, opts, url) : null;
    if (!done) await trainInNode(server, opts);
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
