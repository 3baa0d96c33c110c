/**
 * serveRedisExecutor: one command per machine. Takes tasks of one RedisExecutor from Redis and runs
 * them on a local weft Pool (threads or processes), `concurrency` at a time, reporting each outcome to
 * the client that submitted it. While it runs it sends heartbeats: its name and time in the executor's
 * workers set, and a touch of every task it holds so that none is handed to another worker while it
 * is still running (only a dead or cut-off worker's tasks go back after the visibility timeout).
 */

import { hostname } from 'node:os';
import { cpuCount, Pool, task as poolTask } from '@weft/pool';
import type { Redis } from 'ioredis';
import { openConnection, prefixOf, type RedisConnectionOptions, sleep } from './connection.js';
import { TaskLostError } from './errors.js';
import {
  decodePayload,
  type ErrorRecord,
  encodeMessage,
  executorKeys,
  FINISH_SCRIPT,
  START_SCRIPT,
  WORKERS_GROUP,
} from './protocol.js';
import { moduleUnderRoot } from './remote-function.js';

export interface ServeRedisExecutorOptions extends RedisConnectionOptions {
  /** The executor served (default `default`), as the clients' `name`. */
  name?: string | undefined;
  /** Tasks run at once (default: the number of CPUs); also the local Pool's size. */
  concurrency?: number | undefined;
  /** The local Pool's workers: `'thread'` (default) or `'process'`. */
  context?: 'thread' | 'process' | undefined;
  /** Modules are imported from under this directory only (default `process.cwd()`). */
  root?: string | undefined;
  /** Milliseconds a task taken by a worker that stops sending heartbeats waits before another worker takes it (default 30,000). */
  visibilityTimeout?: number | undefined;
  /** Milliseconds between heartbeats (default a quarter of the visibility timeout). */
  heartbeatInterval?: number | undefined;
  /** Milliseconds finished tasks and undelivered results are kept (default 1 h); as the clients' `resultTtl`. */
  resultTtl?: number | undefined;
  /**
   * Tasks taken from Redis beyond those running, waiting in the local pool (default
   * max(4 × concurrency, 32); Celery's prefetch, Python's EXTRA_QUEUED_CALLS). Tiny tasks need it: a
   * worker's throughput is the tasks it holds over the time one spends between Redis and the pool
   * (measured: 64 gives 1.5× the tasks/s of 16). The price: a task waiting there is RUNNING for its
   * client (cancel() returns false, as for the calls Python's executor has queued for its workers), and
   * if the worker dies, the tasks it held but had not begun wait for the visibility timeout before they
   * run elsewhere (once: they are not run twice).
   */
  prefetch?: number | undefined;
  /** This worker's name (default `host:pid`). */
  workerName?: string | undefined;
}

export interface RedisWorker {
  readonly name: string;
  /** Tasks this worker has started (each attempt counts). */
  readonly started: number;
  /** Stops taking tasks, waits for the running ones, closes the pool and the connections. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  readonly stopped: Promise<void>;
}

type Entry = [Buffer, Buffer[]];

export async function serveRedisExecutor(options: ServeRedisExecutorOptions = {}): Promise<RedisWorker> {
  const keys = executorKeys(prefixOf(options), options.name ?? 'default');
  const concurrency = options.concurrency ?? cpuCount();
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be an integer >= 1, got ${options.concurrency}`);
  const visibility = options.visibilityTimeout ?? 30_000;
  const heartbeat = options.heartbeatInterval ?? Math.max(10, Math.floor(visibility / 4));
  if (heartbeat >= visibility)
    throw new RangeError(
      `heartbeatInterval (${heartbeat} ms) must be below visibilityTimeout (${visibility} ms)`,
    );
  const prefetch = options.prefetch ?? Math.max(4 * concurrency, 32);
  if (!Number.isInteger(prefetch) || prefetch < 0)
    throw new RangeError(`prefetch must be an integer >= 0, got ${options.prefetch}`);
  const resultTtl = options.resultTtl ?? 3_600_000;
  const root = options.root ?? process.cwd();
  const name = options.workerName ?? `${hostname()}:${process.pid}`;

  const commands = await openConnection(options.redis, `weft-worker:${name}`);
  let blocking: Redis;
  try {
    blocking = await openConnection(options.redis, `weft-worker-reader:${name}`);
  } catch (error) {
    commands.disconnect();
    throw error;
  }
  // The number of keys varies (a batch of tasks): given first at each call.
  commands.defineCommand('weftStart', { lua: START_SCRIPT });
  commands.defineCommand('weftFinish', { lua: FINISH_SCRIPT });
  const scripts = commands as unknown as ScriptCommands;

  const ensureGroup = async () => {
    try {
      await commands.xgroup('CREATE', keys.tasks, WORKERS_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && /BUSYGROUP/.test(error.message))) throw error;
    }
  };
  await ensureGroup();

  const pool = new Pool(concurrency, { context: options.context ?? 'thread', namePrefix: 'RedisWorker' });
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  /** Stream entry ids held by this worker (touched by every heartbeat). */
  const held = new Set<string>();
  let running = true;
  let started = 0;
  let slotFreed: (() => void) | undefined;

  const beat = async () => {
    await commands.zadd(keys.workers, Date.now(), name);
    if (held.size > 0) {
      // Resets the idle time of the entries still held (JUSTID: not counted as a delivery).
      await commands.xclaim(keys.tasks, WORKERS_GROUP, name, 0, ...held, 'JUSTID');
    }
  };
  await beat();
  const beating = setInterval(() => {
    beat().catch(() => {}); // Redis away: the next beat tries again
  }, heartbeat);

  const load = (url: string) => {
    let namespace = modules.get(url);
    if (namespace === undefined) {
      namespace = import(url) as Promise<Record<string, unknown>>;
      modules.set(url, namespace);
      namespace.catch(() => modules.delete(url));
    }
    return namespace;
  };

  const startTask = batched<[string, string, string, number, Buffer]>((batch) => {
    const keyList: string[] = [keys.tasks];
    const argv: (string | number | Buffer)[] = [name, resultTtl];
    for (const [taskKey, resultsKey, entryId, maxAttempts, message] of batch) {
      keyList.push(taskKey, resultsKey);
      argv.push(entryId, maxAttempts, message);
    }
    return scripts.weftStart(keyList.length, ...keyList, ...argv);
  });
  const finishTask = batched<[string, string, string, Buffer]>((batch) => {
    const keyList: string[] = [keys.tasks];
    const argv: (string | number | Buffer)[] = [resultTtl];
    for (const [taskKey, resultsKey, entryId, message] of batch) {
      keyList.push(taskKey, resultsKey);
      argv.push(entryId, message);
    }
    return scripts.weftFinish(keyList.length, ...keyList, ...argv);
  });
  const finish = (entryId: string, taskKey: string, resultsKey: string, message: Buffer) =>
    finishTask([taskKey, resultsKey, entryId, message]);

  const handle = async (entry: Entry): Promise<void> => {
    const entryId = entry[0].toString();
    const fields = new Map<string, Buffer>();
    for (let i = 0; i + 1 < entry[1].length; i += 2)
      fields.set((entry[1][i] as Buffer).toString(), entry[1][i + 1] as Buffer);
    const id = fields.get('t')?.toString();
    const resultsKey = fields.get('r')?.toString();
    const payloadBytes = fields.get('p');
    const maxAttempts = Number(fields.get('m')?.toString() ?? '3');
    const display = fields.get('d')?.toString() ?? '?';
    if (
      id === undefined ||
      resultsKey === undefined ||
      payloadBytes === undefined ||
      !resultsKey.startsWith(`${keys.base}:results:`)
    ) {
      await commands.xack(keys.tasks, WORKERS_GROUP, entryId);
      await commands.xdel(keys.tasks, entryId);
      return;
    }
    const taskKey = keys.task(id);
    const attempt = await startTask([taskKey, resultsKey, entryId, maxAttempts, encodeMessage(['S', id])]);
    if (attempt === 0) return;
    if (attempt < 0) {
      const lost = new TaskLostError(
        `task ${id} (${display}) was started ${-attempt - 1} times and its worker died or lost Redis each time ` +
          `before finishing it (maxAttempts ${maxAttempts})`,
      );
      await finish(entryId, taskKey, resultsKey, encodeMessage(['E', id, recordOf(lost)]));
      return;
    }
    started++;
    let message: Buffer;
    try {
      const payload = decodePayload(payloadBytes);
      const url = moduleUnderRoot(payload.module, root);
      let fn: unknown;
      try {
        fn = (await load(url))[payload.name];
      } catch (error) {
        throw withMessage(
          error,
          `task ${id} (${display}): cannot load ${payload.module} on worker ${name}: `,
        );
      }
      if (typeof fn !== 'function')
        throw new TypeError(
          `task ${id} (${display}): ${payload.module} has no exported function ${payload.name} on worker ${name}`,
        );
      const shipped = poolTask(fn as (...args: never[]) => unknown, url, payload.name);
      const value = await pool.apply(shipped, payload.args as never);
      message = encodeMessage(['R', id, value]);
    } catch (error) {
      message = encodeMessage(['E', id, recordOf(error)]);
    }
    await finish(entryId, taskKey, resultsKey, message);
  };

  const inFlight = new Set<Promise<void>>();
  const take = (entries: Entry[]) => {
    for (const entry of entries) {
      const entryId = entry[0].toString();
      held.add(entryId);
      const work = handle(entry)
        .catch((error: unknown) => {
          process.emitWarning(`weft-redis-worker ${name}: ${(error as Error).message}`);
        })
        .finally(() => {
          held.delete(entryId);
          inFlight.delete(work);
          slotFreed?.();
        });
      inFlight.add(work);
    }
  };

  const buffers = (redis: Redis) => redis as unknown as BufferCommands;
  const withGroup = async <R>(run: () => Promise<R>): Promise<R> => {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof Error && /NOGROUP/.test(error.message))) throw error;
      await ensureGroup();
      return run();
    }
  };

  const loop = async () => {
    let lastReclaim = 0;
    const reclaimEvery = Math.min(1000, heartbeat);
    while (running) {
      // `concurrency` tasks running and `prefetch` waiting in the local pool, no more: a worker
      // that dies holds few tasks.
      const free = concurrency + prefetch - inFlight.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => {
          slotFreed = resolve;
        });
        slotFreed = undefined;
        continue;
      }
      try {
        if (Date.now() - lastReclaim >= reclaimEvery) {
          lastReclaim = Date.now();
          const reply = (await withGroup(() =>
            buffers(commands).xautoclaimBuffer(
              keys.tasks,
              WORKERS_GROUP,
              name,
              visibility,
              '0-0',
              'COUNT',
              free,
            ),
          )) as [Buffer, Entry[], Buffer[]];
          const entries = reply[1].filter((entry) => entry[1] !== null);
          if (entries.length > 0) {
            take(entries);
            continue;
          }
        }
        const reply = (await withGroup(() =>
          buffers(blocking).xreadgroupBuffer(
            'GROUP',
            WORKERS_GROUP,
            name,
            'COUNT',
            free,
            'BLOCK',
            reclaimEvery,
            'STREAMS',
            keys.tasks,
            '>',
          ),
        )) as [Buffer, Entry[]][] | null;
        if (reply?.[0]) take(reply[0][1]);
      } catch (error) {
        if (!running) break;
        process.emitWarning(`weft-redis-worker ${name}: ${(error as Error).message}; retrying`);
        await sleep(200);
      }
    }
  };

  const looping = loop();
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      running = false;
      blocking.disconnect();
      slotFreed?.();
      await looping;
      await Promise.allSettled([...inFlight]);
      clearInterval(beating);
      await commands.zrem(keys.workers, name).catch(() => {});
      await pool.terminate();
      await commands.quit().catch(() => {});
      commands.disconnect();
    })();
    return stopping;
  };
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  return {
    name,
    get started() {
      return started;
    },
    stop: () => stop().then(resolveStopped),
    stopped,
  };
}

function recordOf(error: unknown): ErrorRecord {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), stack: String(error) };
  const cause = (error as Error & { cause?: unknown }).cause;
  // The pool gives a task's error with its worker's stack as a RemoteTraceback cause: that is the one to send.
  const stack =
    cause instanceof Error && cause.name === 'RemoteTraceback'
      ? cause.message
      : (error.stack ?? `${error.name}: ${error.message}`);
  return { name: error.name, message: error.message, stack };
}

function withMessage(error: unknown, prefix: string): Error {
  if (error instanceof Error) {
    const wrapped = new Error(prefix + error.message);
    wrapped.name = error.name;
    if (error.stack) wrapped.stack = error.stack;
    return wrapped;
  }
  return new Error(prefix + String(error));
}

interface ScriptCommands {
  weftStart(...keysAndArgs: (string | number | Buffer)[]): Promise<number[]>;
  weftFinish(...keysAndArgs: (string | number | Buffer)[]): Promise<number[]>;
}

/**
 * Calls made in one turn of the event loop go to Redis as one script call (flushed by setImmediate:
 * nothing waits when there is only one).
 */
function batched<A>(send: (batch: A[]) => Promise<number[]>): (item: A) => Promise<number> {
  let batch: Array<{ item: A; resolve: (value: number) => void; reject: (error: unknown) => void }> = [];
  const flush = () => {
    const current = batch;
    batch = [];
    send(current.map((entry) => entry.item)).then(
      (results) => {
        for (let i = 0; i < current.length; i++) current[i]?.resolve(Number(results[i]));
      },
      (error: unknown) => {
        for (const entry of current) entry.reject(error);
      },
    );
  };
  return (item) =>
    new Promise<number>((resolve, reject) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push({ item, resolve, reject });
    });
}

interface BufferCommands {
  xautoclaimBuffer(...args: (string | number)[]): Promise<unknown>;
  xreadgroupBuffer(...args: (string | number)[]): Promise<unknown>;
}
