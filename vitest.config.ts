import { defineConfig } from 'vitest/config';

// Three projects, so a search for a behaviour finds the product's test, not a double's:
// - unit: beside each module of the packages and scripts;
// - product: what users run (the committed bundles, the CLI, the wrappers), end to end;
// - doubles: the self-tests of what stands in for Teleport, GitHub's runner and CircleCI.
const doubles = [
  'test/double/**/*.test.ts',
  'test/runner/**/*.test.ts',
  'test/circleci/interpreter.test.ts',
];

export default defineConfig({
  test: {
    // One temporary folder per run, removed at its end (test/run-tmpdir.ts).
    globalSetup: ['test/run-tmpdir.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'product', include: ['test/**/*.test.ts'], exclude: doubles },
      },
      { extends: true, test: { name: 'doubles', include: doubles } },
    ],
  },
});
