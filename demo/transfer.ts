// The transfer-learning page: classes and their examples, the webcam, the
// training chart, predictions and the head's storage. Engine work happens in
// transferWorker.ts. The body's data-* attributes (ready, baseDim, embedded,
// trained, predicted, headClasses) let the end-to-end test follow along.

import type { FromWorker, ToWorker } from './transferProtocol.js';
import { lineChart } from './charts.js';
import { classBars, embeddingGrid, thumbnail } from './transferViews.js';

const TEACHABLE_MACHINE_MOBILENET = 'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json';
const LABELS_KEY = 'webcnn-transfer-head-labels';
const LABELS_FILE = 'webcnn-transfer-head.labels.json';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const data = document.body.dataset;

const worker = new Worker(new URL('./transferWorker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(m, { transfer });
send({ type: 'init', backend: params.get('backend') === 'cpu' ? 'cpu' : 'webgpu' });
$<HTMLInputElement>('baseUrl').value = params.get('base') ?? TEACHABLE_MACHINE_MOBILENET;

// ---- classes and their examples (kept here as bitmaps, so a new base can embed them again)
interface ClassBox { nameInput: HTMLInputElement; thumbs: HTMLElement; count: HTMLElement; examples: ImageBitmap[] }
const classes: ClassBox[] = [];
let nextId = 0;
let embedded = 0;
let baseLoaded = false;
let webcamOn = false;
const names = (): string[] => classes.map((c, k) => c.nameInput.value.trim() || `class ${k + 1}`);

function examplesStatus(): void {
  const total = classes.reduce((s, c) => s + c.examples.length, 0);
  $('examplesStatus').textContent = `${total} example(s), ${embedded} embedded${baseLoaded ? '' : ' (waiting for the base)'}.`;
  data.embedded = String(embedded);
}

function sendExample(cls: number, image: ImageBitmap): void {
  // a copy travels (transferred, so detached here); the original stays for a later base
  void createImageBitmap(image).then((copy) => send({ type: 'add', id: nextId++, cls, image: copy }, [copy]));
}

function addExample(cls: number, image: ImageBitmap): void {
  const box = classes[cls];
  box.examples.push(image);
  box.thumbs.append(thumbnail(image, image.width, image.height));
  box.count.textContent = `${box.examples.length} example(s)`;
  if (baseLoaded) sendExample(cls, image);
  examplesStatus();
}

async function addFiles(cls: number, files: Iterable<File>): Promise<void> {
  for (const f of files) {
    if (!f.type.startsWith('image/')) continue;
    try {
      addExample(cls, await createImageBitmap(f));
    } catch {
      $('examplesStatus').textContent = `${f.name} is not an image this browser can read.`;
    }
  }
}

/** A drop target for image files. */
function droppable(el: HTMLElement, onFiles: (files: File[]) => void): void {
  el.addEventListener('dragover', (e) => { e.preventDefault(); el.classList.add('drag'); });
  el.addEventListener('dragleave', () => el.classList.remove('drag'));
  el.addEventListener('drop', (e) => {
    e.preventDefault();
    el.classList.remove('drag');
    onFiles([...(e.dataTransfer?.files ?? [])]);
  });
}

function addClass(name = ''): void {
  const cls = classes.length;
  const card = Object.assign(document.createElement('div'), { className: 'class' });
  const nameInput = Object.assign(document.createElement('input'), { className: 'name', value: name || `class ${cls + 1}`, title: 'the class name' });
  const files = Object.assign(document.createElement('input'), { type: 'file', multiple: true, accept: 'image/*', className: 'classFiles' });
  const webcamButton = Object.assign(document.createElement('button'), { textContent: 'Add a webcam frame', className: 'classWebcam', disabled: !webcamOn });
  const count = Object.assign(document.createElement('span'), { className: 'count', textContent: '0 examples' });
  const thumbs = Object.assign(document.createElement('div'), { className: 'thumbs' });
  const pick = document.createElement('label');
  pick.append(' images ', files);
  card.append(nameInput, pick, ' ', webcamButton, ' ', count, thumbs);
  $('classes').append(card);
  classes.push({ nameInput, thumbs, count, examples: [] });
  files.onchange = () => { void addFiles(cls, [...(files.files ?? [])]); files.value = ''; };
  webcamButton.onclick = () => { void grabFrame().then((frame) => { if (frame) addExample(cls, frame); }); };
  droppable(card, (f) => void addFiles(cls, f));
  examplesStatus();
}
addClass('class 1');
addClass('class 2');
$('addClass').onclick = () => addClass();

// ---- the base
$('loadBase').onclick = () => {
  $('baseStatus').textContent = 'Loading the base…';
  send({ type: 'loadBase', url: $<HTMLInputElement>('baseUrl').value.trim() });
};
$<HTMLInputElement>('baseFiles').onchange = () => {
  const files = [...($<HTMLInputElement>('baseFiles').files ?? [])];
  if (!files.length) return;
  $('baseStatus').textContent = 'Loading the base from the picked files…';
  send({ type: 'loadBaseFiles', files });
};

// ---- the webcam: only on request, and a refusal or its absence is said plainly
const video = $<HTMLVideoElement>('webcam');
$('webcamStart').onclick = async () => {
  const status = $('webcamStatus');
  if (!navigator.mediaDevices?.getUserMedia) {
    status.textContent = 'This page cannot use a webcam here (it needs a browser with camera access, on https or localhost). Pick or drop image files instead.';
    return;
  }
  status.textContent = 'Asking for the webcam…';
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false });
    await video.play();
    webcamOn = true;
    video.classList.add('on');
    for (const b of document.querySelectorAll<HTMLButtonElement>('.classWebcam')) b.disabled = false;
    $<HTMLButtonElement>('webcamStart').disabled = true;
    status.textContent = 'Webcam on: add frames to a class; once a head is trained, its picture is labelled live.';
    requestAnimationFrame(liveLoop);
  } catch (err) {
    const e = err as Error;
    status.textContent = `No webcam (${e.name}: ${e.message}). Pick or drop image files instead.`;
  }
};

async function grabFrame(): Promise<ImageBitmap | null> {
  if (!webcamOn || video.readyState < 2) return null;
  return createImageBitmap(video);
}

// ---- training
const history = { loss: [] as number[], acc: [] as number[] };
let epochs = 1;
let training = false;
function drawChart(): void {
  lineChart($<HTMLCanvasElement>('lossChart'), [
    { label: 'loss', color: '#cc3333', points: history.loss }, { label: 'accuracy', color: '#2277aa', points: history.acc },
  ], { xSlots: epochs, xLabel: 'epoch' });
}
$('train').onclick = () => {
  const num = (id: string, fallback: number): number => { const v = Number($<HTMLInputElement>(id).value); return Number.isFinite(v) ? v : fallback; };
  epochs = Math.max(1, Math.round(num('epochs', 40)));
  history.loss.length = history.acc.length = 0;
  delete data.trained;
  training = true;
  $<HTMLButtonElement>('train').disabled = true;
  $('trainStatus').textContent = 'Training the head…';
  send({ type: 'train', classes: classes.length, settings: { epochs, learningRate: num('lr', 0.003), hidden: Math.max(0, Math.round(num('hidden', 64))) } });
};
function trainingEnded(): void {
  training = false;
  $<HTMLButtonElement>('train').disabled = false;
}

// ---- predictions: picked or dropped images, and the webcam
let headClasses = 0;
let predicted = 0;
const waiting = new Map<number, HTMLElement>();
const LIVE = -1;
let liveInFlight = false;

async function predictFiles(files: Iterable<File>): Promise<void> {
  for (const f of files) {
    if (!f.type.startsWith('image/')) continue;
    const image = await createImageBitmap(f);
    const fig = document.createElement('figure');
    fig.dataset.file = f.name;
    const caption = Object.assign(document.createElement('figcaption'), { textContent: '…' });
    fig.append(thumbnail(image, image.width, image.height, 72), caption);
    $('predictions').append(fig);
    const id = nextId++;
    waiting.set(id, fig);
    send({ type: 'predict', id, image }, [image]);
  }
}
$<HTMLInputElement>('predictFiles').onchange = () => {
  const input = $<HTMLInputElement>('predictFiles');
  void predictFiles([...(input.files ?? [])]);
  input.value = '';
};
droppable($('predictDrop'), (f) => void predictFiles(f));

function liveLoop(): void {
  if (!webcamOn) return;
  if (headClasses && !liveInFlight && !training) {
    void grabFrame().then((frame) => {
      if (!frame) return;
      liveInFlight = true;
      send({ type: 'predict', id: LIVE, image: frame }, [frame]);
    });
  }
  requestAnimationFrame(liveLoop);
}

function showPrediction(id: number, probabilities: number[], embedding: Float32Array): void {
  const label = names();
  const best = probabilities.indexOf(Math.max(...probabilities));
  const text = `${label[best] ?? `class ${best + 1}`} (${(100 * probabilities[best]).toFixed(0)}%)`;
  classBars($<HTMLCanvasElement>('bars'), probabilities, label);
  embeddingGrid($<HTMLCanvasElement>('embedding'), embedding);
  $('prediction').textContent = `${id === LIVE ? 'The webcam shows' : 'It is'}: ${text}`;
  if (id === LIVE) { liveInFlight = false; return; }
  const fig = waiting.get(id);
  waiting.delete(id);
  if (fig) {
    fig.dataset.label = String(best);
    fig.querySelector('figcaption')!.textContent = text;
  }
  data.predicted = String(++predicted);
}

// ---- keeping the head; the class names travel beside it
function applyLabels(labels: unknown, count: number): void {
  const list = Array.isArray(labels) ? labels.map(String) : [];
  while (classes.length < count) addClass();
  list.slice(0, count).forEach((n, k) => { classes[k].nameInput.value = n; });
}
$('save').onclick = () => {
  localStorage.setItem(LABELS_KEY, JSON.stringify(names().slice(0, headClasses || classes.length)));
  send({ type: 'save' });
};
$('load').onclick = () => send({ type: 'load' });
$('download').onclick = () => send({ type: 'download' });
let pendingLabels: unknown = null;
$<HTMLInputElement>('headFiles').onchange = async () => {
  const input = $<HTMLInputElement>('headFiles');
  const files = [...(input.files ?? [])];
  input.value = '';
  const labelsFile = files.find((f) => f.name.endsWith('.labels.json'));
  pendingLabels = labelsFile ? JSON.parse(await labelsFile.text()) : null;
  send({ type: 'loadFiles', files: files.filter((f) => f !== labelsFile) });
};
let loadingFromStore = false;
$('load').addEventListener('click', () => { loadingFromStore = true; });

function downloadAll(files: { name: string; blob: Blob }[]): void {
  const labels = new Blob([JSON.stringify(names().slice(0, headClasses))], { type: 'application/json' });
  for (const f of [...files, { name: LABELS_FILE, blob: labels }]) {
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(f.blob), download: f.name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }
}

// ---- what the worker says
worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'ready':
      $('backend').textContent = m.adapter;
      if (m.notice) $('notice').textContent = m.notice;
      data.ready = 'true';
      if ($<HTMLInputElement>('baseUrl').value) $('loadBase').click();
      break;
    case 'base':
      baseLoaded = true;
      $('baseStatus').textContent = `Loaded ${m.description}.`;
      data.baseDim = String(m.dim);
      embedded = 0;
      // the new base embeds every example again
      classes.forEach((c, k) => c.examples.forEach((image) => sendExample(k, image)));
      examplesStatus();
      break;
    case 'added':
      embedded++;
      examplesStatus();
      break;
    case 'epoch':
      history.loss.push(m.loss);
      history.acc.push(m.acc);
      $<HTMLProgressElement>('progress').value = (m.epoch + 1) / m.epochs;
      $('trainStatus').textContent = `Epoch ${m.epoch + 1} of ${m.epochs} (${m.seconds.toFixed(1)} s): loss ${m.loss.toFixed(3)}, accuracy ${(100 * m.acc).toFixed(0)}%`;
      if (m.epoch === 0) data.firstEpochSeconds = m.seconds.toFixed(1);
      drawChart();
      break;
    case 'trained':
      trainingEnded();
      headClasses = classes.length;
      $('trainStatus').textContent = `Trained on ${m.examples} examples in ${m.seconds.toFixed(1)} s: ${(100 * m.accuracy).toFixed(0)}% of them right in the last epoch.`;
      data.trained = String(m.accuracy);
      data.headClasses = String(headClasses);
      break;
    case 'prediction': showPrediction(m.id, m.probabilities, m.embedding); break;
    case 'head':
      headClasses = m.classes;
      if (loadingFromStore) applyLabels(JSON.parse(localStorage.getItem(LABELS_KEY) ?? 'null'), m.classes);
      else applyLabels(pendingLabels, m.classes);
      loadingFromStore = false;
      pendingLabels = null;
      $('storeStatus').textContent = m.description;
      data.headClasses = String(headClasses);
      break;
    case 'stored': $('storeStatus').textContent = m.message; break;
    case 'download': downloadAll(m.files); break;
    case 'error': {
      const where = m.during === 'loadBase' || m.during === 'loadBaseFiles' ? 'baseStatus'
        : m.during === 'train' ? 'trainStatus' : m.during === 'add' || m.during === 'predict' ? 'examplesStatus' : 'storeStatus';
      if (m.during === 'train') trainingEnded();
      if (m.during === 'predict') liveInFlight = false;
      if (m.during === 'load' || m.during === 'loadFiles') loadingFromStore = false;
      $(where).textContent = `Error: ${m.message}`;
      break;
    }
  }
};
worker.onerror = (e) => { $('notice').textContent = `The worker failed: ${e.message}`; };
