// The demo page: controls, charts and views. All engine work happens in
// worker.ts; this file only sends commands and draws what comes back.

import type { FromWorker, ToWorker } from './protocol.js';
import type { TrainOptions } from './trainCore.js';
import { bars, confusionMatrix, grayImage, lineChart } from './canvas.js';
import { toMnist } from './preprocess.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker): void => worker.postMessage(m);
const params = new URLSearchParams(location.search);
const num = (k: string): number | undefined => (params.has(k) ? Number(params.get(k)) : undefined);

let backend: 'webgpu' | 'cpu' = 'webgpu';
const losses: number[] = [];
const accs: number[] = [];
let trained = false;

/** Shown to people, and to the end-to-end test through data attributes. */
function setStatus(text: string): void {
  $('status').textContent = text;
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'ready':
      backend = m.backend === 'cpu' ? 'cpu' : 'webgpu';
      $('backend').textContent = m.backend;
      if (m.notice) $('notice').textContent = m.notice;
      document.body.dataset.ready = 'true';
      break;
    case 'progress': {
      const ev = m.event;
      if (ev.type === 'batch') {
        losses.push(ev.loss);
        accs.push(ev.acc);
        lineChart($('lossChart'), [{ label: 'loss', color: '#c33', points: losses }]);
        lineChart($('accChart'), [{ label: 'accuracy', color: '#27a', points: accs }], 1);
        ($('progress') as HTMLProgressElement).value = (ev.batch + 1) / ev.batches;
        setStatus(`epoch ${ev.epoch + 1}, batch ${ev.batch + 1}/${ev.batches}: ${ev.imagesPerSecond.toFixed(0)} images/s, ${Math.ceil(ev.secondsLeft)} s left`);
      } else if (ev.type === 'epoch') {
        $('epochs-log').textContent += `Epoch ${ev.epoch + 1}: loss ${ev.loss.toFixed(4)}, accuracy ${(100 * ev.acc).toFixed(2)}%, ${ev.seconds.toFixed(1)} s. `;
      } else if (ev.type === 'start') {
        setStatus(`training on ${ev.adapter}: ${ev.trainCount} images, ${ev.params} parameters`);
      } else if (ev.type === 'done') {
        setStatus(`done: ${ev.imagesPerSecond.toFixed(0)} training images/s`);
      }
      break;
    }
    case 'evaluation': {
      trained = true;
      $('testResult').textContent = `Test accuracy: ${(100 * m.accuracy).toFixed(2)}% on ${m.confusion.flat().reduce((a, b) => a + b, 0)} test digits.`;
      document.body.dataset.testAccuracy = String(m.accuracy);
      confusionMatrix($('confusion'), m.confusion);
      const gallery = $('gallery');
      gallery.innerHTML = '';
      for (const mistake of m.mistakes) {
        const fig = document.createElement('figure');
        const c = document.createElement('canvas');
        c.width = c.height = 56;
        grayImage(c.getContext('2d')!, mistake.pixels, 28, 28, 0, 0, 2);
        fig.append(c, Object.assign(document.createElement('figcaption'), { textContent: `${mistake.predicted} / ${mistake.actual}` }));
        gallery.append(fig);
      }
      ($('train') as HTMLButtonElement).disabled = false;
      ($('stop') as HTMLButtonElement).disabled = true;
      classifyDrawing();
      break;
    }
    case 'filters': {
      const c = $<HTMLCanvasElement>('filters');
      const px = 6;
      c.width = m.count * (m.kw * px + 6);
      c.height = m.kh * px + 4;
      const ctx = c.getContext('2d')!;
      for (let f = 0; f < m.count; f++) grayImage(ctx, m.values.slice(f * m.kh * m.kw, (f + 1) * m.kh * m.kw), m.kh, m.kw, f * (m.kw * px + 6), 2, px);
      break;
    }
    case 'classified': {
      bars($('bars'), m.probabilities);
      document.body.dataset.prediction = String(m.probabilities.indexOf(Math.max(...m.probabilities)));
      const c = $<HTMLCanvasElement>('maps');
      const px = 3;
      const rowH = Math.max(...m.maps.map((fm) => fm.h)) * px + 22;
      c.height = rowH * m.maps.length;
      const ctx = c.getContext('2d')!;
      ctx.clearRect(0, 0, c.width, c.height);
      m.maps.forEach((fm, r) => {
        ctx.fillStyle = '#000';
        ctx.fillText(fm.layer, 0, r * rowH + 12);
        for (let ch = 0; ch < Math.min(fm.c, 32); ch++) grayImage(ctx, fm.values, fm.h, fm.w, ch * (fm.w * px + 4), r * rowH + 16, px, fm.c, ch);
      });
      break;
    }
    case 'saved': case 'loaded': case 'stopped':
      $('storeStatus').textContent = m.message;
      if (m.type === 'loaded') { trained = true; classifyDrawing(); }
      if (m.type === 'stopped') { setStatus('stopped'); ($('train') as HTMLButtonElement).disabled = false; }
      break;
    case 'download': {
      const name = 'webcnn-mnist';
      const json = { format: 'layers-model', generatedBy: 'webcnn demo', convertedBy: null, modelTopology: m.modelTopology, weightsManifest: [{ paths: [`${name}.weights.bin`], weights: m.weightSpecs }] };
      for (const [blob, file] of [[new Blob([JSON.stringify(json)], { type: 'application/json' }), `${name}.json`], [new Blob([m.weightData]), `${name}.weights.bin`]] as const) {
        const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: file });
        a.click();
      }
      break;
    }
    case 'error':
      $('storeStatus').textContent = `Error: ${m.message}`;
      setStatus(`error: ${m.message}`);
      ($('train') as HTMLButtonElement).disabled = false;
      break;
  }
};

$('train').onclick = () => {
  losses.length = 0;
  accs.length = 0;
  $('epochs-log').textContent = '';
  const options: TrainOptions = {
    model: ($('model') as HTMLSelectElement).value as TrainOptions['model'],
    epochs: Number(($('epochs') as HTMLInputElement).value),
    batchSize: Number(($('batch') as HTMLInputElement).value),
    optimizer: ($('optimizer') as HTMLSelectElement).value as TrainOptions['optimizer'],
    learningRate: Number(($('lr') as HTMLInputElement).value),
    backend: (params.get('backend') as TrainOptions['backend'] | null) ?? backend,
    // ?train=2000&test=1000 trains on subsets (the end-to-end test uses them).
    trainSize: num('train'), testSize: num('test'), seed: 1,
  };
  ($('train') as HTMLButtonElement).disabled = true;
  ($('stop') as HTMLButtonElement).disabled = false;
  send({ type: 'train', options });
};
$('stop').onclick = () => send({ type: 'stop' });
$('save').onclick = () => send({ type: 'save' });
$('load').onclick = () => send({ type: 'load' });
$('download').onclick = () => send({ type: 'download' });

// ---- drawing pad
const pad = $<HTMLCanvasElement>('pad');
const pctx = pad.getContext('2d')!;
let drawing = false;
const at = (e: MouseEvent): [number, number] => {
  const r = pad.getBoundingClientRect();
  return [((e.clientX - r.left) * pad.width) / r.width, ((e.clientY - r.top) * pad.height) / r.height];
};
pad.onmousedown = (e) => { drawing = true; pctx.beginPath(); pctx.moveTo(...at(e)); };
pad.onmousemove = (e) => {
  if (!drawing) return;
  pctx.lineTo(...at(e));
  pctx.strokeStyle = '#fff';
  pctx.lineWidth = 18;
  pctx.lineCap = pctx.lineJoin = 'round';
  pctx.stroke();
};
window.addEventListener('mouseup', () => { if (drawing) { drawing = false; classifyDrawing(); } });
$('clear').onclick = () => { pctx.clearRect(0, 0, pad.width, pad.height); };

function classifyDrawing(): void {
  const img = pctx.getImageData(0, 0, pad.width, pad.height).data;
  const gray = new Float32Array(pad.width * pad.height);
  for (let i = 0; i < gray.length; i++) gray[i] = img[i * 4] / 255;
  const digit = toMnist(gray, pad.width);
  grayImage($<HTMLCanvasElement>('seen').getContext('2d')!, digit, 28, 28, 0, 0, 4);
  if (trained && digit.some((v) => v > 0)) send({ type: 'classify', pixels: Array.from(digit) });
}
