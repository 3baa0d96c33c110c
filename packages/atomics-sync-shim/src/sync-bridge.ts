/**
 * The sync bridge: a thread calls an async function that runs on a helper thread, and blocks until
 * its result (or error) comes back — like `synckit`'s `createSyncFn`. weft uses it for the `Sync`
 * methods of proxies in child processes, whose I/O must go on while the calling thread is blocked.
 *
 * The helper thread is a `Worker` running `bridge-worker.ts`, which imports the given module; it is
 * unref'd, so it never keeps the process alive. See bridge-protocol.ts for what travels how.
 */
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { ANSWERS, type BridgeAnswer, type BridgeRequest, type BridgeWorkerData } from './bridge-protocol.js';
import { SyncBridgeClosedError, SyncBridgeTimeoutError, SyncWaitNotAllowedError } from './errors.js';
import { fromTransported } from './transported-error.js';
import { canBlock, isForever, wait } from './wait.js';

/** Any function; the bridge awaits what it returns. */
type AnyFunction = (...args: never[]) => unknown;

/** Names of the properties of `M` that are functions. */
export type FunctionNames<M> = { [K in keyof M]: M[K] extends AnyFunction ? K : never }[keyof M] & string;
/** The arguments of `M[K]`. */
export type BridgeArgs<M, K extends keyof M> = M[K] extends (...args: infer A) => unknown ? A : never;
/** What a call of `M[K]` returns through the bridge: its promise's value. */
export type BridgeResult<M, K extends keyof M> = M[K] extends (...args: never[]) => infer R
  ? Awaited<R>
  : never;

export interface SyncBridgeOptions {
  /** Default timeout of each call, in milliseconds (absent = forever). */
  timeout?: number | undefined;
  /** Node options for the helper thread (default: the process's own `execArgv`). */
  execArgv?: string[] | undefined;
  /** A name for the helper thread, shown in debuggers. */
  name?: string | undefined;
}

export interface SyncBridge<M> {
  /**
   * Runs `module[name](...args)` on the helper thread and blocks until it settles.
   * Arguments and result cross by structured clone (SharedArrayBuffers are shared).
   * @returns the function's (awaited) result.
   * @throws what the function threw, rebuilt with its name, message, stack and primitive properties;
   *   SyncBridgeTimeoutError after the bridge's default timeout; SyncBridgeClosedError once closed or if
   *   the helper died; SyncWaitNotAllowedError where this thread may not block; DataCloneError for
   *   arguments that cannot be cloned.
   */
  call<K extends FunctionNames<M>>(name: K, ...args: BridgeArgs<M, K>): BridgeResult<M, K>;
  /** `call` with a timeout of its own (milliseconds; undefined = forever). Throws as `call`. */
  callWithTimeout<K extends FunctionNames<M>>(
    timeoutMs: number | undefined,
    name: K,
    ...args: BridgeArgs<M, K>
  ): BridgeResult<M, K>;
  /** A blocking function bound to one export, like synckit's `createSyncFn`. Throws as `call`. */
  fn<K extends FunctionNames<M>>(name: K): (...args: BridgeArgs<M, K>) => BridgeResult<M, K>;
  /** True once `close()` was called or the helper thread died. */
  readonly closed: boolean;
  /** Stops the helper thread; later calls throw SyncBridgeClosedError. Resolves once it has stopped. */
  close(): Promise<void>;
  [Symbol.dispose](): void;
  [Symbol.asyncDispose](): Promise<void>;
}

function toModuleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  // A URL (file:, data:, …) but not a Windows path such as C:\x.
  if (/^[a-z][a-z0-9+.-]+:/i.test(module)) return module;
  return pathToFileURL(module).href;
}

// The ESM build of the helper, whichever build this file is: an ES module worker runs from CJS too,
// and keeps `import()` of the user's module (esbuild's CJS output would turn it into `require`).
const helperUrl = new URL('./bridge-worker.js', import.meta.url);

/**
 * Starts a helper thread that imports `module` (a path or a URL, e.g. `new URL('./io.js', import.meta.url)`)
 * and returns a bridge whose `call(name, ...args)` runs one of the module's exported functions there and
 * blocks the calling thread until it settles. Type it with the module's type:
 * `createSyncBridge<typeof import('./io.js')>(url)`.
 * The helper is unref'd (it does not keep the process alive); `close()` stops it.
 */
export function createSyncBridge<M = Record<string, (...args: unknown[]) => unknown>>(
  module: string | URL,
  options: SyncBridgeOptions = {},
): SyncBridge<M> {
  const state = new SharedArrayBuffer(4);
  const answers = new Int32Array(state);
  const { port1: port, port2: helperPort } = new MessageChannel();
  const workerData: BridgeWorkerData = { moduleUrl: toModuleUrl(module), port: helperPort, state };
  const worker = new Worker(helperUrl, {
    workerData,
    transferList: [helperPort],
    ...(options.execArgv ? { execArgv: options.execArgv } : {}),
    ...(options.name ? { name: options.name } : {}),
  });
  worker.unref();
  let closedBecause: SyncBridgeClosedError | undefined;
  // The helper reports its own crashes on the port (see bridge-worker.ts); these events only arrive
  // when this thread's event loop turns, and must be listened to so that a crash does not crash us.
  worker.on('error', (error) => {
    closedBecause ??= new SyncBridgeClosedError(`the sync bridge's helper thread failed: ${String(error)}`, {
      cause: error,
    });
  });
  worker.on('exit', (code) => {
    closedBecause ??= new SyncBridgeClosedError(`the sync bridge's helper thread exited (code ${code})`);
  });
  let nextId = 1;

  const callWithTimeout = (timeoutMs: number | undefined, name: string, args: unknown[]): unknown => {
    if (closedBecause) throw closedBecause;
    if (!canBlock()) throw new SyncWaitNotAllowedError(`sync bridge call ${name}()`);
    const id = nextId++;
    const forever = isForever(timeoutMs);
    const deadline = forever ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs!;
    port.postMessage({ id, name, args } satisfies BridgeRequest);
    for (;;) {
      // Read the count before looking at the port: an answer posted after the look bumps it after.
      const seen = Atomics.load(answers, ANSWERS);
      const received = receiveMessageOnPort(port);
      if (received) {
        const answer = received.message as BridgeAnswer;
        if ('fatal' in answer) {
          closedBecause = new SyncBridgeClosedError(
            `the sync bridge's helper thread died: ${describe(answer.fatal)}`,
            {
              cause: fromTransported(answer.fatal),
            },
          );
          throw closedBecause;
        }
        if (answer.id !== id) continue; // the late answer of a call that timed out
        if (answer.ok) return answer.value;
        throw fromTransported(answer.error);
      }
      if (closedBecause) throw closedBecause;
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw new SyncBridgeTimeoutError(name, timeoutMs!);
      wait(answers, ANSWERS, seen, forever ? undefined : remaining);
    }
  };

  const close = async (): Promise<void> => {
    if (!closedBecause) closedBecause = new SyncBridgeClosedError('the sync bridge is closed');
    port.close();
    await worker.terminate();
  };

  const bridge: SyncBridge<M> = {
    call: (name, ...args) => callWithTimeout(options.timeout, name, args) as never,
    callWithTimeout: (timeoutMs, name, ...args) => callWithTimeout(timeoutMs, name, args) as never,
    fn:
      (name) =>
      (...args) =>
        callWithTimeout(options.timeout, name, args) as never,
    get closed() {
      return closedBecause !== undefined;
    },
    close,
    [Symbol.dispose]: () => {
      void close();
    },
    [Symbol.asyncDispose]: close,
  };
  return bridge;
}

function describe(transported: { kind: string; name?: string; message?: string; value?: unknown }): string {
  return transported.kind === 'error'
    ? `${transported.name}: ${transported.message}`
    : String(transported.value);
}
