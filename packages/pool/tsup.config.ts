import { defineConfig } from 'tsup';
import { weftOptions } from '../../tsup.base.ts';

export default defineConfig([
  weftOptions(['src/index.ts']),
  // The worker bundle is loaded by path in every new worker, where its start-up time is the pool's. It is
  // CommonJS (see src/entries.ts) with the shim inlined: one file loads sooner than packages resolved
  // through their `exports` maps. The codec stays a package, loaded on first need (see src/worker.ts) in
  // the caller's format.
  weftOptions(['src/worker.ts'], { format: ['cjs'], dts: false, noExternal: ['@weft/atomics-sync-shim'] }),
]);
