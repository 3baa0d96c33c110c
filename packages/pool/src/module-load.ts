/**
 * Worker side: loading a task's module.
 *
 * `import()` is the reference. A worker's first `import()` sets up Node's asynchronous module loader,
 * which costs more than the load itself. Node ≥ 20.19 can also `require()` an ES module (require(esm)),
 * and gives the very namespace a later `import()` of the same file returns (one module map). Measured
 * here in a fresh worker (Node 20.20): a module that imports nothing, 0.9 ms with `require()` against
 * 4.3 ms with `import()`; one that imports two builtins, 3.6 ms against 5.0 ms. That is most of a new
 * pool's time to its first result beyond the worker's own start, so a pool worker uses `require()` when
 * it gives the same module as `import()` would:
 *   - the URL is a plain `file:` URL of a .js, .mjs or .cjs file (no query: `import()` would key the
 *     module by it);
 *   - Node has require(esm) on (`process.features.require_module`);
 *   - no module hooks: the thread was started without `--import`, `--loader`, `--require` or
 *     `--experimental-default-type` (in its execArgv or NODE_OPTIONS), and nothing has called
 *     `module.register()` in it since (see `prepareModuleLoading`): hooks apply to `import()` only.
 *     (So under vitest, whose workers start with a `--require` preload, workers use `import()`.);
 *   - the gate is open (load-gate.ts: the main thread is not about to terminate this thread, which
 *     Node 20 does not survive in the middle of a require(esm)).
 * A CommonJS module is shown as `import()` shows it (`module.exports` as `default`, its properties as
 * names); a name not found in what `require()` gave is looked up again through `import()` (function-load).
 * A module with top-level await cannot be required: `import()` loads it (nothing of it ran). Any other
 * failure is the module's own and is thrown as it is, except a file that does not exist, for which
 * `import()` gives the error a user knows.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { GATE_LOADING, GATE_OPEN } from './load-gate.js';

const HOOK_FLAGS =
  /^(?:--import|--loader|--experimental-loader|--require|-r|--experimental-default-type)(?:=|$)/;
/** The codes of a require() that did not load the module (so import() may, with no double evaluation). */
const NOT_REQUIRABLE = new Set(['ERR_REQUIRE_ASYNC_MODULE', 'ERR_REQUIRE_ESM', 'ERR_REQUIRE_CYCLE_MODULE']);

let requireAllowed = false;
let requireHere: NodeJS.Require | undefined;
/** This thread's load gate; none (a Process thread, terminated without the handshake): import() only. */
let threadGate: Int32Array | undefined;

/**
 * Gives this thread its load gate (load-gate.ts): a pool worker's LOAD_GATE word, or, in a child process
 * (whose threads no one terminates: its whole process ends), a word of its own that is never closed.
 */
export function useLoadGate(gate: Int32Array): void {
  threadGate = gate;
}

/**
 * Called once when a worker starts, before any user code runs in it: decides whether this thread may
 * load with `require()`, and notices a later `module.register()` (which turns that off).
 */
export function prepareModuleLoading(): void {
  const features = process.features as { require_module?: boolean };
  const options = process.env.NODE_OPTIONS?.split(/\s+/) ?? [];
  requireAllowed =
    features.require_module === true &&
    !process.execArgv.some((arg) => HOOK_FLAGS.test(arg)) &&
    !options.some((arg) => HOOK_FLAGS.test(arg));
  requireHere = createRequire(import.meta.url);
  const nodeModule = requireHere('node:module') as { register?: (...args: unknown[]) => unknown };
  const register = nodeModule.register;
  if (typeof register !== 'function') return;
  nodeModule.register = function registerHooks(this: unknown, ...args: unknown[]) {
    requireAllowed = false;
    hooksRegistered = true;
    return register.apply(this, args);
  };
}

let hooksRegistered = false;

/**
 * Whether code in this thread has registered module hooks (`module.register()`, say in a pool's
 * initializer): modules may then load here with another source than in the thread that sent a task.
 */
export function moduleHooksRegisteredHere(): boolean {
  return hooksRegistered;
}

/** What a module load gave, and whether `require()` gave it (see `loadFunction`). */
export interface LoadedModule {
  namespace: Record<string, unknown>;
  required: boolean;
}

/** The module at `url`, as `import(url)` gives it. */
export async function importModule(url: string): Promise<LoadedModule> {
  const path = requirablePath(url);
  const gate = threadGate;
  if (path !== undefined && gate && Atomics.compareExchange(gate, 0, GATE_OPEN, GATE_LOADING) === GATE_OPEN) {
    let loaded: unknown;
    try {
      loaded = requireHere!(path);
    } catch (error) {
      if (!importMayLoad(error, path)) throw error;
      loaded = NOT_LOADED;
    } finally {
      Atomics.store(gate, 0, GATE_OPEN);
      Atomics.notify(gate, 0);
    }
    if (loaded !== NOT_LOADED) return { namespace: asNamespace(loaded), required: true };
  }
  return { namespace: (await import(url)) as Record<string, unknown>, required: false };
}

const NOT_LOADED = Symbol('not loaded');

function requirablePath(url: string): string | undefined {
  if (!requireAllowed || !url.startsWith('file:') || /[?#]/.test(url) || !/\.[mc]?js$/.test(url)) {
    return undefined;
  }
  return fileURLToPath(url);
}

function importMayLoad(error: unknown, path: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // (From a .js file this could also be a CommonJS module's own require() of such a module, after its
  // top-level code ran: import() then runs it again and fails the same way. A .cjs file is left alone.)
  if (typeof code === 'string' && NOT_REQUIRABLE.has(code)) return !path.endsWith('.cjs');
  // The file itself is missing (not a module it requires): import() says so in its own words.
  return (
    code === 'MODULE_NOT_FOUND' && String((error as Error).message).startsWith(`Cannot find module '${path}'`)
  );
}

/** A CommonJS module as `import()` shows it: `module.exports` as default, its properties as names. */
function asNamespace(loaded: unknown): Record<string, unknown> {
  if (Object.prototype.toString.call(loaded) === '[object Module]') return loaded as Record<string, unknown>;
  return Object.assign(Object.create(null) as Record<string, unknown>, loaded, { default: loaded });
}
