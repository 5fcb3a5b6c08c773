// What the WebGPU backend needs of the kernels' programs besides running them
// (src/kernels/webgpuPrograms.ts provides it, src/index.ts hands it over), so
// the backend imports no kernel: every pipeline, the GEMM's variants, timings.

import type { GpuContext } from './context.js';
import type { ConvPass, GemmConfig, GemmShape } from './kernelTuner.js';
import type { PipelineSpec } from './pipelines.js';
import type { WindowGeometry } from '../../kernels/geometry.js';

export interface GpuPrograms {
  /** Every pipeline of every kernel that does not depend on the device (prepareAll compiles them). */
  readonly all: readonly PipelineSpec[];
  /** The direct conv kernels whose lanes share gathers (devices with 4-lane subgroups). */
  readonly sharedConv: readonly PipelineSpec[];
  /** The naive GEMM, the tests' oracle. */
  readonly naiveGemm: readonly PipelineSpec[];
  /** The blocked GEMM's pipelines for one workgroup shape on this device. */
  gemm(ctx: GpuContext, cfg: GemmConfig): PipelineSpec[];
  /** Whether that shape's lanes share their loads of A on this device. */
  gemmSharesLoads(ctx: GpuContext, cfg: GemmConfig): boolean;
  /** The pipelines the tuner times for one GEMM shape, with a bias where the model adds one (the ones it will run). */
  gemmCandidates(ctx: GpuContext, shape: GemmShape, bias: boolean): PipelineSpec[];
  /** Milliseconds per run of one GEMM or conv variant (the tuner's measure). */
  timeGemm(ctx: GpuContext, shape: GemmShape, variant: string, bias: boolean): Promise<number>;
  timeConv2d(ctx: GpuContext, g: WindowGeometry, cout: number, variant: string, pass: ConvPass): Promise<number>;
}
