// What the page shows besides charts: grayscale images, probability bars, the
// confusion matrix, the gallery of mistakes, first-layer filters, feature maps.

import type { FeatureMap, Filters, MistakeImage } from './protocol.js';

/** One h x w image, min-max scaled to gray, drawn at (x, y) with px-sized pixels.
 *  Channel `c` of `channels` picks one map out of interleaved NHWC values. */
export function grayImage(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, h: number, w: number,
  x: number, y: number, px: number, channels = 1, c = 0): void {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < h * w; i++) { const v = values[i * channels + c]; lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi - lo || 1;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    const g = Math.round((255 * (values[(i * w + j) * channels + c] - lo)) / span);
    ctx.fillStyle = `rgb(${g},${g},${g})`;
    ctx.fillRect(x + j * px, y + i * px, px, px);
  }
}

export function probabilityBars(canvas: HTMLCanvasElement, probabilities: readonly number[]): void {
  const ctx = canvas.getContext('2d')!;
  const { width: W, height: H } = canvas;
  ctx.clearRect(0, 0, W, H);
  ctx.font = '12px system-ui, sans-serif';
  const best = probabilities.indexOf(Math.max(...probabilities));
  const bw = W / probabilities.length;
  probabilities.forEach((p, k) => {
    const h = p * (H - 34);
    ctx.fillStyle = k === best ? '#2a7' : '#99b';
    ctx.fillRect(k * bw + 4, H - 18 - h, bw - 8, h);
    ctx.fillStyle = '#000';
    ctx.fillText(String(k), k * bw + bw / 2 - 3, H - 4);
    if (p >= 0.01) ctx.fillText(`${Math.round(100 * p)}%`, k * bw + 4, H - 22 - h);
  });
}

/** Rows: the true digit; columns: the prediction. Green diagonal, red mistakes. */
export function confusionMatrix(canvas: HTMLCanvasElement, m: readonly (readonly number[])[]): void {
  const ctx = canvas.getContext('2d')!;
  const cell = Math.floor(Math.min(canvas.width, canvas.height) / 11);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const maxOff = Math.max(1, ...m.flatMap((row, a) => row.filter((_, p) => p !== a)));
  const maxDiag = Math.max(1, ...m.map((row, a) => row[a]));
  ctx.font = '10px system-ui, sans-serif';
  for (let a = 0; a < 10; a++) {
    ctx.fillStyle = '#000';
    ctx.fillText(String(a), 4, (a + 1.6) * cell);
    ctx.fillText(String(a), (a + 1.4) * cell, cell * 0.7);
    for (let p = 0; p < 10; p++) {
      const v = m[a][p];
      // Mistakes are scaled on their own: next to ~1,000 correct ones they would all look empty.
      ctx.fillStyle = a === p ? `rgba(30,150,90,${0.2 + 0.8 * (v / maxDiag)})` : v ? `rgba(210,50,50,${0.15 + 0.85 * (v / maxOff)})` : '#f6f6f6';
      ctx.fillRect((p + 1) * cell, (a + 1) * cell, cell - 1, cell - 1);
      ctx.fillStyle = '#000';
      if (v) ctx.fillText(String(v), (p + 1) * cell + 2, (a + 1.6) * cell);
    }
  }
}

export function mistakeGallery(container: HTMLElement, mistakes: readonly MistakeImage[]): void {
  container.replaceChildren(...mistakes.map((m) => {
    const fig = document.createElement('figure');
    const c = document.createElement('canvas');
    c.width = c.height = 56;
    grayImage(c.getContext('2d')!, m.pixels, 28, 28, 0, 0, 2);
    const caption = document.createElement('figcaption');
    caption.textContent = `${m.predicted} (is ${m.actual})`;
    fig.append(c, caption);
    return fig;
  }));
}

/** The first conv layer's kernels, one small image each (input channel 0: MNIST is gray). */
export function filterGrid(canvas: HTMLCanvasElement, f: Filters): void {
  const px = 8, gap = 6;
  canvas.width = Math.max(1, f.count * (f.kw * px + gap));
  canvas.height = f.kh * px + 4;
  const ctx = canvas.getContext('2d')!;
  for (let k = 0; k < f.count; k++) grayImage(ctx, f.values, f.kh, f.kw, k * (f.kw * px + gap), 2, px, f.count, k);
}

/** One block per layer: its name, then each channel as a small gray image, wrapped to the canvas width. */
export function featureMaps(canvas: HTMLCanvasElement, maps: readonly FeatureMap[]): void {
  const width = 1040, gap = 4, label = 16;
  // Small maps (after pooling) get bigger pixels so they stay readable.
  const blocks = maps.map((m) => {
    const px = m.h <= 6 ? 6 : m.h <= 14 ? 4 : 3;
    const perRow = Math.max(1, Math.floor(width / (m.w * px + gap)));
    return { m, px, perRow, rows: Math.ceil(m.c / perRow) };
  });
  canvas.width = width;
  canvas.height = Math.max(1, blocks.reduce((s, b) => s + label + b.rows * (b.m.h * b.px + gap), 0));
  const ctx = canvas.getContext('2d')!;
  ctx.font = '12px system-ui, sans-serif';
  let y = 0;
  for (const { m, px, perRow } of blocks) {
    ctx.fillStyle = '#000';
    ctx.fillText(`${m.layer}: ${m.h}×${m.w}×${m.c}`, 0, y + 12);
    y += label;
    for (let ch = 0; ch < m.c; ch++) {
      const col = ch % perRow, row = Math.floor(ch / perRow);
      grayImage(ctx, m.values, m.h, m.w, col * (m.w * px + gap), y + row * (m.h * px + gap), px, m.c, ch);
    }
    y += Math.ceil(m.c / perRow) * (m.h * px + gap);
  }
}

/** Augmented training digits in rows of `perRow`, each 28x28 at `px` pixels a pixel. */
export function digitGrid(canvas: HTMLCanvasElement, digits: Float32Array, count: number, perRow = 8, px = 2): void {
  const side = 28 * px + 4;
  canvas.width = perRow * side;
  canvas.height = Math.ceil(count / perRow) * side;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < count; i++) {
    grayImage(ctx, digits.subarray(i * 784, (i + 1) * 784), 28, 28, (i % perRow) * side + 2, Math.floor(i / perRow) * side + 2, px);
  }
}
