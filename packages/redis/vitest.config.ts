import { mergeConfig } from 'vitest/config';
import { weftTest } from '../../vitest.base.ts';

// Task fixtures are loaded by Node itself, not transformed by Vite: a worker imports the same module
// by URL and must find the very functions the test passed (the pool matches exports by identity).
export default mergeConfig(weftTest, {
  test: { server: { deps: { external: [/\/test\/fixtures\/.*\.mjs$/, /\/packages\/[^/]+\/dist\//] } } },
});
