import { defineConfig } from 'vitest/config';

/** Tests run in forked processes so that Atomics.wait on the test's main thread is allowed. */
export const weftTest = defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['test/**/*.test.ts'],
    reporters: ['default'],
  },
});
