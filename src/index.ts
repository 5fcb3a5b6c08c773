// webcnn's public API (see DESIGN.md): import * as wc from 'webcnn'.

import { CpuBackend } from './backend/cpu/index.js';
import { installBackend, registerBackend } from './engine.js';

registerBackend('cpu', async () => new CpuBackend());
// The CPU backend needs no async set-up, so it is selected until setBackend says otherwise.
installBackend(new CpuBackend(), {}, true);

export { setBackend, getBackend, tensor } from './engine.js';
export type { BackendOptions } from './engine.js';
export { Tensor, tidy, keep, memory } from './tensor.js';
export type { MemoryInfo, TensorContainer } from './tensor.js';
export type * from './backend/types.js';
export * as ops from './ops/index.js';
export * as data from './data/index.js';
