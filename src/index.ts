/// <reference types="@webgpu/types" preserve="true" />
// (Kept in the emitted index.d.ts: the types name GPU* types, e.g. BackendOptions.powerPreference, and
// @webgpu/types, a dependency of webcnn, declares them; consumers need no tsconfig entry.)

// webcnn's public API (see DESIGN.md): import * as wc from 'webcnn'.

import { CpuBackend } from './backend/cpu/index.js';
import { installBackend, registerBackend } from './engine.js';

// One CPU backend per process: CPU kernels label what they make with it (src/backend/cpu/storage.ts),
// so a second instance (setBackend('cpu', { verify: true }), say) would make the first one's tensors look foreign.
const cpu = new CpuBackend();
registerBackend('cpu', async () => cpu);
// Imported lazily: the WebGPU module (and its WGSL) loads only when selected, and Node never touches navigator.
registerBackend('webgpu', async (options) => {
  const [{ WebGpuBackend }, { GPU_PROGRAMS }] = await Promise.all([import('./backend/webgpu/index.js'), import('./kernels/webgpuPrograms.js')]);
  return WebGpuBackend.create(GPU_PROGRAMS, options);
});
// Imported lazily too: the kernels module is compiled on first use.
registerBackend('wasm', async (options) => {
  const [{ WasmBackend }, { KERNELS }] = await Promise.all([import('./backend/wasm/index.js'), import('./kernels/registry.js')]);
  return WasmBackend.create(Object.values(KERNELS), options);
});
// The CPU backend needs no async set-up, so it is selected until setBackend says otherwise.
installBackend(cpu, {}, true);

export { setBackend, getBackend, backendInfo, tensor } from './engine.js';
export type { TensorLike } from './tensorLike.js';
export type { BackendOptions, BackendInfo } from './engine.js';
export { profile } from './profile.js';
export type { Profile, ProfileOptions, KernelTime, ProfileTiming } from './profile.js';
export { Tensor, tidy, keep, memory } from './tensor.js';
export type { MemoryInfo, TensorContainer, DType, NestedArray } from './tensor.js';
// tensor math and autodiff in TF.js's names (src/autodiff, src/creation.ts, the kernels' ops.ts)
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, customGrad } from './autodiff/gradients.js';
export type { NamedTensorMap, CustomGradientResult, VariableLike } from './autodiff/gradients.js';
export { variable, Variable } from './autodiff/variable.js';
export {
  scalar, tensor1d, tensor2d, tensor3d, tensor4d, fill, zeros, ones, zerosLike, onesLike, range, linspace,
  randomNormal, randomUniform, truncatedNormal,
} from './creation.js';
export type { TensorOrLike } from './convert.js';
export type * from './backend/types.js';
export * as ops from './ops/index.js';
export * as data from './data/index.js';
// layer graph API and training (src/layers, src/model, src/train)
export * as layers from './layers/index.js';
export { sequential, Sequential } from './model/sequential.js';
export type { SequentialArgs } from './model/sequential.js';
export { model, LayersModel } from './model/layersModel.js';
export type { ModelArgs } from './model/layersModel.js';
export { input } from './layers/input.js';
export { Layer, LayerVariable, SymbolicTensor } from './layers/layer.js';
export type { ApplyArgs, CallArgs } from './layers/layer.js';
export * as serialization from './serialization.js';
export * as optimizers from './train/optimizers.js';
export * as train from './train/trainFactories.js';
export * as losses from './losses/index.js';
export { Reduction } from './losses/index.js';
export * as regularizers from './layers/regularizers.js';
export * as callbacks from './train/callbacks.js';
export { NonFiniteLossError } from './train/guard.js';
export * as initializers from './layers/initializers.js';
export type { CompileArgs } from './train/compile.js';
export type { LossFunction, MetricFunction } from './train/types.js';
export type { FitArgs, EvaluateArgs, PredictArgs } from './train/fit.js';
export type { FitDatasetArgs, EvaluateDatasetArgs, ValidationData } from './train/fitDataset.js';
export type { Checkpoint, CheckpointTensor } from './train/types.js';
export type { History, Logs, CustomCallbackArgs } from './train/callbacks.js';
export * as models from './models/index.js';
export { loadModel } from './model/load.js';
export { modelToArtifacts } from './io/index.js';
export * as io from './io/browserFiles.js';
export type { ModelArtifacts, WeightSpec, WeightQuantization, QuantizeDtype, SaveOptions, ModelJson, IOHandler, LoadSource, SaveTarget, ModelJsonSource } from './io/index.js';
// the math ops as chained Tensor methods (x.add(y).relu()), installed when webcnn loads
import './chain.js';
export * from './kernels/elementwise/ops.js';
export * from './kernels/layout/ops.js';
export * from './kernels/reduce/ops.js';
export * from './kernels/linalg/ops.js';
export * from './kernels/nn/ops.js';
export * from './kernels/depthwise/ops.js';
export { localResponseNormalization } from './kernels/lrn/ops.js';
export * from './kernels/decoder/ops.js';
export * as image from './image.js';

export * as browser from './browser.js';
