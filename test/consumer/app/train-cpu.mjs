// The consumer's Node script: webcnn from the installed package, CPU backend,
// the same tiny task as src/tiny.ts. Prints one JSON line.

import * as wc from 'webcnn';

const SIZE = 8;
const n = 2 * SIZE;
const x = new Float32Array(n * SIZE * SIZE);
const y = new Float32Array(n * 2);
for (let i = 0; i < n; i++) {
  const vertical = i >= SIZE ? 1 : 0;
  for (let k = 0; k < SIZE; k++) x[i * SIZE * SIZE + (vertical ? k * SIZE + (i % SIZE) : (i % SIZE) * SIZE + k)] = 1;
  y[i * 2 + vertical] = 1;
}

await wc.setBackend('cpu');
const model = wc.sequential({ layers: [
  wc.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: wc.initializers.glorotUniform({ seed: 7 }) }),
  wc.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
  wc.layers.flatten(),
  wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 11 }) }),
] });
model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const xs = wc.tensor(x, [n, SIZE, SIZE, 1]);
const ys = wc.tensor(y, [n, 2]);
const history = await model.fit(xs, ys, { batchSize: 8, epochs: 12, shuffle: false });
const prediction = /** @type {wc.Tensor} */ (model.predict(xs)); // one input, one output
const predictions = Array.from(await prediction.data());
const [loss, accuracy] = await model.evaluate(xs, ys);
// Chained methods are installed on Tensor's prototype when webcnn loads: a bundler must keep that.
const chained = Array.from(await wc.tensor([1, 2, 3]).add(wc.tensor([10, 20, 30])).mul(2).data());
console.log(JSON.stringify({
  backend: wc.getBackend(), chained, losses: history.history.loss, predictionShape: prediction.shape, predictions, loss, accuracy,
}));
