import { defineConfig } from 'vitest/config';

// One config for the viewer build (root: viewer/) and for vitest.
export default defineConfig({
  root: 'viewer',
  build: { outDir: '../dist/viewer', emptyOutDir: true },
  test: {
    root: '.',
    include: ['engine/**/*.test.ts', 'bench/**/*.test.ts', 'viewer/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
