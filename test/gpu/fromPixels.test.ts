// browser.fromPixels on WebGPU in the test page: known pixels drawn on a
// canvas, an OffscreenCanvas, an ImageBitmap and a loaded image element go
// through copyExternalImageToTexture and the texture kernel; ImageData and a
// raw Uint8Array through the byte-unpacking kernel. Each must equal the same
// pixels read back with getImageData, for 1, 3 and 4 channels. Then the
// errors the page alone can raise (an image not loaded yet), toPixels onto an
// OffscreenCanvas giving the pixels back, and the texture
// and buffer paths under verification mode (the CPU replay draws the same
// source and reads it with getImageData), whose check bites.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

describe('webgpu browser.fromPixels', () => {
  it('equals getImageData for canvas, OffscreenCanvas, ImageBitmap, image element, ImageData and raw bytes', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const W = 7;
      const H = 5;
      // Opaque pixels on the canvases (a 2D canvas stores premultiplied alpha); any alpha in the byte paths.
      const opaque = new ImageData(W, H);
      const translucent = new ImageData(W, H);
      for (let i = 0; i < W * H * 4; i++) {
        const v = (i * 53 + 17) % 256;
        opaque.data[i] = i % 4 === 3 ? 255 : v;
        translucent.data[i] = v;
      }
      const canvas = document.createElement('canvas');
      canvas.width = W;
      canvas.height = H;
      canvas.getContext('2d')!.putImageData(opaque, 0, 0);
      const offscreen = new OffscreenCanvas(W, H);
      offscreen.getContext('2d')!.putImageData(opaque, 0, 0);
      const bitmap = await createImageBitmap(canvas);
      const img = new Image();
      img.src = canvas.toDataURL('image/png');
      await img.decode();
      /** What getImageData reads of a source drawn on a fresh canvas. */
      const read = (s: CanvasImageSource): number[] => {
        const c = new OffscreenCanvas(W, H).getContext('2d')!;
        c.drawImage(s, 0, 0);
        return Array.from(c.getImageData(0, 0, W, H).data);
      };
      const sources: [string, unknown, number[]][] = [
        ['canvas', canvas, Array.from(canvas.getContext('2d')!.getImageData(0, 0, W, H).data)],
        ['offscreen', offscreen, Array.from(offscreen.getContext('2d')!.getImageData(0, 0, W, H).data)],
        ['bitmap', bitmap, read(bitmap)],
        ['image', img, read(img)],
        ['imageData', translucent, Array.from(translucent.data)],
        ['raw', { data: new Uint8Array(translucent.data), width: W, height: H }, Array.from(translucent.data)],
      ];
      const results: { name: string; c: number; shape: number[]; dtype: string; backend: string; bad: number; first: string }[] = [];
      for (const [name, source, rgba] of sources) {
        for (const c of [1, 3, 4]) {
          const x = wc.browser.fromPixels(source as ImageData, c);
          const got = Array.from(await x.data());
          const want: number[] = [];
          for (let i = 0; i < W * H; i++) for (let k = 0; k < c; k++) want.push(rgba[i * 4 + k]);
          const bad = got.findIndex((v, i) => v !== want[i]);
          results.push({ name, c, shape: x.shape as number[], dtype: x.dtype, backend: x.backend.name, bad: got.length === want.length ? bad : -2,
            first: bad >= 0 ? `${bad}: ${got[bad]} vs ${want[bad]}` : '' });
          x.dispose();
        }
      }
      // toPixels of a WebGPU tensor onto an OffscreenCanvas gives the canvas's pixels back.
      const back = new OffscreenCanvas(1, 1);
      const t = wc.browser.fromPixels(canvas, 4);
      const bytes = Array.from(await wc.browser.toPixels(t, back));
      t.dispose();
      const drawn = Array.from(back.getContext('2d')!.getImageData(0, 0, W, H).data);
      const roundTrip = [back.width, back.height, bytes.join() === sources[0][2].join(), drawn.join() === sources[0][2].join()];
      const unloaded = new Image();
      let error = '';
      try { wc.browser.fromPixels(unloaded); } catch (e) { error = (e as Error).message; }
      let badChannels = '';
      try { wc.browser.fromPixels(canvas, 2); } catch (e) { badChannels = (e as Error).message; }
      return { results, error, badChannels, roundTrip, backend: engine.backend().name };
    }, null);
    expect(r.backend).toBe('webgpu');
    expect(r.results).toHaveLength(18);
    for (const x of r.results) {
      expect(x, `${x.name} ${x.c}`).toEqual({ name: x.name, c: x.c, shape: [5, 7, x.c], dtype: 'int32', backend: 'webgpu', bad: -1, first: '' });
    }
    expect(r.error).toBe('browser.fromPixels: the image element has not loaded yet (naturalWidth is 0); wait for its load event or await img.decode()');
    expect(r.roundTrip).toEqual([7, 5, true, true]);
    expect(r.badChannels).toBe('browser.fromPixels: numChannels must be 1, 3 or 4, got 2');
  });

  it('verification mode checks the texture and the byte paths against the CPU reference, and bites', async () => {
    const vp = await GpuPage.open({ verify: true });
    try {
      const r = await vp.run(async ({ wc, engine }) => {
        const be = engine.backend() as Gpu;
        const before = be.verifier?.checked ?? -1;
        const data = new ImageData(4, 3);
        for (let i = 0; i < data.data.length; i++) data.data[i] = i % 4 === 3 ? 255 : (i * 29) % 256;
        const canvas = new OffscreenCanvas(4, 3);
        canvas.getContext('2d')!.putImageData(data, 0, 0);
        const a = wc.browser.fromPixels(canvas, 4);
        const b = wc.browser.fromPixels(data, 3);
        await a.data();
        await b.data();
        a.dispose(); b.dispose();
        const checked = (be.verifier?.checked ?? -1) - before;
        be.verifier!.corruptNext = 'fromPixels';
        const c = wc.browser.fromPixels(canvas, 1);
        let message = 'no error';
        try { await c.data(); } catch (e) { message = (e as Error).message; }
        c.dispose();
        return { checked, message };
      }, null);
      expect(r.checked).toBe(2);
      expect(r.message).toMatch(/^webgpu verify: fromPixels\(\{\}, 1\) disagrees with the CPU reference: result element 0 is 12345 on the GPU, 0 on the CPU/);
    } finally {
      await vp.close();
    }
  });
});
