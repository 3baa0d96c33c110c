/**
 * The backends a ported CPython test runs on, and what CPython's tests lean on: `Bunch` (N flows of
 * control running one function), shared lists and variables the flows see, bounded waits.
 *
 * Plain JavaScript because it runs in three places: the test's own worker thread (see runner.mjs), the
 * worker threads and child processes a Bunch starts (functions cross by module + export name), and as
 * async tasks on one thread.
 *
 * Backends:
 *  - thread:  weft primitives made here, used from `context: 'thread'` Processes (blocking `…Sync` API);
 *  - process: the same primitives used from `context: 'process'` children (served by the parent);
 *  - manager: proxies from `Manager.start()`, used from `context: 'thread'` Processes (their `…Sync` twins);
 *  - async:   weft primitives used by async tasks of this one thread (the async API).
 * The test's own body (CPython's main thread) always uses the async API, so its thread never blocks.
 */
import { isDeepStrictEqual } from 'node:util';
import { Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore } from '@weft/lock';
import { Manager } from '@weft/manager';
import { Process, task } from '@weft/pool';
import { JoinableQueue, LifoQueue, PriorityQueue, Queue, SimpleQueue } from '@weft/queue';
import { RawSharedArray, RawValue, SharedArray, Value } from '@weft/shared-memory';

/** support.SHORT_TIMEOUT: the bound of every "wait until" loop (CPython's value). */
export const SHORT_TIMEOUT = 30_000;
/** support.LONG_TIMEOUT. */
export const LONG_TIMEOUT = 30_000;

/** Calls whose native form waits: they have a blocking `…Sync` twin. */
const WAITING = new Set(['acquire', 'wait', 'waitFor', 'get', 'put', 'join']);

/** Proxy methods standing for a native property (the manager README: proxies have no async getters). */
const PROXY_PROPERTY = { value: 'getValue', parties: 'parties', nWaiting: 'nWaiting', broken: 'broken' };

export class ConformanceError extends Error {
  name = 'ConformanceError';
}

function isThenable(x) {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof x.then === 'function';
}

function describe(obj) {
  return obj?.constructor?.name ?? typeof obj;
}

/**
 * How one flow of control talks to the primitives.
 *  - 'native-sync'  (thread/process flows): the native API, blocking calls through their `…Sync` twin.
 *    Anything else must answer at once as the native method does: a Promise there is an API mismatch.
 *  - 'native-async' (async flows and every test body but the manager's): the native async API.
 *  - 'proxy-sync'   (manager flows): the proxies' `…Sync` twins.
 *  - 'proxy-async'  (the manager test body): the proxies' async methods.
 */
export function makeCaller(style) {
  const sync = style.endsWith('-sync');
  const proxy = style.startsWith('proxy');
  const call = (obj, name, ...args) => {
    if (obj === null || obj === undefined) throw new ConformanceError(`call ${name}() on ${obj}`);
    if (sync && (proxy || WAITING.has(name)) && typeof obj[`${name}Sync`] === 'function')
      return obj[`${name}Sync`](...args);
    const method = obj[name];
    if (typeof method !== 'function')
      throw new ConformanceError(`${describe(obj)} has no method ${name}() (the native API has one)`);
    const result = method.apply(obj, args);
    if (sync && !proxy && isThenable(result) && !WAITING.has(name)) {
      result.then?.(
        () => {},
        () => {},
      );
      throw new ConformanceError(
        `${describe(obj)}.${name}() returned a Promise; the native method answers at once`,
      );
    }
    return result;
  };
  const prop = (obj, name) => {
    if (proxy) {
      const method = PROXY_PROPERTY[name] ?? name;
      return sync ? obj[`${method}Sync`]() : obj[method]();
    }
    const value = obj[name];
    if (typeof value === 'function')
      throw new ConformanceError(`${describe(obj)}.${name} is a method here; the native API has a property`);
    if (isThenable(value))
      throw new ConformanceError(`${describe(obj)}.${name} is a Promise here; the native API has a value`);
    return value;
  };
  const setProp = (obj, name, value) => {
    if (proxy) {
      const method = name === 'value' ? 'set' : `set${name[0].toUpperCase()}${name.slice(1)}`;
      return sync ? obj[`${method}Sync`](value) : obj[method](value);
    }
    obj[name] = value;
  };
  return { call, prop, setProp, sync, proxy, style };
}

const parkWord = new Int32Array(new SharedArrayBuffer(4));

/** time.sleep(ms): blocks a sync flow's thread; an async flow awaits a timer. */
export function sleeper(sync) {
  return sync
    ? (ms) => {
        Atomics.wait(parkWord, 0, 0, ms);
      }
    : (ms) => new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Python lists and variables that every flow sees (CPython's tests close over them).
 * Worker backends keep them in a manager (`list()`, `Namespace()`); the async backend in this thread.
 * Flows use it synchronously (a `waitFor` predicate reads it); the test body awaits each call.
 */
export class SharedState {
  /** @param {{ kind: 'local', lists: Record<string, unknown[]>, vars: Record<string, unknown> } | { kind: 'manager', lists: Record<string, any>, vars: any }} handle */
  constructor(handle, sync) {
    this.handle = handle;
    this.sync = sync;
  }
  #list(name) {
    const list = this.handle.lists[name];
    if (!list) throw new ConformanceError(`shared list ${name} was not declared`);
    return list;
  }
  push(name, value) {
    const list = this.#list(name);
    if (this.handle.kind === 'local') return void list.push(value);
    return this.sync ? list.appendSync(value) : list.append(value);
  }
  list(name) {
    const list = this.#list(name);
    if (this.handle.kind === 'local') return [...list];
    return this.sync ? list.toArraySync() : list.toArray();
  }
  len(name) {
    const list = this.#list(name);
    if (this.handle.kind === 'local') return list.length;
    return this.sync ? list.lengthSync() : list.length();
  }
  clear(name) {
    const list = this.#list(name);
    if (this.handle.kind === 'local') return void list.splice(0);
    return this.sync ? list.clearSync() : list.clear();
  }
  get(key) {
    if (this.handle.kind === 'local') return this.handle.vars[key];
    return this.sync ? this.handle.vars.getSync(key) : this.handle.vars.get(key);
  }
  set(key, value) {
    if (this.handle.kind === 'local') {
      this.handle.vars[key] = value;
      return;
    }
    return this.sync ? this.handle.vars.setSync(key, value) : this.handle.vars.set(key, value);
  }
}

/** What a flow gets as its second argument. */
export function flowHelper(style, sharedHandle, index = 0) {
  const caller = makeCaller(style);
  return {
    ...caller,
    /** Which flow of its Bunch this is (0 … n−1). */
    index,
    s: new SharedState(sharedHandle, caller.sync),
    sleep: sleeper(caller.sync),
    now: () => performance.now(),
    assertTimeout,
    raises,
  };
}

/**
 * One flow of a Bunch: CPython's Bunch.task. Exported so that a Process can run it (functions cross by
 * module + export name); it finds the ported test's flow by module URL and name.
 */
export async function bunchTask(moduleUrl, flowName, ctx, style, sharedHandle, index) {
  const h = flowHelper(style, sharedHandle, index);
  const module = await import(moduleUrl);
  const flow = module.flows?.[flowName];
  if (typeof flow !== 'function') throw new ConformanceError(`${moduleUrl} has no flow ${flowName}`);
  h.s.push('__started', index);
  try {
    await flow(ctx, h);
  } catch (error) {
    h.s.push('__exceptions', `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`);
  } finally {
    h.s.push('__finished', index);
    const deadline = performance.now() + SHORT_TIMEOUT;
    while (!h.s.get('__canExit') && performance.now() < deadline) await h.sleep(5);
  }
}

/** CPython's assertTimeout: waited at least 0.6 × expected, and not insanely long. */
export function assertTimeout(actual, expected) {
  if (!(actual >= expected * 0.6)) throw new AssertionErrorLike(`${actual} ms < 0.6 × ${expected} ms`);
  if (!(actual < expected * 10)) throw new AssertionErrorLike(`${actual} ms >= 10 × ${expected} ms`);
}

class AssertionErrorLike extends Error {
  name = 'AssertionError';
}

/** assertRaises(name, fn): fn throws (or rejects with) an error whose name is `name`. */
export async function raises(name, fn) {
  let result;
  try {
    result = await fn();
  } catch (error) {
    const names = Array.isArray(name) ? name : [name];
    if (names.includes(error?.name)) return error;
    throw new AssertionErrorLike(
      `expected ${names.join(' or ')}, got ${error?.name ?? typeof error}: ${error?.message ?? String(error)}`,
    );
  }
  throw new AssertionErrorLike(`${name} not raised (returned ${String(result)})`);
}

export function assertEqual(actual, expected, what = '') {
  if (!isDeepStrictEqual(actual, expected))
    throw new AssertionErrorLike(
      `${what ? `${what}: ` : ''}${JSON.stringify(actual)} != ${JSON.stringify(expected)}`,
    );
}

export const BACKENDS = ['thread', 'process', 'manager', 'async'];

/**
 * wait_threads_blocked's sleep per flow, by backend (CPython: 10 ms per thread). A flow's wait through
 * a proxy first travels to the server: on a loaded machine 10 ms is not enough for it to arrive, and a
 * set() then clear() (EventTests.test_set_and_clear) would come before the wait it must release.
 */
const BLOCKED_MS_PER_FLOW = { thread: 10, process: 100, manager: 60, async: 10 };

/**
 * The harness for one test on one backend (CPython's TestCase `self`): factories, the caller for the
 * test body, shared state, Bunch. `onChild(pid)` learns each child process so a watchdog can kill it.
 */
export async function makeHarness(backend, moduleUrl, onChild) {
  if (!BACKENDS.includes(backend)) throw new ConformanceError(`unknown backend ${backend}`);
  const manager = backend === 'async' ? undefined : await Manager.start();
  const bodyStyle = backend === 'manager' ? 'proxy-async' : 'native-async';
  const flowStyle =
    backend === 'manager' ? 'proxy-sync' : backend === 'async' ? 'native-async' : 'native-sync';
  const caller = makeCaller(bodyStyle);
  const processes = [];
  const asyncFlows = [];
  const cleanups = [];

  const native = {
    Lock: async () => new Lock(),
    RLock: async () => new RLock(),
    Event: async () => new Event(),
    Condition: async (lock) => new Condition(lock),
    Semaphore: async (value) => new Semaphore(value),
    BoundedSemaphore: async (value) => new BoundedSemaphore(value),
    Barrier: async (parties, options) => new Barrier(parties, options),
    Queue: async (maxsize) => new Queue(maxsize === undefined ? {} : { maxsize }),
    LifoQueue: async (maxsize) => new LifoQueue(maxsize === undefined ? {} : { maxsize }),
    PriorityQueue: async (maxsize) => new PriorityQueue(maxsize === undefined ? {} : { maxsize }),
    SimpleQueue: async () => new SimpleQueue(),
    JoinableQueue: async (maxsize) => new JoinableQueue(maxsize === undefined ? {} : { maxsize }),
    Value: async (typecode, value, options) => new Value(typecode, value, options),
    RawValue: async (typecode, value) => new RawValue(typecode, value),
    Array: async (typecode, values, options) => new SharedArray(typecode, values, options),
    RawArray: async (typecode, values) => new RawSharedArray(typecode, values),
  };
  /** What the manager cannot make says so: the test fails with the reason (listed in known-failures). */
  const notOffered = (what) => async () => {
    throw new ConformanceError(`the manager backend offers no ${what}`);
  };
  const proxies = manager && {
    Lock: () => manager.Lock(),
    RLock: () => manager.RLock(),
    Event: () => manager.Event(),
    Condition: (lock) =>
      lock === undefined ? manager.Condition() : notOffered('Condition(lock) with a lock of your own')(),
    Semaphore: (value) => manager.Semaphore(value),
    BoundedSemaphore: (value) => manager.BoundedSemaphore(value),
    Barrier: (parties, options = {}) =>
      options.action ? notOffered('Barrier action')() : manager.Barrier(parties, options),
    Queue: (maxsize) => manager.Queue(maxsize === undefined ? undefined : { maxsize }),
    LifoQueue: notOffered('LifoQueue'),
    PriorityQueue: notOffered('PriorityQueue'),
    SimpleQueue: notOffered('SimpleQueue'),
    JoinableQueue: (maxsize) => manager.JoinableQueue(maxsize === undefined ? undefined : { maxsize }),
    Value: (typecode, value) => manager.Value(typecode, value),
    RawValue: notOffered('RawValue'),
    Array: (typecode, values) => manager.Array(typecode, values),
    RawArray: notOffered('RawArray'),
  };
  const make = backend === 'manager' ? proxies : native;

  /** Shared lists and variables for one test: declare the list names up front. */
  async function shared(listNames = []) {
    const names = [...listNames, '__started', '__finished', '__exceptions'];
    let handle;
    if (backend === 'async') {
      handle = { kind: 'local', lists: Object.fromEntries(names.map((n) => [n, []])), vars: {} };
    } else {
      const lists = {};
      for (const n of names) lists[n] = await manager.list();
      handle = { kind: 'manager', lists, vars: await manager.Namespace() };
    }
    return new SharedState(handle, false);
  }

  /**
   * CPython's Bunch: `nthread` flows running `flows[flowName](ctx, h)`. `enter()` starts them and waits
   * until all have started; `exit()` waits until all finished, joins them, and raises their exceptions.
   */
  function Bunch(state, flowName, nthread, ctx, { waitBeforeExit = false } = {}) {
    const started = [];
    return {
      async enter() {
        await state.set('__canExit', !waitBeforeExit);
        for (const name of ['__started', '__finished', '__exceptions']) await state.clear(name);
        for (let i = 0; i < nthread; i++) {
          const args = [moduleUrl, flowName, ctx, flowStyle, state.handle, i];
          if (backend === 'async') {
            asyncFlows.push(bunchTask(...args).catch(() => {}));
            continue;
          }
          const p = new Process({
            target: bunchTask,
            args,
            context: backend === 'process' ? 'process' : 'thread',
            daemon: true,
          });
          p.start();
          processes.push(p);
          started.push(p);
          if (backend === 'process' && p.pid) onChild(p.pid);
        }
        await waitUntil(async () => (await state.len('__started')) >= nthread, `${nthread} flows started`);
        return this;
      },
      finished: () => state.len('__finished'),
      doFinish: () => state.set('__canExit', true),
      async exit() {
        await waitUntil(async () => (await state.len('__finished')) >= nthread, `${nthread} flows finished`);
        for (const p of started) await p.join(SHORT_TIMEOUT);
        for (const p of started)
          if (p.exitCode !== 0)
            throw new ConformanceError(`a ${flowName} flow ended with exit code ${p.exitCode}`);
        const exceptions = await state.list('__exceptions');
        if (exceptions.length)
          throw new ConformanceError(`${flowName} flows raised: ${exceptions.join('; ')}`);
      },
      /** `with Bunch(...) as bunch: body` — exit runs only when the body succeeded, as CPython's __exit__ re-raises. */
      async run(body = async () => {}) {
        await this.enter();
        try {
          await body(this);
        } catch (error) {
          await state.set('__canExit', true);
          throw error;
        }
        await this.exit();
      },
    };
  }

  /**
   * multiprocessing.Process for CPython's _TestProcess: `target` exported from `module` (a port
   * module's URL), in this backend's context; killed at the end of the test if still alive.
   */
  function makeProcess({ target, module, ...options }) {
    const p = new Process({
      ...options,
      target: task(target, module),
      context: backend === 'process' ? 'process' : 'thread',
    });
    processes.push(p);
    const start = p.start.bind(p);
    p.start = () => {
      start();
      if (backend === 'process' && p.pid) onChild(p.pid);
    };
    return p;
  }

  async function close() {
    for (const p of processes) {
      try {
        if (p.exitCode === null && p.isAlive()) p.kill();
      } catch {
        // already gone
      }
    }
    for (const p of processes) {
      try {
        await p.join(2_000);
      } catch {
        // never started, or closed
      }
    }
    for (const fn of cleanups) await fn();
    await manager?.shutdown();
  }

  return {
    backend,
    make,
    /** weft's own constructors, whatever the backend (CPython's tests that name multiprocessing.X directly). */
    native,
    ...caller,
    shared,
    Bunch,
    Process: makeProcess,
    sleep: sleeper(false),
    now: () => performance.now(),
    waitUntil,
    /**
     * wait_threads_blocked(n): CPython's arbitrary sleep (10 ms per thread) until n threads are blocked.
     * A child process's first call on a primitive also connects to the parent's server, so it gets longer.
     */
    waitThreadsBlocked: (n) =>
      new Promise((resolve) => setTimeout(resolve, BLOCKED_MS_PER_FLOW[backend] * n)),
    assertTimeout,
    raises,
    assertEqual,
    onCleanup: (fn) => cleanups.push(fn),
    close,
  };
}

/** support.sleeping_retry: poll until `predicate()` holds; AssertionError after SHORT_TIMEOUT. */
export async function waitUntil(predicate, what = 'condition') {
  const deadline = performance.now() + SHORT_TIMEOUT;
  let delay = 1;
  while (!(await predicate())) {
    if (performance.now() > deadline) throw new AssertionErrorLike(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 20);
  }
}
