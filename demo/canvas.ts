// Small canvas drawings: line charts, grayscale images, bars, a confusion matrix.

export function lineChart(canvas: HTMLCanvasElement, series: { label: string; color: string; points: number[] }[], yMax?: number): void {
  const ctx = canvas.getContext('2d')!;
  const { width: W, height: H } = canvas;
  ctx.clearRect(0, 0, W, H);
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(0.5, 0.5, W - 1, H - 1);
  const all = series.flatMap((s) => s.points).filter(Number.isFinite);
  const top = yMax ?? Math.max(1e-6, ...all);
  series.forEach((s, k) => {
    ctx.strokeStyle = s.color;
    ctx.beginPath();
    s.points.forEach((v, i) => {
      const x = (i / Math.max(1, s.points.length - 1)) * (W - 10) + 5;
      const y = H - 5 - (Math.min(v, top) / top) * (H - 20);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
    ctx.fillStyle = s.color;
    ctx.fillText(`${s.label} ${s.points.length ? s.points[s.points.length - 1].toFixed(3) : ''}`, 8 + k * 150, 12);
  });
}

/** Values of one h x w image, min-max scaled to gray, drawn at (x, y) with the given pixel size. */
export function grayImage(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, h: number, w: number, x: number, y: number, px: number, stride = 1, offset = 0): void {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < h * w; i++) { const v = values[i * stride + offset]; lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi - lo || 1;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    const g = Math.round((255 * (values[(i * w + j) * stride + offset] - lo)) / span);
    ctx.fillStyle = `rgb(${g},${g},${g})`;
    ctx.fillRect(x + j * px, y + i * px, px, px);
  }
}

export function bars(canvas: HTMLCanvasElement, probabilities: number[]): void {
  const ctx = canvas.getContext('2d')!;
  const { width: W, height: H } = canvas;
  ctx.clearRect(0, 0, W, H);
  const best = probabilities.indexOf(Math.max(...probabilities));
  const bw = W / probabilities.length;
  probabilities.forEach((p, k) => {
    ctx.fillStyle = k === best ? '#2a7' : '#88a';
    ctx.fillRect(k * bw + 4, H - 16 - p * (H - 30), bw - 8, p * (H - 30));
    ctx.fillStyle = '#000';
    ctx.fillText(String(k), k * bw + bw / 2 - 3, H - 4);
  });
}

export function confusionMatrix(canvas: HTMLCanvasElement, m: number[][]): void {
  const ctx = canvas.getContext('2d')!;
  const cell = Math.floor(Math.min(canvas.width, canvas.height) / 11);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const max = Math.max(...m.flat());
  ctx.font = '10px sans-serif';
  for (let a = 0; a < 10; a++) {
    ctx.fillStyle = '#000';
    ctx.fillText(String(a), 2, (a + 1.6) * cell);
    ctx.fillText(String(a), (a + 1.4) * cell, cell * 0.7);
    for (let p = 0; p < 10; p++) {
      const v = m[a][p];
      const t = v / (max || 1);
      ctx.fillStyle = a === p ? `rgba(30,150,90,${0.15 + 0.85 * t})` : `rgba(200,60,60,${v ? 0.15 + 0.85 * Math.sqrt(t) : 0})`;
      ctx.fillRect((p + 1) * cell, (a + 1) * cell, cell - 1, cell - 1);
      ctx.fillStyle = '#000';
      if (v) ctx.fillText(String(v), (p + 1) * cell + 2, (a + 1.6) * cell);
    }
  }
}
