// The demo page: controls, progress, charts and views. All engine work
// happens in worker.ts; this file sends commands and draws what comes back.
// The body's data-* attributes (ready, testAccuracy, prediction, with inked
// and predictionFor to tell which drawing a prediction answers) let the
// end-to-end test follow along.

import type { FromWorker, ToWorker } from './protocol.js';
import type { TrainEvent, TrainOptions } from './trainCore.js';
import { lineChart, smooth } from './charts.js';
import { drawingPad } from './draw.js';
import { toMnist } from './preprocess.js';
import { confusionMatrix, digitGrid, featureMaps, filterGrid, grayImage, mistakeGallery, probabilityBars } from './views.js';
import type { AugmentChoice } from './augment.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const canvas = (id: string): HTMLCanvasElement => $<HTMLCanvasElement>(id);
const params = new URLSearchParams(location.search);
// ?train=2000&test=1000 trains and tests on the first images only (the end-to-end test uses them);
// ?backend=cpu or ?backend=wasm skips WebGPU.
const subset = (k: string): number | undefined => (params.has(k) ? Number(params.get(k)) : undefined);

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(m, { transfer });
const asked = params.get('backend');
send({ type: 'init', backend: asked === 'cpu' || asked === 'wasm' ? asked : 'webgpu' });

let backend: TrainOptions['backend'] = 'webgpu';
let haveModel = false;
let training = false;

// ---- training progress and charts
const history = { loss: [] as number[], acc: [] as number[], epochLoss: [] as number[], epochAcc: [] as number[], valLoss: [] as number[], valAcc: [] as number[] };
let totalBatches = 1;
let epochs = 1;
let redraw = 0;

function drawCharts(): void {
  redraw = 0;
  // Per-batch values are noisy: the raw line is faint, a 20-batch average on top.
  const perBatch = (points: number[], color: string, label: string) => [
    { label: '', color: `${color}44`, points }, { label, color, points: smooth(points, 20) },
  ];
  lineChart(canvas('lossChart'), perBatch(history.loss, '#cc3333', 'loss (20-batch mean)'), { xSlots: totalBatches, xLabel: 'batch' });
  lineChart(canvas('accChart'), perBatch(history.acc, '#2277aa', 'accuracy (20-batch mean)'), { yMax: 1, xSlots: totalBatches, xLabel: 'batch' });
  lineChart(canvas('epochLossChart'), [
    { label: 'training', color: '#cc3333', points: history.epochLoss }, { label: 'validation', color: '#ee9900', points: history.valLoss },
  ], { xSlots: epochs, discrete: true, xLabel: 'epoch' });
  lineChart(canvas('epochAccChart'), [
    { label: 'training', color: '#2277aa', points: history.epochAcc }, { label: 'validation', color: '#22aa66', points: history.valAcc },
  ], { yMax: 1, xSlots: epochs, discrete: true, xLabel: 'epoch' });
}
const scheduleCharts = (): void => { if (!redraw) redraw = requestAnimationFrame(drawCharts); };

const time = (s: number): string => (!Number.isFinite(s) ? '?' : s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.ceil(s)} s`);

function onProgress(ev: TrainEvent): void {
  const progress = $<HTMLProgressElement>('progress');
  switch (ev.type) {
    case 'start':
      totalBatches = ev.batches * ev.epochs;
      epochs = ev.epochs;
      $('status').textContent = `Training on ${ev.trainCount.toLocaleString('en')} digits (${ev.validationCount.toLocaleString('en')} held out for validation), ${ev.params.toLocaleString('en')} weights…`;
      break;
    case 'batch': {
      history.loss.push(ev.loss);
      history.acc.push(ev.acc);
      progress.value = history.loss.length / totalBatches;
      $('status').textContent = `Epoch ${ev.epoch + 1} of ${epochs}, batch ${ev.batch + 1} of ${ev.batches}: ` +
        `${ev.imagesPerSecond.toFixed(0)} images/s, about ${time(ev.secondsLeft)} left`;
      scheduleCharts();
      break;
    }
    case 'epoch':
      history.epochLoss.push(ev.loss);
      history.epochAcc.push(ev.acc);
      if (ev.valLoss !== undefined) history.valLoss.push(ev.valLoss);
      if (ev.valAcc !== undefined) history.valAcc.push(ev.valAcc);
      scheduleCharts();
      break;
    case 'augmented':
      digitGrid(canvas('augmented'), ev.digits, ev.count);
      document.body.dataset.augmentedFrames = String(++augmentedFrames);
      break;
    case 'done':
      progress.value = 1;
      $('status').textContent = `${ev.stopped ? 'Stopped early' : 'Done'}: ${time(ev.trainSeconds)} of training at ${ev.imagesPerSecond.toFixed(0)} images/s; ` +
        `the test set ran at ${ev.inferenceImagesPerSecond.toFixed(0)} images/s.`;
      break;
  }
}

function setTraining(on: boolean): void {
  training = on;
  $<HTMLButtonElement>('train').disabled = on;
  $<HTMLButtonElement>('stop').disabled = !on;
  for (const id of ['save', 'load', 'download']) $<HTMLButtonElement>(id).disabled = on;
}

$('train').onclick = () => {
  for (const list of Object.values(history)) list.length = 0;
  delete document.body.dataset.testAccuracy;
  const options: TrainOptions = {
    model: $<HTMLSelectElement>('model').value === 'standard' ? 'standard' : 'light',
    epochs: Math.max(1, Math.round(Number($<HTMLInputElement>('epochs').value))),
    batchSize: Math.max(1, Math.round(Number($<HTMLInputElement>('batch').value))),
    optimizer: $<HTMLSelectElement>('optimizer').value as TrainOptions['optimizer'],
    learningRate: Number($<HTMLInputElement>('lr').value),
    lrDecay: Math.min(1, Math.max(0.01, Number($<HTMLInputElement>('lrDecay').value) || 1)),
    backend, trainSize: subset('train'), testSize: subset('test'), validationSplit: 1 / 12, seed: 1,
    ...augmentChoice(), previewDigits: PREVIEW_DIGITS,
  };
  $('status').textContent = 'Loading MNIST…';
  setTraining(true);
  send({ type: 'train', options });
};
// ---- the augment switch: while on, fit distorts each training digit, and a grid shows
// digits distorted the same way, refreshed from training (or, idle, every PREVIEW_MS).
const PREVIEW_DIGITS = 32;
const PREVIEW_MS = 1500;
let augmentedFrames = 0;
let previewTimer = 0;
const augmentChoice = (): AugmentChoice => ({ augment: $<HTMLInputElement>('augment').checked, elastic: $<HTMLInputElement>('elastic').checked });
function onAugmentSwitch(): void {
  const choice = augmentChoice();
  const on = Boolean(choice.augment || choice.elastic);
  $('augmentView').hidden = !on;
  clearInterval(previewTimer);
  if (!on) return;
  const ask = (): void => { if (!training) send({ type: 'preview', choice: augmentChoice(), count: PREVIEW_DIGITS }); };
  ask();
  previewTimer = window.setInterval(ask, PREVIEW_MS);
}
$('augment').onchange = onAugmentSwitch;
$('elastic').onchange = onAugmentSwitch;
$('stop').onclick = () => { send({ type: 'stop' }); $('status').textContent = 'Stopping after this batch…'; };
$('save').onclick = () => send({ type: 'save' });
$('load').onclick = () => send({ type: 'load' });
$('download').onclick = () => send({ type: 'download' });

// ---- the drawing pad: classify while drawing, one request in flight at a time
let inFlight = false;
let pending = false;
// The pad changes as the pointer moves and answers come back later: `inked`
// counts the changes, `sentFor` is the change the request in flight classifies.
let inked = 0;
let sentFor = 0;
const onInk = (): void => {
  document.body.dataset.inked = String(++inked);
  classifyDrawing();
};
const pad = drawingPad(canvas('pad'), onInk);
$('clear').onclick = () => { pad.clear(); grayImage(canvas('seen').getContext('2d')!, new Float32Array(784), 28, 28, 0, 0, 4); };

function classifyDrawing(): void {
  const digit = toMnist(pad.gray(), pad.size);
  grayImage(canvas('seen').getContext('2d')!, digit, 28, 28, 0, 0, 4);
  if (!haveModel || training || !digit.some((v) => v > 0)) return;
  if (inFlight) { pending = true; return; }
  inFlight = true;
  sentFor = inked;
  send({ type: 'classify', pixels: digit }, [digit.buffer]);
}

// ---- what the worker says
worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'ready':
      backend = m.backend;
      $('backend').textContent = m.adapter;
      if (m.notice) $('notice').textContent = m.notice;
      document.body.dataset.ready = 'true';
      break;
    case 'progress': onProgress(m.event); break;
    case 'evaluation': {
      const ev = m.evaluation;
      $('testResult').textContent = `Test accuracy: ${(100 * ev.accuracy).toFixed(2)}% of ${ev.count.toLocaleString('en')} test digits read correctly.`;
      confusionMatrix(canvas('confusion'), ev.confusion);
      mistakeGallery($('gallery'), ev.mistakes);
      setTraining(false);
      document.body.dataset.testAccuracy = String(ev.accuracy);
      classifyDrawing();
      break;
    }
    case 'model':
      haveModel = true;
      if (m.filters) filterGrid(canvas('filters'), m.filters);
      $('storeStatus').textContent = m.description;
      break;
    case 'classified': {
      inFlight = false;
      probabilityBars(canvas('bars'), m.probabilities);
      featureMaps(canvas('maps'), m.maps);
      const best = m.probabilities.indexOf(Math.max(...m.probabilities));
      $('prediction').textContent = `It reads a ${best} (${(100 * m.probabilities[best]).toFixed(0)}% sure).`;
      document.body.dataset.prediction = String(best);
      document.body.dataset.predictionFor = String(sentFor);
      if (pending) { pending = false; classifyDrawing(); }
      break;
    }
    case 'stored': $('storeStatus').textContent = m.message; break;
    case 'download':
      for (const f of m.files) {
        const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(f.blob), download: f.name });
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      }
      break;
    case 'error':
      inFlight = false;
      if (training) { setTraining(false); $('status').textContent = `Training failed: ${m.message}`; }
      $('storeStatus').textContent = `Error: ${m.message}`;
      break;
  }
};
worker.onerror = (e) => { $('status').textContent = `The worker failed: ${e.message}`; };
