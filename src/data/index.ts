export { loadMnist, shuffledIndices, MNIST_FILES } from './mnist.js';
export type { LoadMnistOptions, MnistData, MnistSplit, MnistSource, MnistFile } from './mnist.js';
export { parseIdx } from './idx.js';
export { Dataset, DataIterator, array, generator, zip } from './dataset.js';
export type { DataResult, DatasetContainer } from './dataset.js';
export type { DataElement } from './element.js';
export { imageFolder, ImageFolderDataset } from './imageFolder.js';
export type { ImageFolderOptions, ImageElement } from './imageFolder.js';
