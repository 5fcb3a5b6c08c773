// What the bench measures: the rows (a task and its unit), the engines (the
// columns), which engine can run which task, and the options that pick rows.
// Pure data and functions: the Node side plans with it, the page runs tasks
// from it, and the tests check it.

/** The wasm engines run 1 thread; their '-2t' twins 2 (the page must be cross-origin isolated: bench/run.mjs serves it so). */
export const ENGINES = ['webcnn-webgpu', 'webcnn-wasm', 'webcnn-wasm-2t', 'webcnn-cpu', 'tfjs-webgpu', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-wasm-2t', 'tfjs-cpu'] as const;
export type Engine = (typeof ENGINES)[number];

export const isWebcnn = (e: Engine): boolean => e.startsWith('webcnn-');
/** The webcnn backend an engine runs on ('webcnn-wasm' -> 'wasm'; 'webcnn-wasm-2t' -> 'wasm-2t', wasm on 2 threads). */
export type WebcnnBackend = 'webgpu' | 'wasm' | 'wasm-2t' | 'cpu';
export const webcnnBackend = (e: Engine): WebcnnBackend => e.slice('webcnn-'.length) as WebcnnBackend;
/** Threads a wasm engine runs (1 for every other engine). */
export const engineThreads = (e: Engine): number => (e.endsWith('-2t') ? 2 : 1);

export type ModelName = 'light' | 'standard';

export interface ConvLayer {
  name: string;
  /** Input [n, h, w, cin]. */
  x: [number, number, number, number];
  kernel: number;
  cout: number;
  padding: 'valid' | 'same';
}

export type ConvPass = 'forward' | 'backwardInput' | 'backwardFilter';

/** A depthwise 3×3 layer of MobileNet V2 (depth multiplier 1), at a batch of images. */
export interface DepthwiseLayer {
  name: string;
  /** Input [n, h, w, c]. */
  x: [number, number, number, number];
  kernel: number;
  stride: number;
  padding: 'valid' | 'same';
}

/** MobileNet V2 (alpha 1, 224×224×3): inference, a dense head trained on a frozen base, or every layer trained. */
export type MobileNetMode = 'infer' | 'head' | 'full';

export type Task =
  | { kind: 'gemm'; n: number }
  | { kind: 'conv'; pass: ConvPass; layer: ConvLayer }
  | { kind: 'depthwise'; pass: ConvPass; layer: DepthwiseLayer }
  | { kind: 'mobilenet'; mode: MobileNetMode; batch: number }
  | { kind: 'train' | 'infer'; model: ModelName; batch: number }
  /** Training behind the augmentation layers of `npm run train -- --augment`, timed beside the same model without them. */
  | { kind: 'trainAugmented'; model: ModelName; batch: number }
  | { kind: 'firstStep'; model: ModelName; batch: number };

export type Unit = 'GFLOP/s' | 'images/s' | 's';

export interface Row {
  /** Stable id for filters and results: 'gemm-512', 'conv-vgg-backwardFilter', 'train-light-64', 'first-standard'. */
  id: string;
  label: string;
  unit: Unit;
  /** False for times (seconds to the first step): smaller is better there. */
  higherIsBetter: boolean;
  task: Task;
}

/** The standard model's first layer (valid padding), and a VGG block's layer (same padding). */
export const CONV_LAYERS: readonly ConvLayer[] = [
  { name: 'mnist', x: [32, 28, 28, 1], kernel: 3, cout: 32, padding: 'valid' },
  { name: 'vgg', x: [32, 56, 56, 64], kernel: 3, cout: 64, padding: 'same' },
];

/** MobileNet V2's block_2 depthwise layer (56×56×144, stride 1) at the fine-tuning batch. */
export const DEPTHWISE_LAYER: DepthwiseLayer = { name: 'mbv2-block2', x: [8, 56, 56, 144], kernel: 3, stride: 1, padding: 'same' };

/** The input and classes of the MobileNet rows: ImageNet's 224×224×3; the fine-tuned head has 10 classes. */
export const MOBILENET_SHAPE = [224, 224, 3] as const;
export const HEAD_CLASSES = 10;

const PASS_LABEL: Record<ConvPass, string> = { forward: 'forward', backwardInput: 'backward-input', backwardFilter: 'backward-filter' };

/** Output size of a conv layer as TF.js computes it ('same': ceil(in / stride); 'valid': in - k + 1 at stride 1). */
export function convOut(l: ConvLayer): [number, number, number, number] {
  const [n, h, w] = l.x;
  const o = (d: number) => (l.padding === 'same' ? d : d - l.kernel + 1);
  return [n, o(h), o(w), l.cout];
}

/** Output size of a depthwise layer as TF.js computes it ('same': ceil(in / stride); 'valid': ceil((in - k + 1) / stride)). */
export function depthwiseOut(l: DepthwiseLayer): [number, number, number, number] {
  const [n, h, w, c] = l.x;
  const o = (d: number) => Math.ceil((l.padding === 'same' ? d : d - l.kernel + 1) / l.stride);
  return [n, o(h), o(w), c];
}

/**
 * FLOPs of one call: 2·m·n·k for a GEMM; 2·N·OH·OW·KH·KW·Cin·Cout for each conv pass, 2·N·OH·OW·KH·KW·C
 * for each depthwise pass (one multiply and one add per term).
 */
export function flops(task: Task): number {
  if (task.kind === 'gemm') return 2 * task.n ** 3;
  if (task.kind === 'conv') {
    const [n, oh, ow, cout] = convOut(task.layer);
    return 2 * n * oh * ow * task.layer.kernel * task.layer.kernel * task.layer.x[3] * cout;
  }
  if (task.kind === 'depthwise') {
    const [n, oh, ow, c] = depthwiseOut(task.layer);
    return 2 * n * oh * ow * task.layer.kernel * task.layer.kernel * c;
  }
  return 0;
}

export interface PlanOptions {
  /** A fast smoke run: the smallest row of each kind. */
  quick?: boolean;
  /** Run 2048³ GEMM too (a real GPU: the adapter is not a fallback one). */
  bigGemm?: boolean;
  /** The GEMM sizes, in place of 256³, 512³, 1024³ (and 2048³ with bigGemm). */
  gemmSizes?: readonly number[];
  /** Keep rows whose id contains one of these (all rows when empty). */
  rows?: readonly string[];
}

function conv(layer: ConvLayer, pass: ConvPass): Row {
  const [n, h, w, c] = layer.x;
  return {
    id: `conv-${layer.name}-${pass}`,
    label: `conv ${h}×${w}×${c}→${layer.cout} ${layer.kernel}×${layer.kernel} ${layer.padding}, batch ${n}: ${PASS_LABEL[pass]}`,
    unit: 'GFLOP/s', higherIsBetter: true, task: { kind: 'conv', pass, layer },
  };
}

function depthwise(layer: DepthwiseLayer, pass: ConvPass): Row {
  const [n, h, w, c] = layer.x;
  return {
    id: `depthwise-${pass}`,
    label: `depthwise ${h}×${w}×${c} ${layer.kernel}×${layer.kernel} stride ${layer.stride} ${layer.padding}, batch ${n}: ${PASS_LABEL[pass]}`,
    unit: 'GFLOP/s', higherIsBetter: true, task: { kind: 'depthwise', pass, layer },
  };
}

const MOBILENET_LABEL: Record<MobileNetMode, string> = {
  infer: 'MobileNetV2 224 inference', head: 'MobileNetV2 224 head-only fine-tuning (frozen base)', full: 'MobileNetV2 224 full fine-tuning',
};

/** MobileNet V2 rows (issue 19): inference at batch 1 and 8, head-only and full fine-tuning at batch 8, the depthwise passes. */
function mobilenetRows(): Row[] {
  const runs: [MobileNetMode, number][] = [['infer', 1], ['infer', 8], ['head', 8], ['full', 8]];
  return [
    ...runs.map(([mode, batch]): Row => ({
      id: `mobilenet-${mode}-${batch}`, label: `${MOBILENET_LABEL[mode]}, batch ${batch}`, unit: 'images/s', higherIsBetter: true, task: { kind: 'mobilenet', mode, batch },
    })),
    ...(['forward', 'backwardInput', 'backwardFilter'] as const).map((p) => depthwise(DEPTHWISE_LAYER, p)),
  ];
}

export function planRows(o: PlanOptions = {}): Row[] {
  const sizes = o.gemmSizes ?? (o.quick ? [256] : [256, 512, 1024, ...(o.bigGemm ? [2048] : [])]);
  const layers = o.quick ? CONV_LAYERS.slice(0, 1) : CONV_LAYERS;
  const models: ModelName[] = o.quick ? ['light'] : ['light', 'standard'];
  const batches = o.quick ? [64] : [64, 256];
  const rows: Row[] = [
    ...sizes.map((n): Row => ({ id: `gemm-${n}`, label: `GEMM ${n}³`, unit: 'GFLOP/s', higherIsBetter: true, task: { kind: 'gemm', n } })),
    ...layers.flatMap((l) => (['forward', 'backwardInput', 'backwardFilter'] as const).map((p) => conv(l, p))),
    ...models.flatMap((model) => batches.map((batch): Row => ({
      id: `train-${model}-${batch}`, label: `train ${model}, batch ${batch}`, unit: 'images/s', higherIsBetter: true, task: { kind: 'train', model, batch },
    }))),
    ...models.flatMap((model) => batches.map((batch): Row => ({
      id: `infer-${model}-${batch}`, label: `inference ${model}, batch ${batch}`, unit: 'images/s', higherIsBetter: true, task: { kind: 'infer', model, batch },
    }))),
    ...(o.quick ? [] : [{
      id: 'train-standard-augmented-64', label: 'train standard with augmentation (rotation, translation, zoom), batch 64', unit: 'images/s', higherIsBetter: true,
      task: { kind: 'trainAugmented', model: 'standard', batch: 64 },
    } satisfies Row]),
    ...models.map((model): Row => ({
      id: `first-${model}`, label: `first trained step ${model}, batch 64`, unit: 's', higherIsBetter: false, task: { kind: 'firstStep', model, batch: 64 },
    })),
    ...(o.quick ? [] : mobilenetRows()),
  ];
  const wanted = (o.rows ?? []).filter((r) => r.length > 0);
  return wanted.length === 0 ? rows : rows.filter((r) => wanted.some((w) => r.id.includes(w)));
}

/** Why an engine cannot run a task (shown in its cell), or null when it can. */
export function unsupported(engine: Engine, task: Task): string | null {
  if (task.kind === 'trainAugmented' && !isWebcnn(engine)) return 'TF.js 4.22 has no RandomRotation, RandomTranslation or RandomZoom layer';
  if (engine !== 'tfjs-wasm' && engine !== 'tfjs-wasm-2t') return null;
  // TF.js's wasm backend registers no Conv2DBackpropFilter kernel, so it cannot train a conv net.
  if (task.kind === 'conv' && task.pass === 'backwardFilter') return 'tfjs-wasm has no Conv2DBackpropFilter kernel';
  if (task.kind === 'train' || task.kind === 'firstStep') return 'tfjs-wasm cannot train conv nets (no Conv2DBackpropFilter kernel)';
  if (task.kind === 'depthwise' && task.pass !== 'forward') return `tfjs-wasm has no DepthwiseConv2dNativeBackprop${task.pass === 'backwardInput' ? 'Input' : 'Filter'} kernel`;
  if (task.kind === 'mobilenet' && task.mode === 'full') return 'tfjs-wasm cannot train conv nets (no Conv2DBackpropFilter kernel)';
  return null;
}
