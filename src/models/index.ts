// wc.models: ready-made architectures, returned uncompiled. Each takes the
// input shape and class count; the rest is the architecture as published.

export type { ZooOptions } from './options.js';
export { lenet5, mnistLight, mnistStandard, smallVgg, smallResNet, alexnet, mnistAutoencoder } from './small.js';
export { vgg16, vgg19, resnet50, inceptionV3, googlenet } from './imagenet.js';
export { mobilenet, mobilenetV2, type MobileNetOptions } from './mobilenet.js';
