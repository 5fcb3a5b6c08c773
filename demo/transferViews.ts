// What the transfer-learning page draws besides the training chart: example
// thumbnails, the head's probabilities per class and an image's embedding.

/** A square thumbnail of an image (centre-cropped), as its own canvas. */
export function thumbnail(source: CanvasImageSource, width: number, height: number, size = 56): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = c.height = size;
  const side = Math.min(width, height);
  c.getContext('2d')!.drawImage(source, (width - side) / 2, (height - side) / 2, side, side, 0, 0, size, size);
  return c;
}

/** One horizontal bar per class, labelled with its name and percentage; the most likely in green. */
export function classBars(canvas: HTMLCanvasElement, probabilities: readonly number[], names: readonly string[]): void {
  const row = 26, labelW = 150;
  canvas.height = Math.max(row, probabilities.length * row);
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.font = '13px system-ui, sans-serif';
  const best = probabilities.indexOf(Math.max(...probabilities));
  probabilities.forEach((p, k) => {
    const y = k * row;
    ctx.fillStyle = '#000';
    ctx.fillText((names[k] ?? `class ${k + 1}`).slice(0, 22), 2, y + 17);
    ctx.fillStyle = '#eee';
    ctx.fillRect(labelW, y + 4, canvas.width - labelW - 50, row - 8);
    ctx.fillStyle = k === best ? '#2a7' : '#99b';
    ctx.fillRect(labelW, y + 4, (canvas.width - labelW - 50) * p, row - 8);
    ctx.fillStyle = '#000';
    ctx.fillText(`${(100 * p).toFixed(0)}%`, canvas.width - 44, y + 17);
  });
}

/** The embedding as a grid of gray cells, one per value (min-max scaled): what the head sees of the image. */
export function embeddingGrid(canvas: HTMLCanvasElement, values: ArrayLike<number>): void {
  const cols = 64, px = 6;
  const rows = Math.ceil(values.length / cols);
  canvas.width = cols * px;
  canvas.height = Math.max(px, rows * px);
  const ctx = canvas.getContext('2d')!;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
  const span = hi - lo || 1;
  for (let i = 0; i < values.length; i++) {
    const g = Math.round((255 * (values[i] - lo)) / span);
    ctx.fillStyle = `rgb(${g},${g},${g})`;
    ctx.fillRect((i % cols) * px, Math.floor(i / cols) * px, px, px);
  }
}
