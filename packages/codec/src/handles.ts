import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DecodeError } from './errors.js';
import { sharedState } from './shared-state.js';

/**
 * A kind of weft object that crosses threads by reference: an instance of `type` (or of a subclass)
 * encodes as its kind `name` plus the state `toHandle` returns, and decodes through `fromHandle` to an
 * object over the same memory.
 *
 * @typeParam T - the class of the objects.
 * @typeParam S - the state: numbers, strings, booleans, null, SharedArrayBuffers, and arrays or plain
 *   objects of those; other weft objects (registered kinds) may appear inside.
 */
export interface HandleKind<T extends object, S> {
  /** Unique, `'<package>#<Class>'`, e.g. `'@weft/lock#Lock'`: a thread that does not know the kind yet loads `<package>`. */
  readonly name: string;
  /** Instances of this class (and of its subclasses) encode as handles of this kind. */
  readonly type: abstract new (
    ...args: never[]
  ) => T;
  /** Returns what another thread needs to rebuild `value` over the same memory. */
  toHandle(value: T): S;
  /** Rebuilds the object in this thread from the state `toHandle` gave. */
  fromHandle(state: S): T;
  /**
   * Whether bytes from the network (`decodeStrict`) may hold this kind (default false). Claim it only
   * when the state is plain data (no SharedArrayBuffer) and `fromHandle` validates it and builds an
   * object from it, nothing else: no code made from strings, no import, no memory of this process, no
   * I/O until the object is used.
   */
  readonly dataOnly?: boolean;
}

// The registry deals in kinds of any T and S; the public signature keeps them typed for the caller.
// biome-ignore lint/suspicious/noExplicitAny: erased on purpose, see above
export type AnyHandleKind = HandleKind<object, any>;

/**
 * Registers a kind of handle. Call it when the module that defines the class loads, so that every thread
 * that imports the class can also decode it.
 *
 * Registering the same kind object again does nothing. Registering another kind under a name already
 * taken adds its class to the encoder (its instances encode under that name) but decoding keeps using
 * the first one: that happens when one package is loaded twice (its ESM and its CJS build).
 *
 * @throws TypeError if the kind lacks a name, a class, `toHandle` or `fromHandle`.
 */
export function registerHandleKind<T extends object, S>(kind: HandleKind<T, S>): void {
  if (
    typeof kind !== 'object' ||
    kind === null ||
    typeof kind.name !== 'string' ||
    kind.name === '' ||
    typeof kind.type !== 'function' ||
    typeof kind.toHandle !== 'function' ||
    typeof kind.fromHandle !== 'function'
  ) {
    throw new TypeError('registerHandleKind needs { name, type, toHandle, fromHandle }');
  }
  const state = sharedState();
  const erased = kind as unknown as AnyHandleKind;
  if (state.kindList.includes(erased)) return;
  state.kindList.push(erased);
  if (!state.kindsByName.has(kind.name)) state.kindsByName.set(kind.name, erased);
  // A new kind may claim prototypes that were cached as "no kind".
  state.kindByPrototype.clear();
}

/** Returns whether a kind of this name is registered in this thread. */
export function isHandleKindRegistered(name: string): boolean {
  return sharedState().kindsByName.has(name);
}

/**
 * The kind registered in this thread under `name` if it is `dataOnly`, else undefined: what strict
 * decoding accepts. Never imports anything.
 */
export function strictKindNamed(name: string): AnyHandleKind | undefined {
  const kind = sharedState().kindsByName.get(name);
  return kind?.dataOnly === true ? kind : undefined;
}

/** The kind whose class `value` is an instance of, or undefined. Cached per prototype. */
export function kindOfPrototype(value: object, prototype: object): AnyHandleKind | undefined {
  const state = sharedState();
  const cached = state.kindByPrototype.get(prototype);
  if (cached !== undefined) return cached ?? undefined;
  let found: AnyHandleKind | null = null;
  for (const kind of state.kindList) {
    if (value instanceof kind.type) {
      found = kind;
      break;
    }
  }
  state.kindByPrototype.set(prototype, found);
  return found ?? undefined;
}

/**
 * The kind registered under `name`; if none, loads the package named before '#' synchronously (its module
 * registers its kinds) and looks again.
 *
 * @throws DecodeError naming the kind and the import to add, if no module registers it (or `importPackage`
 *   is false and the kind is not registered yet).
 */
export function kindNamed(name: string, importPackage = true): AnyHandleKind {
  const state = sharedState();
  const known = state.kindsByName.get(name);
  if (known !== undefined) return known;
  const hash = name.indexOf('#');
  const packageName = hash > 0 ? name.slice(0, hash) : '';
  let loadError: unknown;
  if (!importPackage) {
    throw new DecodeError(
      `unknown handle kind "${name}": importing its package is off for these bytes (importKinds: false); ` +
        `import ${packageName === '' ? 'the module that registers it' : `'${packageName}'`} in this thread first`,
    );
  }
  if (packageName !== '' && !state.failedPackages.has(packageName)) {
    try {
      loadPackage(packageName);
    } catch (error) {
      loadError = error;
      state.failedPackages.add(packageName);
    }
    const loaded = state.kindsByName.get(name);
    if (loaded !== undefined) return loaded;
  }
  const advice =
    packageName === ''
      ? 'import the module that registers it in this thread before decoding'
      : `add \`import '${packageName}'\` to the code this thread runs (loading it here ${
          loadError === undefined ? 'did not register the kind' : `failed: ${describe(loadError)}`
        })`;
  throw new DecodeError(`unknown handle kind "${name}": ${advice}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/**
 * Loads a package synchronously. In the ESM build the package's ESM entry is required (Node >= 20.19
 * loads ES modules with require and shares them with `import`), so the classes it registers are the
 * very classes the program imports; the CJS build requires the CJS entry for the same reason.
 */
function loadPackage(packageName: string): void {
  const require = createRequire(import.meta.url);
  const resolveEsm = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (typeof resolveEsm === 'function') {
    let path: string | undefined;
    try {
      const url = resolveEsm(packageName);
      if (url.startsWith('file:')) path = fileURLToPath(url);
    } catch {
      // Not resolvable from the codec's own location: fall through to the CJS resolution below.
    }
    if (path !== undefined) {
      require(path);
      return;
    }
  }
  try {
    require(packageName);
  } catch (error) {
    // The program's own dependencies may not be visible from where the codec is installed.
    const fromCwd = createRequire(`${process.cwd()}/`);
    try {
      fromCwd(packageName);
    } catch {
      throw error;
    }
  }
}
