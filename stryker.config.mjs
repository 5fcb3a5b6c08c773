// StrykerJS mutation testing: npm run mutate (docs/MUTATION.md). Not part of
// npm test or CI. Mutates the training loop, the graph, the model classes,
// model IO and the CPU reference kernels, and runs the Node tests of
// vitest.mutate.config.ts against each mutant. Incremental: a rerun only tests
// mutants in changed code or covered by changed tests
// (reports/mutation/incremental.json).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: [
    'src/train/**/*.ts',
    'src/graph/**/*.ts',
    'src/model/**/*.ts',
    'src/io/**/*.ts',
    'src/backend/cpu/**/*.ts',
    'src/kernels/**/cpu.ts',
    'src/kernels/**/index.ts',
  ],
  // Each mutant runs only the tests that reached it in the dry run.
  coverageAnalysis: 'perTest',
  // Code that runs at import or in a beforeAll (test/reliability/badData's
  // trained model) is "static": testing it would re-import every test file,
  // about 25 s a mutant. Hybrid mutants still run against the tests that
  // reached them; those reached only at import (~70 lookup tables and
  // constants) are reported as ignored.
  ignoreStatic: true,
  // Two cores: one test runner per core.
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  reporters: ['html', 'clear-text', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  // The sandbox needs the sources, tests, shaders and configs, not the build or artifacts.
  ignorePatterns: ['dist', 'reports', 'test-artifacts', 'bench', 'demo'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
