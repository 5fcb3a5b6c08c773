// Element-wise and per-channel kernels written once over an element type T, put
// behind one of two fixed files: elementF32.wgsl (T = f32, a float per
// invocation) or elementVec4.wgsl (T = vec4f, 4 neighbouring channels per
// invocation, where the last axis is a multiple of 4). Each invocation has a
// fixed cost, large on a software adapter, so 4 floats each cost far less per float.
// Sizes reach such a kernel in T's: its element and channel counts divided by LANES.

import type { PipelineSpec } from '../backend/webgpu/pipelines.js';
import type { Uniforms } from '../backend/webgpu/uniforms.js';
import f32Code from '../../shaders/elementF32.wgsl?raw';
import vec4Code from '../../shaders/elementVec4.wgsl?raw';

/** Floats per invocation: 4 where the last axis (c) is a multiple of 4. */
export type Lanes = 1 | 4;
export const lanesFor = (c: number): Lanes => (c > 0 && c % 4 === 0 ? 4 : 1);

/** The kernel `spec` (its code written over T) behind the element file for `lanes`; the vec4 variant is named <name>Vec4. */
export function laned<U extends Uniforms>(spec: PipelineSpec<U>, lanes: Lanes): PipelineSpec<U> {
  return { ...spec, name: lanes === 4 ? `${spec.name}Vec4` : spec.name, code: `${lanes === 4 ? vec4Code : f32Code}\n${spec.code}` };
}

/** Both variants of each spec, for a family's pipeline list. */
export const bothLanes = <U extends Uniforms>(specs: readonly PipelineSpec<U>[]): PipelineSpec<U>[] =>
  specs.flatMap((s) => [laned(s, 1), laned(s, 4)]);
