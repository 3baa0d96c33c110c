/**
 * RedisQueue: Python's `multiprocessing.JoinableQueue` shared by any number of processes on any
 * number of machines, kept in one Redis stream with one consumer group.
 *
 * Why a stream and not lists + BLMOVE: a consumer group does atomically, in one command, what a
 * reliable list queue needs three things for. `XREADGROUP` hands an entry to one consumer and records
 * it in the group's pending list with the time of delivery; `XAUTOCLAIM` hands entries pending longer
 * than the visibility timeout to another consumer (the first one died before `taskDone`); `XACK` +
 * `XDEL` end an entry. With lists, the move to a processing list and the lease's deadline are two
 * writes, and a consumer dying between them leaves an item no one owns.
 *
 * Counts, all read atomically in one script: `XLEN` is every item put and not yet `taskDone` (what
 * `join` waits for); the group's pending count is the items taken and not done; their difference is
 * `qsize()` (items waiting to be taken). An item whose consumer died counts as taken until another
 * consumer reclaims it.
 */
import { decodeStrict, encode } from '@weft/codec';
import { Empty, Full, QueueClosed, ValueError } from '@weft/queue';
import type { Redis } from 'ioredis';
import {
  isNoGroup,
  openConnection,
  prefixOf,
  type RedisConnectionOptions,
  sleep,
  uniqueName,
} from './connection.js';

export interface RedisQueueOptions extends RedisConnectionOptions {
  /** Most items waiting at once (checked atomically by `put`); 0 = unbounded. Per handle, not stored. */
  maxsize?: number | undefined;
  /**
   * Milliseconds an item taken by `get` stays invisible to other consumers before it is handed out
   * again if its consumer has not called `taskDone()` (default 30,000).
   */
  visibilityTimeout?: number | undefined;
  /** This handle's consumer name in the group (default: unique per handle). */
  consumer?: string | undefined;
}

export interface RedisPutOptions {
  block?: boolean | undefined;
  /** Milliseconds; absent = forever. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
}
export type RedisGetOptions = RedisPutOptions;
export interface RedisJoinOptions {
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

const GROUP = 'consumers';

/** XADD when there is room: room = maxsize - (XLEN - pending). Returns the id, or false when full. */
const PUT_SCRIPT = `
local max = tonumber(ARGV[1])
if max > 0 then
  local ok, pending = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[3])
  local taken = 0
  if ok then taken = pending[1] end
  if redis.call('XLEN', KEYS[1]) - taken >= max then return false end
end
return redis.call('XADD', KEYS[1], '*', 'v', ARGV[2])`;

/** [XLEN, pending]: both in one script so the difference is a real snapshot. */
const COUNTS_SCRIPT = `
local ok, pending = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1])
local taken = 0
if ok then taken = pending[1] end
return {redis.call('XLEN', KEYS[1]), taken}`;

/** XACK + XDEL of one entry, atomically; returns how many were acknowledged (0: done twice). */
const DONE_SCRIPT = `
local n = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return n`;

type StreamEntry = [Buffer, Buffer[]];

export class RedisQueue<T = unknown> {
  readonly name: string;
  readonly maxsize: number;
  readonly visibilityTimeout: number;
  readonly consumer: string;
  readonly key: string;
  readonly #ready: Promise<void>;
  #commands: Redis | undefined;
  #blocking: Redis | undefined;
  /** Ids this handle has taken and not yet marked done, oldest first (Python's task_done() has no argument). */
  readonly #taken: string[] = [];
  /** One blocking read at a time on the blocking connection. */
  #readChain: Promise<unknown> = Promise.resolve();
  #lastReclaim = 0;
  #closed = false;

  /**
   * @param name the queue's name: every handle with the same name and prefix on the same server is
   *   the same queue.
   */
  constructor(name: string, options: RedisQueueOptions = {}) {
    if (typeof name !== 'string' || name.length === 0)
      throw new TypeError('RedisQueue: name must be a non-empty string');
    const maxsize = options.maxsize ?? 0;
    if (!Number.isInteger(maxsize)) throw new ValueError(`maxsize must be an integer, got ${maxsize}`);
    const visibility = options.visibilityTimeout ?? 30_000;
    if (!Number.isFinite(visibility) || visibility < 10)
      throw new RangeError(`visibilityTimeout must be at least 10 ms, got ${visibility}`);
    this.name = name;
    this.maxsize = Math.max(0, maxsize);
    this.visibilityTimeout = visibility;
    this.consumer = options.consumer ?? uniqueName('queue');
    this.key = `${prefixOf(options)}:queue:${name}`;
    this.#ready = this.#open(options);
    this.#ready.catch(() => {}); // reported by the first method called (or by ready())
  }

  async #open(options: RedisQueueOptions): Promise<void> {
    this.#commands = await openConnection(options.redis, `weft-queue:${this.name}`);
    try {
      this.#blocking = await openConnection(options.redis, `weft-queue-reader:${this.name}`);
    } catch (error) {
      this.#commands.disconnect();
      throw error;
    }
    this.#commands.defineCommand('weftQueuePut', { numberOfKeys: 1, lua: PUT_SCRIPT });
    this.#commands.defineCommand('weftQueueCounts', { numberOfKeys: 1, lua: COUNTS_SCRIPT });
    this.#commands.defineCommand('weftQueueDone', { numberOfKeys: 1, lua: DONE_SCRIPT });
    await this.#ensureGroup();
  }

  async #ensureGroup(): Promise<void> {
    try {
      await this.#redis().xgroup('CREATE', this.key, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && /BUSYGROUP/.test(error.message))) throw error;
    }
  }

  /** Resolves once connected (rejects with RedisAuthError for refused credentials). */
  async ready(): Promise<void> {
    await this.#ready;
  }

  #redis(): Redis {
    return this.#commands as Redis;
  }

  async #check(method: string): Promise<Redis> {
    if (this.#closed) throw new QueueClosed(`RedisQueue ${this.name}: ${method} after close()`);
    await this.#ready;
    if (this.#closed) throw new QueueClosed(`RedisQueue ${this.name}: ${method} after close()`);
    return this.#redis();
  }

  /**
   * Puts `item` (weft codec data). With a `maxsize`, waits for room (polling, since Redis cannot
   * block a writer), or raises `Full` after `timeout` ms / at once with `block: false`.
   */
  async put(item: T, options: RedisPutOptions = {}): Promise<void> {
    const redis = await this.#check('put');
    const payload = toBuffer(encode(item));
    const deadline = options.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeout;
    let pause = 5;
    for (;;) {
      options.signal?.throwIfAborted();
      const id = await this.#withGroup(() =>
        (redis as unknown as ScriptCommands).weftQueuePut(this.key, this.maxsize, payload, GROUP),
      );
      if (id !== null) return;
      if (options.block === false || Date.now() >= deadline)
        throw new Full(`RedisQueue ${this.name} is full (maxsize ${this.maxsize})`);
      await sleep(Math.min(pause, Math.max(1, deadline - Date.now())), options.signal);
      pause = Math.min(pause * 2, 100);
    }
  }

  putNowait(item: T): Promise<void> {
    return this.put(item, { block: false });
  }

  /**
   * Takes the oldest item waiting, or an item whose consumer has held it past the visibility timeout
   * without `taskDone()`. Waits for one (or `timeout` ms, then `Empty`; `block: false`: at once).
   */
  async get(options: RedisGetOptions = {}): Promise<T> {
    await this.#check('get');
    const block = options.block !== false;
    const deadline = !block
      ? Date.now()
      : options.timeout === undefined
        ? Number.POSITIVE_INFINITY
        : Date.now() + options.timeout;
    options.signal?.throwIfAborted();
    const read = this.#readChain.then(() => this.#take(deadline, block, options.signal));
    this.#readChain = read.catch(() => {});
    const entry = await read;
    if (entry === undefined) throw new Empty(`RedisQueue ${this.name} is empty`);
    this.#taken.push(entry[0].toString());
    return decodeStrict(entry[1]) as T;
  }

  getNowait(): Promise<T> {
    return this.get({ block: false });
  }

  async #take(
    deadline: number,
    block: boolean,
    signal: AbortSignal | undefined,
  ): Promise<[Buffer, Buffer] | undefined> {
    const reclaimEvery = Math.min(1000, Math.max(5, this.visibilityTimeout / 4));
    for (;;) {
      if (this.#closed) throw new QueueClosed(`RedisQueue ${this.name}: get after close()`);
      signal?.throwIfAborted();
      const now = Date.now();
      if (now - this.#lastReclaim >= reclaimEvery) {
        this.#lastReclaim = now;
        const reclaimed = await this.#reclaim();
        if (reclaimed !== undefined) return reclaimed;
      }
      const left = deadline - Date.now();
      const slice = block ? Math.max(1, Math.min(left, reclaimEvery)) : 0;
      const entry = await this.#read(slice, block && left > 0, signal);
      if (entry !== undefined) return entry;
      if (!block || Date.now() >= deadline) {
        if (block) return undefined;
        // A nonblocking get still hands out an expired item.
        if (now !== this.#lastReclaim) return this.#reclaim();
        return undefined;
      }
    }
  }

  async #reclaim(): Promise<[Buffer, Buffer] | undefined> {
    const reply = (await this.#withGroup(() =>
      buffers(this.#redis()).xautoclaimBuffer(
        this.key,
        GROUP,
        this.consumer,
        this.visibilityTimeout,
        '0-0',
        'COUNT',
        1,
      ),
    )) as unknown as [Buffer, StreamEntry[], Buffer[]];
    return entryOf(reply[1][0]);
  }

  async #read(
    blockMs: number,
    block: boolean,
    signal: AbortSignal | undefined,
  ): Promise<[Buffer, Buffer] | undefined> {
    const blocking = this.#blocking as Redis;
    const args = ['GROUP', GROUP, this.consumer, 'COUNT', 1] as const;
    const reply = (await this.#withGroup(() =>
      block
        ? buffers(blocking).xreadgroupBuffer(...args, 'BLOCK', blockMs, 'STREAMS', this.key, '>')
        : buffers(this.#redis()).xreadgroupBuffer(...args, 'STREAMS', this.key, '>'),
    )) as unknown as [Buffer, StreamEntry[]][] | null;
    const entry = reply === null ? undefined : entryOf(reply[0]?.[1][0]);
    if (entry !== undefined && signal?.aborted) {
      // Taken after the caller gave up: handed back at once to whoever asks next.
      await this.#redis().xclaim(
        this.key,
        GROUP,
        this.consumer,
        0,
        entry[0],
        'IDLE',
        this.visibilityTimeout,
        'JUSTID',
      );
      signal.throwIfAborted();
    }
    return entry;
  }

  /** Runs a group command, recreating the group if the server lost it (restart without persistence). */
  async #withGroup<R>(run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (!isNoGroup(error)) throw error;
      await this.#ensureGroup();
      return run();
    }
  }

  /**
   * Marks the oldest item this handle took (and has not yet marked) as done: it is removed for good.
   * @throws ValueError when called more times than this handle's `get`s.
   */
  async taskDone(): Promise<void> {
    const redis = await this.#check('taskDone');
    const id = this.#taken.shift();
    if (id === undefined) throw new ValueError(`RedisQueue ${this.name}: task_done() called too many times`);
    await (redis as unknown as ScriptCommands).weftQueueDone(this.key, GROUP, id);
  }

  /** Items waiting to be taken (not counting items taken and not yet done). */
  async qsize(): Promise<number> {
    const redis = await this.#check('qsize');
    const [length, taken] = (await (redis as unknown as ScriptCommands).weftQueueCounts(this.key, GROUP)) as [
      number,
      number,
    ];
    return length - taken;
  }

  /** Items put and not yet marked done by any consumer (what `join` waits for). */
  async unfinishedTasks(): Promise<number> {
    const redis = await this.#check('unfinishedTasks');
    return redis.xlen(this.key);
  }

  async empty(): Promise<boolean> {
    return (await this.qsize()) === 0;
  }

  async full(): Promise<boolean> {
    return this.maxsize > 0 && (await this.qsize()) >= this.maxsize;
  }

  /**
   * Waits until every item ever put (by any process) has been marked done. Redis cannot block on a
   * count, so this polls (every 5 ms growing to 100 ms).
   * @returns true; false when `timeout` ms passed first.
   */
  async join(options: RedisJoinOptions = {}): Promise<boolean> {
    const redis = await this.#check('join');
    const deadline = options.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeout;
    let pause = 5;
    for (;;) {
      options.signal?.throwIfAborted();
      if ((await redis.xlen(this.key)) === 0) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await sleep(Math.min(pause, left), options.signal);
      pause = Math.min(pause * 2, 100);
    }
  }

  /**
   * Closes this handle's connections (the queue itself lives on in Redis). Items taken and not done
   * are handed to other consumers after the visibility timeout.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ready.catch(() => {});
    this.#blocking?.disconnect();
    await this.#commands?.quit().catch(() => {});
    this.#commands?.disconnect();
  }

  /** Deletes the queue's stream and group (every item, taken or not). */
  async destroy(): Promise<void> {
    const redis = await this.#check('destroy');
    await redis.del(this.key);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

interface ScriptCommands {
  weftQueuePut(key: string, maxsize: number, payload: Buffer, group: string): Promise<string | null>;
  weftQueueCounts(key: string, group: string): Promise<[number, number]>;
  weftQueueDone(key: string, group: string, id: string): Promise<number>;
}

/** ioredis has a Buffer-replying twin of every command; its types omit these two. */
interface BufferCommands {
  xautoclaimBuffer(...args: (string | number)[]): Promise<unknown>;
  xreadgroupBuffer(...args: (string | number)[]): Promise<unknown>;
}
function buffers(redis: Redis): BufferCommands {
  return redis as unknown as BufferCommands;
}

function entryOf(entry: StreamEntry | undefined): [Buffer, Buffer] | undefined {
  if (entry === undefined) return undefined;
  const [id, fields] = entry;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if ((fields[i] as Buffer).toString() === 'v') return [id, fields[i + 1] as Buffer];
  }
  return undefined;
}

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
