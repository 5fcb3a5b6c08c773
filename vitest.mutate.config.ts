// The tests StrykerJS runs against each mutant (npm run mutate, docs/MUTATION.md):
// the Node tests that exercise src/train, src/graph, src/model, src/io and the
// CPU reference kernels. Nothing that launches Chromium, spawns Node or reads the
// MNIST files, and not the slow fuzz and zoo tests: a mutant run must take
// well under a second. Not used by npm test.
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Stryker stops a mutant's run at its first failing test, so run first the
 * files most likely to fail fast: those that failed last time (they killed
 * the previous mutant), then the quickest. Vitest's default runs the longest first.
 */
class FailedThenQuickest extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => `${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`;
    const rank = (f: TestSpecification) => {
      const r = this.ctx.cache.getFileTestResults(key(f));
      return [r?.failed ? 0 : 1, r?.duration ?? this.ctx.cache.getFileStats(key(f))?.size ?? 0];
    };
    return [...files].sort((a, b) => {
      const [fa, da] = rank(a);
      const [fb, db] = rank(b);
      return fa - fb || da - db;
    });
  }
}

export default defineConfig({
  test: {
    environment: 'node',
    include: [
      'test/cpu/**/*.test.ts',
      'test/train/**/*.test.ts',
      'test/graph/**/*.test.ts',
      'test/io/**/*.test.ts',
      'test/layers/**/*.test.ts',
      'test/reliability/badConfig.test.ts',
      'test/reliability/badData.test.ts',
      'test/reliability/badFiles.test.ts',
      'test/reliability/nanLoss.test.ts',
      'test/reliability/tensors.test.ts',
      'test/tensor.test.ts',
      'test/profile.test.ts',
    ],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    // One module graph for all files: 5 s for the lot instead of 20 s, and a
    // mutant run reuses the imported sources (Stryker switches mutants at run time).
    isolate: false,
    sequence: { sequencer: FailedThenQuickest },
  },
});
