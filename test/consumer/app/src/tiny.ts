// A tiny CNN on a made-up task a conv layer solves at once: 8x8 images with
// one bright horizontal (class 0) or vertical (class 1) bar. The same code
// as train-cpu.mjs, in TypeScript, so `tsc --noEmit` checks the package's types.

import * as wc from 'webcnn';

export interface TinyResult {
  backend: wc.BackendName;
  description: string;
  adapter: { vendor: string; architecture: string } | null;
  losses: number[];
  predictionShape: number[];
  predictions: number[];
  accuracy: number;
}

const SIZE = 8;

/** 2 * SIZE images: a bar at each row (class 0) and at each column (class 1); one-hot labels. */
function bars(): { xs: wc.Tensor; ys: wc.Tensor; labels: number[] } {
  const n = 2 * SIZE;
  const x = new Float32Array(n * SIZE * SIZE);
  const y = new Float32Array(n * 2);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const vertical = i >= SIZE ? 1 : 0;
    const at = i % SIZE;
    for (let k = 0; k < SIZE; k++) {
      const [r, c] = vertical ? [k, at] : [at, k];
      x[i * SIZE * SIZE + r * SIZE + c] = 1;
    }
    y[i * 2 + vertical] = 1;
    labels.push(vertical);
  }
  return { xs: wc.tensor(x, [n, SIZE, SIZE, 1]), ys: wc.tensor(y, [n, 2]), labels };
}

export async function trainTiny(backend: wc.BackendName): Promise<TinyResult> {
  await wc.setBackend(backend);
  const { xs, ys, labels } = bars();
  const model = wc.sequential({ layers: [
    wc.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: wc.initializers.glorotUniform({ seed: 7 }) }),
    wc.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    wc.layers.flatten(),
    wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 11 }) }),
  ] });
  model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(xs, ys, { batchSize: 8, epochs: 12, shuffle: false });
  const prediction = model.predict(xs) as wc.Tensor;
  const predictions = Array.from(await prediction.data());
  let correct = 0;
  labels.forEach((label, i) => { if ((predictions[2 * i + 1] > predictions[2 * i] ? 1 : 0) === label) correct++; });
  const info = wc.backendInfo();
  const result: TinyResult = {
    backend: info.name,
    description: info.description,
    adapter: info.adapter ? { vendor: info.adapter.vendor, architecture: info.adapter.architecture } : null,
    losses: history.history.loss,
    predictionShape: [...prediction.shape],
    predictions,
    accuracy: correct / labels.length,
  };
  for (const t of [xs, ys, prediction]) t.dispose();
  return result;
}
