// WGSL blocks several shaders share live once in shaders/lib/. A shader asks
// for one with a comment line, `//! include lib/<name>.wgsl` (a comment to WGSL,
// so each file reads as it is); the block replaces that line when
// the pipeline's module is made, never on a call.

import activationGrad from '../../../shaders/lib/activationGrad.wgsl?raw';
import augmentSample from '../../../shaders/lib/augmentSample.wgsl?raw';
import chunkSum from '../../../shaders/lib/chunkSum.wgsl?raw';
import fusedActivation from '../../../shaders/lib/fusedActivation.wgsl?raw';
import gemmTile from '../../../shaders/lib/gemmTile.wgsl?raw';
import firstMax from '../../../shaders/lib/firstMax.wgsl?raw';
import invocation from '../../../shaders/lib/invocation.wgsl?raw';
import reduceLayout from '../../../shaders/lib/reduceLayout.wgsl?raw';
import special from '../../../shaders/lib/special.wgsl?raw';
import tableIndex from '../../../shaders/lib/tableIndex.wgsl?raw';
import window from '../../../shaders/lib/window.wgsl?raw';
import winogradFilter from '../../../shaders/lib/winogradFilter.wgsl?raw';
import winogradInput from '../../../shaders/lib/winogradInput.wgsl?raw';

const LIBRARY: Readonly<Record<string, string>> = {
  'lib/activationGrad.wgsl': activationGrad,
  'lib/augmentSample.wgsl': augmentSample,
  'lib/chunkSum.wgsl': chunkSum,
  'lib/firstMax.wgsl': firstMax,
  'lib/fusedActivation.wgsl': fusedActivation,
  'lib/gemmTile.wgsl': gemmTile,
  'lib/invocation.wgsl': invocation,
  'lib/reduceLayout.wgsl': reduceLayout,
  'lib/special.wgsl': special,
  'lib/tableIndex.wgsl': tableIndex,
  'lib/window.wgsl': window,
  'lib/winogradFilter.wgsl': winogradFilter,
  'lib/winogradInput.wgsl': winogradInput,
};

const INCLUDE = /^\/\/! include (lib\/[A-Za-z0-9]+\.wgsl)[ \t]*$/gm;

export function withLibrary(shader: string, code: string): string {
  return code.replace(INCLUDE, (_, file: string) => {
    const block = LIBRARY[file];
    if (block === undefined) throw new Error(`webgpu backend: ${shader}.wgsl includes ${file}, which shaders/lib does not have`);
    return block;
  });
}
