import type { AnyHandleKind } from './handles.js';

/**
 * The codec's per-thread state. It lives on `globalThis` under a registered symbol so that every copy of
 * this package loaded in one thread shares one registry and one buffer directory (otherwise a kind
 * registered through one copy would be unknown to the other). The copies are the ESM and the CJS build,
 * and the copy inlined in @weft/pool's worker bundle. That copy may be another version of this package,
 * so the `@1` in KEY must change whenever the shape of CodecState does.
 */
export interface CodecState {
  kindList: AnyHandleKind[];
  kindsByName: Map<string, AnyHandleKind>;
  /** prototype -> kind, or null for "not a handle" (cleared when a kind registers). */
  kindByPrototype: Map<object, AnyHandleKind | null>;
  failedPackages: Set<string>;
  /** Set by buffer-directory.ts when it first loads in this thread. */
  directory: unknown;
}

const KEY = Symbol.for('@weft/codec/state@1');

export function sharedState(): CodecState {
  const holder = globalThis as { [KEY]?: CodecState };
  let state = holder[KEY];
  if (state === undefined) {
    state = {
      kindList: [],
      kindsByName: new Map(),
      kindByPrototype: new Map(),
      failedPackages: new Set(),
      directory: undefined,
    };
    holder[KEY] = state;
  }
  return state;
}
