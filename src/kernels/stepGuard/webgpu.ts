// The training step's non-finite guard on the device. Shader: stepGuard.wgsl.

import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import guardCode from '../../../shaders/stepGuard.wgsl?raw';

/** n: elements summed (1 for the loss check); batch: the index kept with a bad loss; weight: the sums' factor. */
const guardUniforms = { n: 'u32', batch: 'u32', weight: 'f32' } as const;
const guardSpec = (stage: 0 | 1): PipelineSpec<typeof guardUniforms> =>
  ({ name: 'stepGuard', code: guardCode, uniforms: guardUniforms, constants: { STAGE: stage } });

export const pipelines: readonly PipelineSpec[] = [guardSpec(0), guardSpec(1)];

export function lossGuard(ctx: GpuContext, loss: Tensor, guard: Tensor, batch: number): void {
  // the sums binding is unused in this stage: the guard stands in for it
  ctx.run1d(guardSpec(0), { n: 1, batch, weight: 0 }, [buf(loss), ctx.scheduler.empty, buf(guard)], 1);
}

export function guardedAccumulate(ctx: GpuContext, sums: Tensor, value: Tensor, weight: number, guard: Tensor | null = null): void {
  ctx.run1d(guardSpec(1), { n: sums.size, batch: 0, weight }, [buf(value), buf(sums), guardBinding(ctx, guard)], sums.size);
}

/**
 * What a guarded update binds for its guard: the guard's buffer, or when
 * unguarded a zero buffer of its own (not the scheduler's empty one, which an
 * update may bind writable in the same dispatch).
 */
export function guardBinding(ctx: GpuContext, guard: Tensor | null): GPUBuffer {
  return guard ? buf(guard) : ctx.constant('step guard never set', () => new Float32Array(4));
}
