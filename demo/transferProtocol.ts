// Messages between the transfer-learning page (transfer.ts) and its worker
// (transferWorker.ts). Images travel as ImageBitmaps (transferred), picked
// model files as File objects (structured clones).

export interface HeadSettings { epochs: number; learningRate: number; hidden: number }

export type ToWorker =
  | { type: 'init'; backend: 'webgpu' | 'cpu' }
  /** A TF.js layers model: a URL to model.json, or model.json and its shards. */
  | { type: 'loadBase'; url: string } | { type: 'loadBaseFiles'; files: File[] }
  /** Adds one example of class `cls`; `id` names it in the answer. */
  | { type: 'add'; id: number; cls: number; image: ImageBitmap }
  /** Forgets every example (the classes changed, or the base did). */
  | { type: 'clear' }
  | { type: 'train'; classes: number; settings: HeadSettings }
  | { type: 'predict'; id: number; image: ImageBitmap }
  | { type: 'save' } | { type: 'load' } | { type: 'loadFiles'; files: File[] } | { type: 'download' };

export type FromWorker =
  | { type: 'ready'; backend: 'webgpu' | 'cpu'; adapter: string; notice?: string }
  | { type: 'base'; description: string; size: [number, number]; dim: number }
  | { type: 'added'; id: number; cls: number; examples: number }
  | { type: 'epoch'; epoch: number; epochs: number; loss: number; acc: number; seconds: number }
  | { type: 'trained'; accuracy: number; examples: number; seconds: number }
  /** The head's class probabilities for image `id`, and the image's embedding (the base's output). */
  | { type: 'prediction'; id: number; probabilities: number[]; embedding: Float32Array }
  | { type: 'head'; classes: number; description: string }
  | { type: 'stored'; message: string }
  | { type: 'download'; files: { name: string; blob: Blob }[] }
  | { type: 'error'; during: ToWorker['type']; message: string };
