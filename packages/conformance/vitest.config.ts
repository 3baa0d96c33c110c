import { defineConfig, mergeConfig } from 'vitest/config';
import { weftTest } from '../../vitest.base.ts';

// Each test's own watchdog (src/run-scenario.ts) bounds it; vitest's timeout is the outer guard.
export default mergeConfig(
  weftTest,
  defineConfig({
    test: {
      // Two files side by side: the tests mostly wait, but more at once on 2 cores makes their timing
      // (a Barrier’s 2 s default timeout, CPython’s) the machine’s, not weft’s.
      maxWorkers: 2,
      reporters: ['default', 'json'],
      outputFile: { json: '.results/vitest.json' },
    },
  }),
);
