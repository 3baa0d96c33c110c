/**
 * RedisExecutor: `concurrent.futures` over Redis. `submit` writes a task (module, export name, codec
 * arguments) to a stream served by any number of `serveRedisExecutor` workers, and returns a
 * `@weft/executor` Future settled when the outcome comes back on this client's results list.
 */

import { encode } from '@weft/codec';
import { CancelledError, Future, InvalidStateError, type IterablesFor, TimeoutError } from '@weft/executor';
import { RemoteTraceback } from '@weft/pool';
import type { Redis } from 'ioredis';
import { openConnection, prefixOf, type RedisConnectionOptions, uniqueName } from './connection.js';
import { FunctionNotShippableError, TaskLostError } from './errors.js';
import {
  CANCEL_SCRIPT,
  type ClientMessage,
  decodeMessage,
  type ErrorRecord,
  type ExecutorKeys,
  executorKeys,
} from './protocol.js';
import { toBuffer } from './redis-queue.js';
import { callerModule, locate, relativeModule } from './remote-function.js';

export interface RedisExecutorOptions extends RedisConnectionOptions {
  /** Which executor: workers serving the same name and prefix take its tasks (default `default`). */
  name?: string | undefined;
  /** Runs of one task whose worker dies before finishing it, before its future fails (default 3). */
  maxAttempts?: number | undefined;
  /** Milliseconds results wait in Redis for a client that is away, and finished tasks are remembered (default 1 h). */
  resultTtl?: number | undefined;
  /** Task modules are sent relative to this directory (default `process.cwd()`); workers resolve them under theirs. */
  root?: string | undefined;
  /** This client's name in Redis keys: where its results are written (default: unique per executor). */
  clientId?: string | undefined;
}

export interface RedisMapOptions {
  /** Milliseconds for the whole iteration, counted from the call to `map`. */
  timeout?: number | undefined;
}

export interface RedisShutdownOptions {
  /** Wait until every submitted task is done (default true). */
  wait?: boolean | undefined;
  /** Cancel every task no worker has taken (default false). */
  cancelFutures?: boolean | undefined;
}

export interface WorkerInfo {
  name: string;
  /** Time of its last heartbeat (ms since the epoch). */
  lastSeen: number;
}

/**
 * A Future whose `cancel()` also withdraws the task from Redis. A task a worker has taken is RUNNING
 * (the worker says so) and cannot be cancelled, as in Python.
 */
class RedisFuture<T> extends Future<T> {
  onCancel: (() => void) | undefined;
  override cancel(): boolean {
    const cancelled = super.cancel();
    if (cancelled) {
      const onCancel = this.onCancel;
      this.onCancel = undefined;
      onCancel?.();
    }
    return cancelled;
  }
}

type AnyFunction = (...args: never[]) => unknown;

export class RedisExecutor {
  readonly name: string;
  readonly clientId: string;
  readonly maxAttempts: number;
  readonly resultTtl: number;
  readonly root: string;
  readonly #keys: ExecutorKeys;
  readonly #resultsKey: string;
  readonly #ready: Promise<void>;
  #commands: Redis | undefined;
  #reader: Redis | undefined;
  readonly #futures = new Map<string, RedisFuture<unknown>>();
  readonly #located = new Map<AnyFunction, Promise<{ module: string; name: string; display: string }>>();
  #sequence = 0;
  /** The id of the last message read from this client's results stream ('0': from the start). */
  #lastResult = '0';
  #shutdown = false;
  #pumping: Promise<void> | undefined;
  #stopPump = false;

  constructor(options: RedisExecutorOptions = {}) {
    this.name = options.name ?? 'default';
    this.clientId = options.clientId ?? uniqueName('client');
    this.maxAttempts = options.maxAttempts ?? 3;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1)
      throw new RangeError(`maxAttempts must be an integer >= 1, got ${options.maxAttempts}`);
    this.resultTtl = options.resultTtl ?? 3_600_000;
    if (!Number.isInteger(this.resultTtl) || this.resultTtl < 1000)
      throw new RangeError(`resultTtl must be an integer number of ms >= 1000, got ${options.resultTtl}`);
    this.root = options.root ?? process.cwd();
    this.#keys = executorKeys(prefixOf(options), this.name);
    this.#resultsKey = this.#keys.results(this.clientId);
    this.#ready = this.#open(options);
    this.#ready.catch(() => {});
  }

  async #open(options: RedisExecutorOptions): Promise<void> {
    const commands = await openConnection(options.redis, `weft-executor:${this.name}`);
    try {
      this.#reader = await openConnection(options.redis, `weft-executor-results:${this.name}`);
    } catch (error) {
      commands.disconnect();
      throw error;
    }
    commands.defineCommand('weftCancel', { numberOfKeys: 1, lua: CANCEL_SCRIPT });
    this.#commands = commands;
  }

  /** Resolves once connected (rejects with RedisAuthError for refused credentials). */
  async ready(): Promise<void> {
    await this.#ready;
  }

  /**
   * Schedules `fn(...args)` on a Redis worker. `fn` must be exported from a module under `root` (found
   * from the call site, or named with `task(fn, import.meta.url)`); arguments and result are weft codec data.
   * @throws InvalidStateError after shutdown. The future fails with FunctionNotShippableError for a
   *   function the workers cannot find, RedisAuthError for refused credentials.
   */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>> {
    if (this.#shutdown) throw new InvalidStateError('submit: cannot schedule new futures after shutdown');
    if (typeof fn !== 'function') throw new TypeError(`submit: fn must be a function, got ${typeof fn}`);
    const future = new RedisFuture<Awaited<R>>();
    const id = `${this.clientId}:${++this.#sequence}`;
    this.#futures.set(id, future as RedisFuture<unknown>);
    future.onCancel = () => this.#cancel(id);
    let payload: Buffer;
    try {
      payload = toBuffer(encode(args));
    } catch (error) {
      this.#futures.delete(id);
      throw error;
    }
    let location = this.#located.get(fn as AnyFunction);
    if (location === undefined) {
      const caller = callerModule();
      location = this.#ready
        .then(() => locate(fn as AnyFunction, caller))
        .then(({ url, name }) => {
          const display = `${fn.name || name}`;
          return { module: relativeModule(url, this.root, display), name, display };
        });
      this.#located.set(fn as AnyFunction, location);
      location.catch(() => this.#located.delete(fn as AnyFunction));
    }
    this.#ensurePump();
    location.then(
      ({ module, name, display }) => {
        if (future.done()) return; // cancelled before it was written
        this.#write(id, module, name, display, payload).catch((error: unknown) => this.#fail(id, error));
      },
      (error: unknown) => this.#fail(id, error),
    );
    return future;
  }

  async #write(id: string, module: string, name: string, display: string, args: Buffer): Promise<void> {
    // The payload is {module, name, args} encoded as one codec value; the arguments were encoded at
    // submit (so an unencodable argument throws there), and are spliced in here.
    const payload = toBuffer(encodePayload(module, name, args));
    await (this.#commands as Redis).xadd(
      this.#keys.tasks,
      '*',
      't',
      id,
      'r',
      this.#resultsKey,
      'p',
      payload,
      'm',
      this.maxAttempts,
      'd',
      display,
    );
  }

  #fail(id: string, error: unknown): void {
    const future = this.#futures.get(id);
    this.#futures.delete(id);
    if (future && !future.done()) future.setException(error);
  }

  #cancel(id: string): void {
    this.#futures.delete(id);
    // Written in order after the task's own submit (one connection, pipelined): a worker that has
    // not taken it yet finds it cancelled and drops it. One that took it in the meantime runs it, and
    // its outcome is dropped here (the future is already cancelled).
    this.#ready
      .then(() =>
        (this.#commands as unknown as ScriptCommands).weftCancel(this.#keys.task(id), this.resultTtl),
      )
      .catch(() => {});
  }

  /** Reads this client's results list while futures are outstanding. */
  #ensurePump(): void {
    if (this.#pumping) return;
    this.#stopPump = false;
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      if (this.#futures.size > 0 && !this.#stopPump) this.#ensurePump();
    });
    this.#pumping.catch(() => {});
  }

  async #pump(): Promise<void> {
    try {
      await this.#ready;
    } catch (error) {
      for (const id of [...this.#futures.keys()]) this.#fail(id, error);
      return;
    }
    const reader = this.#reader as Redis;
    const commands = this.#commands as Redis;
    while (!this.#stopPump && this.#futures.size > 0) {
      // Blocks in 1 s slices, so that stopping is noticed.
      const reply = (await (reader as unknown as BufferCommands).xreadBuffer(
        'COUNT',
        1000,
        'BLOCK',
        1000,
        'STREAMS',
        this.#resultsKey,
        this.#lastResult,
      )) as [Buffer, [Buffer, Buffer[]][]][] | null;
      const entries = reply?.[0]?.[1];
      if (!entries || entries.length === 0) continue;
      for (const [id, fields] of entries) {
        this.#lastResult = id.toString();
        // One entry holds the messages of one script call on a worker: fields m, m, ...
        for (let i = 1; i < fields.length; i += 2) this.#deliver(fields[i] as Buffer);
      }
      // Read: trimmed below the next id (exact, idempotent: sent again after a reconnection, no harm).
      commands.xtrim(this.#resultsKey, 'MINID', nextId(this.#lastResult)).catch(() => {});
    }
  }

  #deliver(bytes: Buffer): void {
    let message: ClientMessage;
    try {
      message = decodeMessage(bytes);
    } catch (error) {
      process.emitWarning(
        `RedisExecutor ${this.name}: dropped a result message: ${(error as Error).message}`,
      );
      return;
    }
    const future = this.#futures.get(message[1]);
    if (future === undefined) return; // cancelled, or a second outcome of a task run twice
    if (message[0] === 'S') {
      future.onCancel = undefined;
      future.setRunningOrNotifyCancel();
      return;
    }
    this.#futures.delete(message[1]);
    if (future.done()) return;
    if (message[0] === 'R') future.setResult(message[2]);
    else future.setException(rebuildError(message[2]));
  }

  /**
   * Like `Array.prototype.map` over the zipped iterables, run on the workers; results in input order.
   * Stopping early or a timeout cancels the calls not yet started.
   * @throws (from the iterator) the first failing call's error; TimeoutError past `timeout` ms.
   */
  map<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...iterablesAndOptions: [...IterablesFor<A>] | [...IterablesFor<A>, RedisMapOptions]
  ): AsyncIterableIterator<Awaited<R>> {
    const last = (iterablesAndOptions as unknown[]).at(-1);
    const hasOptions =
      last !== null &&
      typeof last === 'object' &&
      !(Symbol.iterator in (last as object)) &&
      iterablesAndOptions.length > 1;
    const options = (hasOptions ? last : {}) as RedisMapOptions;
    const iterables = (
      hasOptions ? iterablesAndOptions.slice(0, -1) : iterablesAndOptions
    ) as Iterable<unknown>[];
    const deadline = options.timeout === undefined ? undefined : Date.now() + options.timeout;
    const iterators = iterables.map((iterable) => iterable[Symbol.iterator]());
    const futures: Future<Awaited<R>>[] = [];
    for (;;) {
      const items = iterators.map((iterator) => iterator.next());
      if (items.length === 0 || items.some((item) => item.done)) break;
      futures.push(this.submit(fn, ...(items.map((item) => item.value) as A)));
    }
    return mapResults(futures, deadline);
  }

  /** Workers that sent a heartbeat within `withinMs` (default 10 s). */
  async workers(withinMs = 10_000): Promise<WorkerInfo[]> {
    await this.#ready;
    const flat = await (this.#commands as Redis).zrangebyscore(
      this.#keys.workers,
      Date.now() - withinMs,
      '+inf',
      'WITHSCORES',
    );
    const workers: WorkerInfo[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      workers.push({ name: flat[i] as string, lastSeen: Number(flat[i + 1]) });
    return workers;
  }

  /**
   * Stops accepting tasks; with `wait` (default), resolves once every future is done, then closes the
   * connections. `cancelFutures` cancels every task no worker has taken first.
   */
  async shutdown(options: RedisShutdownOptions = {}): Promise<void> {
    const { wait = true, cancelFutures = false } = options;
    this.#shutdown = true;
    if (cancelFutures) for (const future of [...this.#futures.values()]) future.cancel();
    if (wait) {
      await Promise.allSettled([...this.#futures.values()]);
      await this.#close();
    } else {
      // Results still arriving settle their futures; the connections close when the last one does.
      void Promise.allSettled([...this.#futures.values()]).then(() => this.#close());
    }
  }

  async #close(): Promise<void> {
    this.#stopPump = true;
    await this.#ready.catch(() => {});
    this.#reader?.disconnect();
    await this.#pumping?.catch(() => {});
    await this.#commands?.quit().catch(() => {});
    this.#commands?.disconnect();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }
}

async function* mapResults<R>(futures: Future<R>[], deadline: number | undefined): AsyncIterableIterator<R> {
  let index = 0;
  try {
    for (; index < futures.length; index++) {
      const future = futures[index] as Future<R>;
      if (deadline === undefined) yield await future.result();
      else {
        const left = deadline - Date.now();
        if (left <= 0 && !future.done()) throw new TimeoutError(`map: timed out after its deadline`);
        yield await future.result(Math.max(0, left));
      }
    }
  } finally {
    for (let i = index; i < futures.length; i++) futures[i]?.cancel();
  }
}

/** The payload `{ module, name, args }` with the arguments' bytes, already encoded, inside. */
function encodePayload(module: string, name: string, args: Buffer): Uint8Array {
  return encode({ module, name, args: new Uint8Array(args.buffer, args.byteOffset, args.byteLength) });
}

const KNOWN_ERRORS: Record<string, new (message: string) => Error> = {
  TaskLostError,
  FunctionNotShippableError,
  CancelledError,
};

/** The remote error again, with its class name and message, and the remote stack as its `cause`. */
function rebuildError(record: ErrorRecord): Error {
  const Known = KNOWN_ERRORS[record.name];
  const error = Known ? new Known(record.message) : new Error(record.message);
  if (!Known) error.name = record.name;
  (error as Error & { cause?: unknown }).cause = new RemoteTraceback(record.stack);
  return error;
}

interface ScriptCommands {
  weftCancel(taskKey: string, ttl: number): Promise<number>;
}

interface BufferCommands {
  xreadBuffer(...args: (string | number)[]): Promise<unknown>;
}

/** The smallest stream id after `id`. */
function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${BigInt(seq ?? '0') + 1n}`;
}
