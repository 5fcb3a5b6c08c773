export { loadMnist, shuffledIndices, MNIST_FILES } from './mnist.js';
export type { LoadMnistOptions, MnistData, MnistSplit, MnistSource, MnistFile } from './mnist.js';
export { parseIdx } from './idx.js';
