// wc.loadModel: src/io reads and checks the saved model; the model classes it
// becomes are made here, since io/ sits below them and does not import them.

import { loadModelWith } from '../io/index.js';
import type { LoadSource } from '../io/types.js';
import { model, type LayersModel } from './layersModel.js';
import { sequential } from './sequential.js';

/** Reads a saved model (TensorFlow.js's layers-model format) and builds it on the selected backend. */
export function loadModel(source: LoadSource): Promise<LayersModel> {
  return loadModelWith<LayersModel>(source, {
    sequential: (layers, name) => sequential({ layers, name }),
    functional: (inputs, outputs, name) => model({ inputs, outputs, name }),
  });
}
