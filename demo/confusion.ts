// Scoring a test set from the model's class probabilities: accuracy, mean
// cross-entropy, the confusion matrix and a few misclassified digits. Pure
// math with no DOM, so the headless command in Node uses it too.

export interface Mistake { index: number; predicted: number; actual: number }

export interface TestScore {
  count: number;
  accuracy: number;
  /** Mean categorical cross-entropy, the loss the model trained on. */
  loss: number;
  /** confusion[actual][predicted]: how many test digits went where. */
  confusion: number[][];
  /** The first misclassified digits, in test-set order. */
  mistakes: Mistake[];
}

/** probs: [count, classes] row-major; labels: class indices. */
export function scoreTest(probs: Float32Array, labels: ArrayLike<number>, classes = 10, keepMistakes = 32): TestScore {
  const count = labels.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const mistakes: Mistake[] = [];
  let right = 0;
  let lossSum = 0;
  for (let i = 0; i < count; i++) {
    const row = probs.subarray(i * classes, (i + 1) * classes);
    let best = 0;
    for (let k = 1; k < classes; k++) if (row[k] > row[best]) best = k;
    const actual = labels[i];
    confusion[actual][best]++;
    // Clipped as Keras clips: a confident wrong answer costs a lot, not infinity.
    lossSum -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, row[actual])));
    if (best === actual) right++;
    else if (mistakes.length < keepMistakes) mistakes.push({ index: i, predicted: best, actual });
  }
  return { count, accuracy: right / count, loss: lossSum / count, confusion, mistakes };
}
