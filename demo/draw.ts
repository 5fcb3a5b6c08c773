// The drawing pad: white ink on black, like MNIST, drawn with a mouse, pen or
// finger (pointer events). It reports the ink as gray levels while drawing.

export interface Pad {
  /** Row-major intensities in [0, 1], size x size. */
  gray(): Float32Array;
  readonly size: number;
  clear(): void;
}

/** onInk runs after each stroke segment and when the stroke ends. */
export function drawingPad(canvas: HTMLCanvasElement, onInk: () => void): Pad {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const size = canvas.width;
  const clear = (): void => { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, size, size); };
  clear();
  let last: [number, number] | null = null;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  // A stroke about as thick, relative to the digit, as MNIST's pen strokes.
  const stroke = (from: [number, number], to: [number, number]): void => {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = size / 14;
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath(); ctx.moveTo(...from); ctx.lineTo(...to); ctx.stroke();
  };
  canvas.style.touchAction = 'none'; // a finger draws instead of scrolling the page
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    stroke(last, last);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    stroke(last, p);
    last = p;
    onInk();
  });
  const end = (): void => { if (last) { last = null; onInk(); } };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  return {
    size,
    clear,
    gray() {
      const rgba = ctx.getImageData(0, 0, size, size).data;
      const g = new Float32Array(size * size);
      for (let i = 0; i < g.length; i++) g[i] = rgba[i * 4] / 255;
      return g;
    },
  };
}
