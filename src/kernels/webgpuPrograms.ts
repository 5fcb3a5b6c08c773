// The kernels' WebGPU programs as the backend sees them beyond run(): every
// pipeline, the GEMM's variants and the tuner's timings (backend/webgpu/programs.ts).

import type { GpuPrograms } from '../backend/webgpu/programs.js';
import { PIPELINES } from './registry.js';
import { naivePipelines, gemmPipelines, gemmCandidatePipelines, sharesLoads, timeGemm } from './matmul/webgpu.js';
import { sharedPipelines, timeConv2d } from './conv2d/webgpu.js';

export const GPU_PROGRAMS: GpuPrograms = {
  all: PIPELINES,
  sharedConv: sharedPipelines,
  naiveGemm: naivePipelines,
  gemm: gemmPipelines,
  gemmSharesLoads: sharesLoads,
  gemmCandidates: gemmCandidatePipelines,
  timeGemm,
  timeConv2d,
};
