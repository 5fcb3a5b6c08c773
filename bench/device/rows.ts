// The rows the device runner times: the browser bench's own rows (bench/plan.ts),
// with GEMM at 1024³ and 4096³, the conv rows, training and inference of both
// MNIST models, and the first trained step; not MobileNet nor augmentation.

import { planRows, type Engine, type Row } from '../plan.js';

/** webcnn against TF.js, both on WebGPU: the only engines Dawn in Node serves. */
export const DEVICE_ENGINES: readonly Engine[] = ['webcnn-webgpu', 'tfjs-webgpu'];

export const DEVICE_GEMM_SIZES = [1024, 4096] as const;

const DEVICE_ROW = /^(gemm-\d+|conv-.*|train-(light|standard)-\d+|infer-(light|standard)-\d+|first-.*)$/;

/** The device rows, in the browser bench's order; `filter` keeps those whose id contains one of its strings. */
export function deviceRows(filter: readonly string[] = []): Row[] {
  const rows = planRows({ gemmSizes: DEVICE_GEMM_SIZES }).filter((r) => DEVICE_ROW.test(r.id));
  const wanted = filter.filter((f) => f.length > 0);
  return wanted.length === 0 ? rows : rows.filter((r) => wanted.some((w) => r.id.includes(w)));
}
