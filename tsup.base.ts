import { defineConfig, type Options } from 'tsup';

/**
 * The build every weft package shares: ESM + CJS + .d.ts, for Node 20.
 * `entry` may list worker entry files besides `src/index.ts`: Node loads those by path at run time,
 * so they must be emitted as files of their own next to the index.
 */
export function weftBuild(entry: string[] = ['src/index.ts'], extra: Options = {}) {
  return defineConfig(weftOptions(entry, extra));
}

/** The same options, for a package whose config lists several builds (see packages/pool). */
export function weftOptions(entry: string[] = ['src/index.ts'], extra: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: false, // concurrent package builds must never see an empty dist/
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    shims: true,
    splitting: false,
    treeshake: true,
    ...extra,
  };
}
