// models.alexnet with local response normalization after conv1 and conv2 (the
// paper's), and the variant without it ({ lrn: false }): both counted.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';

describe('models.alexnet and LRN', () => {
  it('with LRN (the default): conv -> LRN -> pool twice, the paper\'s constants; 62,378,344 parameters', () => {
    const m = wc.models.alexnet();
    expect(m.countParams()).toBe(62_378_344);
    const names = m.layers.map((l) => l.className);
    expect(names.slice(0, 7)).toEqual(['Conv2D', 'LocalResponseNormalization', 'MaxPooling2D', 'Conv2D', 'LocalResponseNormalization', 'MaxPooling2D', 'Conv2D']);
    expect(names.filter((n) => n === 'LocalResponseNormalization')).toHaveLength(2);
    expect(names).toHaveLength(16);
    expect(m.layers[1].getConfig()).toMatchObject({ depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 });
    expect(m.outputs[0].shape).toEqual([null, 1000]);
    m.dispose();
  });

  it('{ lrn: false }: the same layers without LRN, also 62,378,344 parameters (LRN has none)', () => {
    const m = wc.models.alexnet({ lrn: false });
    expect(m.countParams()).toBe(62_378_344);
    expect(m.layers.map((l) => l.className)).not.toContain('LocalResponseNormalization');
    expect(m.layers).toHaveLength(14);
    m.dispose();
  });
});
