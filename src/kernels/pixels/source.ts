// What browser.fromPixels accepts, how big it is, and its checks. Raw RGBA
// bytes (ImageData, or any { data, width, height }) are wrapped in RawPixels;
// everything else is an image source the browser draws or copies.

/** RGBA bytes, 4 a pixel, row-major: ImageData's layout (works in Node). */
export interface PixelData {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** An image source the browser can draw (and WebGPU can copy with copyExternalImageToTexture). */
export type ImageSource = HTMLImageElement | HTMLCanvasElement | OffscreenCanvas | ImageBitmap | HTMLVideoElement | VideoFrame;

/** What browser.fromPixels takes. */
export type FromPixelsInput = PixelData | ImageData | ImageSource;

/**
 * Raw bytes as the kernel carries them: the same data, a short form in
 * verification reports (JSON.stringify) instead of every byte.
 */
export class RawPixels implements PixelData {
  constructor(readonly data: Uint8ClampedArray | Uint8Array, readonly width: number, readonly height: number) {}
  toJSON(): string {
    return `RGBA ${this.width}x${this.height}`;
  }
}

/** The kernel's source argument: raw bytes or an image source. */
export type PixelSource = RawPixels | ImageSource;

const OP = 'browser.fromPixels';

function isA(source: unknown, name: string): boolean {
  const ctor = (globalThis as Record<string, unknown>)[name];
  return typeof ctor === 'function' && source instanceof (ctor as abstract new (...a: never[]) => unknown);
}

/** Which image source it is, or null for none the browser knows. */
export function imageKind(source: unknown): string | null {
  for (const name of ['HTMLImageElement', 'HTMLCanvasElement', 'OffscreenCanvas', 'ImageBitmap', 'HTMLVideoElement', 'VideoFrame']) {
    if (isA(source, name)) return name;
  }
  return null;
}

function describe(source: unknown): string {
  if (source === null) return 'null';
  if (typeof source !== 'object') return typeof source;
  return (source as object).constructor?.name ?? 'object';
}

/** Turns what the user passed into the kernel's source argument; throws on anything else. */
export function pixelSource(input: unknown): PixelSource {
  if (input instanceof RawPixels) return input;
  if (imageKind(input)) return input as ImageSource;
  const p = input as Partial<PixelData> | null;
  if (p && typeof p === 'object' && (p.data instanceof Uint8ClampedArray || p.data instanceof Uint8Array) &&
    typeof p.width === 'number' && typeof p.height === 'number') {
    return new RawPixels(p.data, p.width, p.height);
  }
  throw new Error(`${OP}: expected ImageData, { data: Uint8ClampedArray | Uint8Array, width, height }, HTMLImageElement, ` +
    `HTMLCanvasElement, OffscreenCanvas, ImageBitmap, HTMLVideoElement or VideoFrame, got ${describe(input)}`);
}

/** The source's width and height in pixels (an image element's natural size, a video's frame size). */
export function pixelSize(source: PixelSource): { width: number; height: number } {
  if (source instanceof RawPixels) return { width: source.width, height: source.height };
  switch (imageKind(source)) {
    case 'HTMLImageElement': {
      const img = source as HTMLImageElement;
      return { width: img.naturalWidth, height: img.naturalHeight };
    }
    case 'HTMLVideoElement': {
      const v = source as HTMLVideoElement;
      return { width: v.videoWidth, height: v.videoHeight };
    }
    case 'VideoFrame': {
      const f = source as VideoFrame;
      return { width: f.displayWidth, height: f.displayHeight };
    }
    default: {
      const c = source as HTMLCanvasElement | OffscreenCanvas | ImageBitmap;
      return { width: c.width, height: c.height };
    }
  }
}

/** The kernel's checks: each error names browser.fromPixels. */
export function checkPixels(source: PixelSource, numChannels: number): void {
  if (!(source instanceof RawPixels) && !imageKind(source)) pixelSource(source);
  if (numChannels !== 1 && numChannels !== 3 && numChannels !== 4) {
    throw new Error(`${OP}: numChannels must be 1, 3 or 4, got ${String(numChannels)}`);
  }
  const kind = imageKind(source);
  if (kind === 'HTMLImageElement' && (source as HTMLImageElement).naturalWidth === 0) {
    throw new Error(`${OP}: the image element has not loaded yet (naturalWidth is 0); wait for its load event or await img.decode()`);
  }
  if (kind === 'HTMLVideoElement' && (source as HTMLVideoElement).readyState < 2) {
    throw new Error(`${OP}: the video element has no frame yet (readyState ${(source as HTMLVideoElement).readyState}); wait for its 'loadeddata' event`);
  }
  const { width, height } = pixelSize(source);
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`${OP}: the image is empty or its size is not a positive integer (width ${width}, height ${height})`);
  }
  if (source instanceof RawPixels && source.data.length !== width * height * 4) {
    throw new Error(`${OP}: ${width}x${height} RGBA pixels need ${width * height * 4} bytes (4 a pixel), got ${source.data.length}`);
  }
}
