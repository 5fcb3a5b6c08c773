// wc.io.browserFiles: a model from File objects (model.json and its weight
// files, as an <input type="file" multiple> gives them), in shards, with the
// manifest's folders ignored; and its refusals.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';

async function smallModel(): Promise<{ m: wc.LayersModel; artifacts: wc.ModelArtifacts }> {
  const m = wc.sequential();
  m.add(wc.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }));
  m.add(wc.layers.dense({ units: 2, activation: 'softmax' }));
  return { m, artifacts: await wc.modelToArtifacts(m) };
}

function modelJson(a: wc.ModelArtifacts, paths: string[]): string {
  return JSON.stringify({ format: 'layers-model', generatedBy: 'test', convertedBy: null, modelTopology: a.modelTopology, weightsManifest: [{ paths, weights: a.weightSpecs }] });
}

describe('io.browserFiles', () => {
  it('loads model.json and its weight shards from files, in any order, and predicts the same', async () => {
    const { m, artifacts } = await smallModel();
    const bytes = artifacts.weightData;
    expect(bytes.byteLength).toBe((3 * 4 + 4 + 4 * 2 + 2) * 4);
    const cut = 40;
    const files = [
      new File([bytes.slice(cut)], 'w2.bin'),
      new File([modelJson(artifacts, ['./shards/w1.bin', 'w2.bin'])], 'my-model.json'),
      new File([bytes.slice(0, cut)], 'w1.bin'),
    ];
    const loaded = await wc.loadModel(wc.io.browserFiles(files));
    const x = wc.tensor([[0.5, -1, 2], [3, 0.25, -0.5]]);
    expect(await (loaded.predict(x) as wc.Tensor).data()).toEqual(await (m.predict(x) as wc.Tensor).data());
    const w = await loaded.layers[0].getWeights()[0].data();
    expect(Array.from(w)).toEqual(Array.from(new Float32Array(bytes, 0, 12)));
  });

  it('refuses a missing weight file, two JSON files, wrong sizes and an empty list, naming the files', async () => {
    const { artifacts } = await smallModel();
    const json = new File([modelJson(artifacts, ['w.bin'])], 'model.json');
    const bin = new File([artifacts.weightData], 'w.bin');
    await expect(wc.loadModel(wc.io.browserFiles([json]))).rejects.toThrow(/io\.browserFiles: model\.json names weight file\(s\) w\.bin that are not among the files given/);
    await expect(wc.loadModel(wc.io.browserFiles([json, bin, new File(['{}'], 'labels.json')]))).rejects.toThrow(/exactly one \.json file .* got model\.json, labels\.json/);
    await expect(wc.loadModel(wc.io.browserFiles([json, new File([artifacts.weightData.slice(4)], 'w.bin')]))).rejects.toThrow(/hold 100 bytes but the manifest's 4 weights need 104/);
    expect(() => wc.io.browserFiles([])).toThrow(/non-empty list of files/);
  });
});
