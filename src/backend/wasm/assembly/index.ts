// The wasm kernels module: every kernel family re-exported from one entry
// (scripts/build-wasm.mjs compiles this file). Pointers are byte offsets into
// the memory JS owns; nothing here allocates.

export * from './memory';
export * from './gemm';
export * from './matmul';
export * from './conv2d';
export * from './activation';
export * from './pool2d';
export * from './loss';
export * from './optimizer';
export * from './batchNorm';
export * from './structure';
export * from './dropout';
export * from './elementwise';
export * from './convDirect';
export * from './depthwise';
export * from './layout';
export * from './image';
export * from './augment';
export * from './pixels';
export * from './mul';
export * from './reduce';
export * from './stepGuard';
export * from './lrn';
export * from './maxout';
export * from './upSampling';
export * from './locallyConnected';
