import { defineConfig, mergeConfig } from 'vitest/config';
import { weftTest } from '../../vitest.base.ts';

/**
 * Each test runs one example as a child process (which starts workers of its own), so at most two
 * test files run at once: the machine has 2 cores and CI runs everything on them.
 */
export default mergeConfig(weftTest, defineConfig({ test: { maxWorkers: 2, testTimeout: 120_000 } }));
