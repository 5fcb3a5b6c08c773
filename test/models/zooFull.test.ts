// The full-size zoo (untrained): parameter counts as Keras's applications
// report them, key layers' output shapes as Keras's summary() shows them, and
// a save/load round trip (in memory, through the TF.js format) that keeps the
// count and the weights. VGG16/VGG19 each allocate over 550 MB of weights: they
// are counted and shaped here, and their round trip is left to the smaller
// models (see each test's note).

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';

type Model = wc.LayersModel;
const shapeOf = (m: Model, name: string) => m.getLayer(name).inboundNodes[0].output.shape;

/** save (modelToArtifacts) then loadModel: the same count, topology and a weight that is equal bit for bit. */
async function roundTrip(m: Model, weight: number): Promise<void> {
  const back = await wc.loadModel(await wc.modelToArtifacts(m));
  try {
    expect(back.countParams()).toBe(m.countParams());
    expect(back.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
    const a = m.getWeights()[weight];
    const b = back.getWeights()[weight];
    expect(b.shape).toEqual(a.shape);
    expect(Buffer.from((await b.data()).buffer).equals(Buffer.from((await a.data()).buffer))).toBe(true);
  } finally {
    back.dispose();
  }
}

describe('full-size zoo', () => {
  it('vgg16: 138,357,544 parameters (Keras), block shapes as Keras summary()', () => {
    const m = wc.models.vgg16();
    try {
      expect(m.countParams()).toBe(138_357_544);
      expect(shapeOf(m, 'block1_conv2')).toEqual([null, 224, 224, 64]);
      expect(shapeOf(m, 'block3_pool')).toEqual([null, 28, 28, 256]);
      expect(shapeOf(m, 'block5_pool')).toEqual([null, 7, 7, 512]);
      expect(shapeOf(m, 'flatten')).toEqual([null, 25088]);
      expect(shapeOf(m, 'predictions')).toEqual([null, 1000]);
      expect(m.layers.length).toBe(23);
    } finally {
      m.dispose();
    }
  }, 120_000);

  it('vgg19: 143,667,240 parameters, 16 convs', () => {
    const m = wc.models.vgg19();
    try {
      expect(m.countParams()).toBe(143_667_240);
      expect(m.layers.filter((l) => l.className === 'Conv2D').length).toBe(16);
      expect(shapeOf(m, 'block5_conv4')).toEqual([null, 14, 14, 512]);
    } finally {
      m.dispose();
    }
  }, 120_000);

  it('resnet50: 25,636,712 parameters (53,120 moving statistics), stage shapes as Keras, and a round trip', async () => {
    const m = wc.models.resnet50();
    try {
      expect(m.countParams()).toBe(25_636_712);
      const movingStats = m.layers.filter((l) => l.className === 'BatchNormalization')
        .reduce((s, l) => s + 2 * (l.inboundNodes[0].output.shape[3] as number), 0);
      expect(movingStats).toBe(53_120);
      expect(shapeOf(m, 'conv1_pad')).toEqual([null, 230, 230, 3]);
      expect(shapeOf(m, 'conv1_conv')).toEqual([null, 112, 112, 64]);
      expect(shapeOf(m, 'pool1_pool')).toEqual([null, 56, 56, 64]);
      expect(shapeOf(m, 'conv2_block3_out')).toEqual([null, 56, 56, 256]);
      expect(shapeOf(m, 'conv3_block4_out')).toEqual([null, 28, 28, 512]);
      expect(shapeOf(m, 'conv4_block6_out')).toEqual([null, 14, 14, 1024]);
      expect(shapeOf(m, 'conv5_block3_out')).toEqual([null, 7, 7, 2048]);
      expect(shapeOf(m, 'avg_pool')).toEqual([null, 2048]);
      expect(m.layers.length).toBe(177);   // Keras's ResNet50 has 177 layers with its input layer
      await roundTrip(m, 0);
    } finally {
      m.dispose();
    }
  }, 120_000);

  it('inceptionV3: 23,851,784 parameters at 299x299x3, mixed shapes as Keras, and a round trip', async () => {
    const m = wc.models.inceptionV3();
    try {
      expect(m.countParams()).toBe(23_851_784);
      expect(shapeOf(m, 'mixed0')).toEqual([null, 35, 35, 256]);
      expect(shapeOf(m, 'mixed2')).toEqual([null, 35, 35, 288]);
      expect(shapeOf(m, 'mixed3')).toEqual([null, 17, 17, 768]);
      expect(shapeOf(m, 'mixed7')).toEqual([null, 17, 17, 768]);
      expect(shapeOf(m, 'mixed8')).toEqual([null, 8, 8, 1280]);
      expect(shapeOf(m, 'mixed9_1')).toEqual([null, 8, 8, 768]);
      expect(shapeOf(m, 'mixed10')).toEqual([null, 8, 8, 2048]);
      expect(m.layers.length).toBe(313);   // as Keras's InceptionV3 (its input layer included)
      await roundTrip(m, 5);
    } finally {
      m.dispose();
    }
  }, 120_000);

  it('googlenet: 6,998,552 parameters (derived in its doc comment), inception shapes, and a round trip', async () => {
    const m = wc.models.googlenet();
    try {
      expect(m.countParams()).toBe(6_998_552);
      expect(shapeOf(m, 'conv1_7x7')).toEqual([null, 112, 112, 64]);
      expect(shapeOf(m, 'pool2')).toEqual([null, 28, 28, 192]);
      expect(shapeOf(m, 'inception_3a')).toEqual([null, 28, 28, 256]);
      expect(shapeOf(m, 'inception_3b')).toEqual([null, 28, 28, 480]);
      expect(shapeOf(m, 'inception_4a')).toEqual([null, 14, 14, 512]);
      expect(shapeOf(m, 'inception_4e')).toEqual([null, 14, 14, 832]);
      expect(shapeOf(m, 'inception_5b')).toEqual([null, 7, 7, 1024]);
      expect(shapeOf(m, 'predictions')).toEqual([null, 1000]);
      await roundTrip(m, 2);
    } finally {
      m.dispose();
    }
  }, 120_000);

  it('each takes inputShape and numClasses', () => {
    const m = wc.models.resnet50({ inputShape: [64, 64, 3], numClasses: 7 });
    try {
      expect(m.outputs[0].shape).toEqual([null, 7]);
      expect(shapeOf(m, 'conv5_block3_out')).toEqual([null, 2, 2, 2048]);
    } finally {
      m.dispose();
    }
  }, 60_000);
});
