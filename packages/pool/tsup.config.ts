import { defineConfig } from 'tsup';
import { weftOptions } from '../../tsup.base.ts';

export default defineConfig([
  weftOptions(['src/index.ts']),
  // The worker bundles are loaded by path in every new worker, where their start-up time is the pool's:
  // one file with the shim and the codec inlined loads several ms sooner than three packages resolved
  // through their `exports` maps. The inlined codec keeps its registry and buffer directory on
  // globalThis, shared with the codec copy that task modules import (see codec/src/shared-state.ts).
  weftOptions(['src/worker.ts'], { dts: false, noExternal: ['@weft/codec', '@weft/atomics-sync-shim'] }),
]);
