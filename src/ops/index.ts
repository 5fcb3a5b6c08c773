export * from './geometry.js';
export * from './activation.js';
export * from './normalization.js';
export * from './loss.js';
export * from './optimizer.js';
export * from './conv.js';
export * from './pool.js';
export * from './structure.js';
