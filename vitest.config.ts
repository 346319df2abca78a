import { defineConfig } from 'vitest/config';

// Unit tests sit beside their sources; end-to-end tests (which spawn the committed dist/
// bundles against the Teleport double) live in test/.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
