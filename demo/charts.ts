// Line charts on a plain canvas: loss and accuracy per batch and per epoch.
// No chart library: a frame, a few y ticks, one polyline per series, a legend.

export interface Series {
  label: string;
  color: string;
  points: readonly number[];
}

export interface ChartOptions {
  /** Fixed y range (accuracy: 0..1); otherwise 0..the largest point. */
  yMax?: number;
  /** How many x positions the axis has (so a chart fills up as training runs); default: the longest series. */
  xSlots?: number;
  /** Each point sits in the middle of its own slot (epochs) instead of on a continuous axis (batches). */
  discrete?: boolean;
  /** The axis name, written at the bottom right. */
  xLabel: string;
}

const PAD = { left: 38, right: 8, top: 18, bottom: 18 };

export function lineChart(canvas: HTMLCanvasElement, series: readonly Series[], o: ChartOptions): void {
  const ctx = canvas.getContext('2d')!;
  const { width: W, height: H } = canvas;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const finite = series.flatMap((s) => s.points).filter(Number.isFinite);
  const top = o.yMax ?? niceCeil(Math.max(1e-3, ...finite));
  const slots = Math.max(1, o.xSlots ?? Math.max(0, ...series.map((s) => s.points.length)));
  const xAt = (i: number): number => PAD.left + plotW * (o.discrete ? (i + 0.5) / slots : i / Math.max(1, slots - 1));
  const yAt = (v: number): number => PAD.top + plotH - (Math.min(Math.max(v, 0), top) / top) * plotH;

  ctx.clearRect(0, 0, W, H);
  ctx.font = '10px system-ui, sans-serif';
  // Frame and y ticks at 0, half and top.
  ctx.strokeStyle = '#ddd';
  ctx.fillStyle = '#666';
  for (const f of [0, 0.5, 1]) {
    const y = yAt(f * top);
    ctx.beginPath(); ctx.moveTo(PAD.left, y + 0.5); ctx.lineTo(W - PAD.right, y + 0.5); ctx.stroke();
    ctx.fillText(formatTick(f * top), 2, y + 3);
  }
  ctx.fillText(o.xLabel, W - PAD.right - ctx.measureText(o.xLabel).width, H - 4);
  // Discrete slots are counted from 1 (epoch 1, 2, ...); label them while they fit.
  if (o.discrete && slots <= 30) for (let i = 0; i < slots; i++) ctx.fillText(String(i + 1), xAt(i) - 3, H - 4);

  let legendX = PAD.left;
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.points.forEach((v, i) => (i === 0 ? ctx.moveTo(xAt(i), yAt(v)) : ctx.lineTo(xAt(i), yAt(v))));
    ctx.stroke();
    // Few points (per-epoch charts): dots make single values visible.
    if (s.points.length <= 50) for (const [i, v] of s.points.entries()) ctx.fillRect(xAt(i) - 2, yAt(v) - 2, 4, 4);
    if (!s.label) continue; // a faint raw series behind its smoothed one needs no legend
    const last = s.points.at(-1);
    const text = `${s.label}${last === undefined ? '' : ` ${last.toFixed(3)}`}`;
    ctx.fillText(text, legendX, 11);
    legendX += ctx.measureText(text).width + 14;
  }
  ctx.lineWidth = 1;
}

/** A round number just above v (1, 2 or 5 times a power of ten) for the y axis. */
function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

function formatTick(v: number): string {
  return v === 0 ? '0' : v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2);
}

/** Moving average over the last `window` points: per-batch values are noisy. */
export function smooth(points: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    sum += points[i];
    if (i >= window) sum -= points[i - window];
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}
