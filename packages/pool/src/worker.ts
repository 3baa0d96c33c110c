/**
 * The worker side: the loop of a pool worker (pull a task from the ring, run it, publish the result)
 * and the body of a Process child. Loaded by path as a tsup entry of its own (worker.cjs, see entries.ts),
 * in a worker thread (workerData) or in a forked child process (first IPC message).
 */
import { pathToFileURL } from 'node:url';
import {
  BroadcastChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  threadId,
  workerData,
} from 'node:worker_threads';
import { waitAsync } from '@weft/atomics-sync-shim';
import type * as Codec from '@weft/codec';
import type { CodecSource } from './entries.js';
import { explainSourceError, loadFunction } from './function-load.js';
import type { FunctionRef, TaskFunction } from './function-ref.js';
import { importModule, prepareModuleLoading, useLoadGate } from './module-load.js';
import {
  codecInstalled,
  decodeCodecBytes,
  decodeDetached,
  detach,
  type Encoded,
  encodeJson,
  encodePayloadTransient,
  installCodec,
  type MemoryViews,
  needsCodec,
  readPayload,
  TAG_CODEC,
  TAG_NUMBER_ARRAY,
  viewsOf,
  writePayload,
} from './payload.js';
import type { ChildPoolMessage, ChildPoolReply } from './process-engine.js';
import { attachInChild, holdsReferences } from './remote-args.js';
import { describeError } from './remote-error.js';
import { RESULT_ERROR, RESULT_OK, RESULT_STARTED, ResultRingWriter } from './result-ring.js';
import { type ProcessInfo, runtime } from './runtime.js';
import {
  FILLED,
  FLAG_REPORT_START,
  HEAD,
  LOOKING,
  MAIN_PARKED,
  RESULTS,
  SHUTDOWN,
  SKIPPED,
  SLEEPERS,
  CLAIMING as SLOT_CLAIMING,
  SLOT_FLAGS,
  SLOT_FUNCTION,
  SLOT_MODE,
  SLOT_OFFSET,
  SLOT_SIZE,
  SLOT_STATE,
  SLOT_TAG,
  SLOT_TASK,
  slotWord,
  TAIL,
  TAKEN,
  WAKING,
} from './task-ring.js';
import {
  BUFFERS_HEARD,
  CLAIM_SLOT,
  CLAIMING,
  CURRENT,
  INITIALIZED,
  LOAD_GATE,
  LOOKING_FLAG,
  MODE_APPLY,
  MODE_MAP,
  PORT_RESULTS,
  TASK_META,
  TASKS_DONE,
} from './worker-words.js';

export interface PoolWorkerData {
  kind: 'pool';
  info: ProcessInfo;
  parent: ProcessInfo;
  control: SharedArrayBuffer;
  arena: SharedArrayBuffer;
  results: SharedArrayBuffer;
  words: SharedArrayBuffer;
  definitions: [number, FunctionRef][];
  /** Function definitions arrive on it; results too big for the ring leave on it. */
  port: MessagePort;
  initializer: FunctionRef | undefined;
  initargs: { tag: number; bytes: Uint8Array } | undefined;
  maxTasks: number;
  codecSnapshot: unknown;
  codec: CodecSource;
}

export interface ProcessWorkerData {
  kind: 'process';
  info: ProcessInfo;
  parent: ProcessInfo;
  /** undefined: a Process without a target (its `run()` does nothing). */
  target: FunctionRef | undefined;
  /** A Process subclass: `target` names the class, `state` holds the instance's own fields. */
  subclass: boolean;
  state: { tag: number; bytes: Uint8Array } | undefined;
  args: { tag: number; bytes: Uint8Array };
  codecSnapshot: unknown;
  codec: CodecSource;
}

/**
 * A Process thread starts before its target is located (so that `ident` is known when `start()`
 * returns): its ProcessWorkerData follows as the first message.
 */
export interface DeferredWorkerData {
  kind: 'process-deferred';
}

/** Lets everything this worker printed reach the parent before the thread or process ends. */
async function flushOutput(): Promise<void> {
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) =>
        new Promise<void>((resolve) => {
          if (!stream.writable) return resolve();
          stream.write('', () => resolve());
        }),
    ),
  );
}

/*
 * The codec loads on first need (a payload or result that is not numbers, or a Process's args): a worker
 * whose tasks move only numbers never compiles it, and the first task of a new worker does not wait for
 * it. The codec's buffer directory must still hear every SharedArrayBuffer another thread announces from
 * the time this worker starts (else decoding a handle would have to ask its owner, which may be blocked):
 * until the codec loads, a channel of our own on the directory's BroadcastChannel keeps the announcements
 * and hands them over with the parent's snapshot.
 */

/** @weft/codec's BUFFERS_CHANNEL (see codec/src/buffer-directory.ts). */
const CODEC_BUFFERS_CHANNEL = 'weft:buffers';

let heardBuffers: { channel: BroadcastChannel; messages: unknown[]; snapshot: unknown } | undefined;
let codecLoading: Promise<void> | undefined;
let installedCodec: typeof Codec | undefined;
/** The parent's CodecSource (see entries.ts): the codec is loaded in its format, from its URL in ESM. */
let codec: CodecSource = { format: 'esm', url: undefined };

/** Starts keeping buffer announcements for the codec; `snapshot` is the parent's bufferSnapshot(). */
function listenForBuffers(snapshot: unknown): void {
  if (heardBuffers || codecLoading) return;
  const channel = new BroadcastChannel(CODEC_BUFFERS_CHANNEL);
  const messages: unknown[] = [];
  channel.onmessage = (event) => messages.push((event as unknown as { data: unknown }).data);
  channel.unref();
  heardBuffers = { channel, messages, snapshot };
}

/** Buffer announcements the parent heard for this thread before it listened (engine.ts, forwardBuffers). */
function adoptForwardedBuffers(entries: unknown[]): void {
  if (entries.length === 0) return;
  if (heardBuffers) heardBuffers.messages.push(...entries);
  else installedCodec?.adoptBuffers({ weftBuffers: 1, entries: entries as never });
}

async function importCodec(): Promise<typeof Codec> {
  if (codec.format === 'esm') {
    // By file URL when the parent resolved it: module-load.ts may then require() it, for less than a
    // worker's first import() costs; the module is the one import('@weft/codec') gives either way.
    if (codec.url) return (await importModule(codec.url)).namespace as unknown as typeof Codec;
    return import('@weft/codec');
  }
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)('@weft/codec') as typeof Codec;
}

/** Loads and installs the codec (once), handing it what this thread heard so far. */
function loadCodec(): Promise<void> {
  codecLoading ??= importCodec().then((codec) => {
    installCodec(codec);
    installedCodec = codec;
    const heard = heardBuffers;
    if (!heard) return;
    heardBuffers = undefined;
    // The codec's own channel is open from here on; drain ours of what arrived before (a message may
    // be in both: learning a buffer twice is harmless).
    for (
      let m = receiveMessageOnPort(heard.channel as never);
      m;
      m = receiveMessageOnPort(heard.channel as never)
    )
      heard.messages.push((m as { message: unknown }).message);
    heard.channel.close();
    if (heard.snapshot !== undefined) codec.adoptBuffers(heard.snapshot);
    codec.adoptBuffers({ weftBuffers: 1, entries: heard.messages as never });
  });
  return codecLoading;
}

async function runProcess(data: ProcessWorkerData): Promise<number> {
  const state = runtime();
  state.current = data.info;
  state.parent = data.parent;
  let code = 0;
  codec = data.codec;
  try {
    listenForBuffers(data.codecSnapshot);
    await loadCodec();
    const target = data.target ? await loadFunction(data.target) : undefined;
    const args = (await attachInChild(decodeDetached(data.args.tag, data.args.bytes))) as unknown[];
    if (data.subclass) {
      const Class = target as unknown as { prototype: { run(): unknown } };
      const instance = Object.create(Class.prototype) as { run(): unknown };
      if (data.state)
        Object.assign(instance, await attachInChild(decodeDetached(data.state.tag, data.state.bytes)));
      Object.defineProperty(instance, '__weftInfo', { value: data.info });
      await instance.run();
    } else if (target) {
      await (target as (...a: unknown[]) => unknown)(...args);
    }
  } catch (error) {
    const described = data.target ? explainSourceError(data.target, error) : error;
    const stack = described instanceof Error ? (described.stack ?? String(described)) : String(described);
    process.stderr.write(`Process ${data.info.name}:\n${stack}\n`);
    code = 1;
  }
  await joinNonDaemonChildren();
  await flushOutput();
  return code;
}

/**
 * As Python's process does before it exits: wait for its non-daemon children (a daemon child ends
 * with this one). Children started meanwhile are waited for too.
 */
async function joinNonDaemonChildren(): Promise<void> {
  for (;;) {
    const waiting = [...runtime().alive].filter((child) => !child.daemon);
    if (waiting.length === 0) return;
    await Promise.all(waiting.map((child) => child.join().catch(() => {})));
  }
}

/** Resolves once everything written to `stream` so far has been taken by the parent. */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** How long an idle worker spins for the next task before it parks (milliseconds). */
const SPIN_MS = 0.2;

class PoolWorker {
  private readonly control: Int32Array;
  private readonly words: Int32Array;
  private readonly ring: ResultRingWriter;
  private readonly refs = new Map<number, FunctionRef>();
  private readonly functions = new Map<number, TaskFunction>();
  /** Until the parent's last forwarded buffers arrive, a task with codec bytes reads the port first. */
  private buffersForwarded = true;
  /** Set by a 'shutdown' message; `stopParking` wakes a parked loop (made on first park, not at start-up). */
  private stopping = false;
  private stopParking: AbortController | undefined;
  private done = 0;
  private looking = false;
  private readonly arena: MemoryViews;
  /** The running task, reused from task to task (no garbage per task). */
  private readonly current: { id: number; controller: AbortController | undefined } = {
    id: 0,
    controller: undefined,
  };

  constructor(private readonly data: PoolWorkerData) {
    this.arena = viewsOf(data.arena);
    this.control = new Int32Array(data.control);
    this.words = new Int32Array(data.words);
    useLoadGate(new Int32Array(data.words, LOAD_GATE * 4, 1));
    this.ring = new ResultRingWriter(data.results);
    for (const [id, ref] of data.definitions) this.refs.set(id, ref);
  }

  /** Runs until shutdown or `maxTasks`; returns the exit code. */
  async run(): Promise<number> {
    const state = runtime();
    state.current = this.data.info;
    state.parent = this.data.parent;
    parentPort?.on('message', (message: { type: string; taskId?: number; reason?: string }) => {
      if (message.type === 'abort') {
        const task = state.task;
        if (task && task.id === message.taskId) {
          task.controller ??= new AbortController();
          const reason = new Error(message.reason ?? 'aborted');
          reason.name = 'AbortError';
          task.controller.abort(reason);
        }
      } else if (message.type === 'shutdown') {
        this.stopping = true;
        this.stopParking?.abort();
      } else if (message.type === 'flush') {
        // terminate() is coming: hand over what the tasks printed and the parent has not read yet.
        void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() =>
          parentPort?.postMessage({ type: 'flushed' }),
        );
      }
    });
    codec = this.data.codec;
    listenForBuffers(this.data.codecSnapshot);
    // From here on this thread hears announcements itself: the parent may stop forwarding them.
    Atomics.store(this.words, BUFFERS_HEARD, 1);
    if (this.data.initializer) {
      try {
        if (this.data.initargs) await loadCodec();
        const initializer = await loadFunction(this.data.initializer);
        const initargs = this.data.initargs
          ? decodeDetached(this.data.initargs.tag, this.data.initargs.bytes)
          : [];
        await initializer(...((initargs as unknown[]) ?? []).map((x) => x as never));
        Atomics.store(this.words, INITIALIZED, 1);
      } catch (error) {
        parentPort?.postMessage({
          type: 'initializer-failed',
          error: describeError(explainSourceError(this.data.initializer, error)),
        });
        await flushOutput();
        return 1;
      }
    }
    await this.loop();
    await flushOutput();
    return 0;
  }

  private async loop(): Promise<void> {
    const c = this.control;
    // The clock is first read after 64 tasks: `performance` loads several built-in modules, which a
    // new worker would otherwise compile before its first task.
    let batchStarted = -1;
    let sinceCheck = 0;
    try {
      for (;;) {
        if (this.stopping || Atomics.load(c, SHUTDOWN) !== 0) return;
        this.setLooking(true);
        const slot = this.claim();
        if (slot === undefined) {
          await this.park();
          batchStarted = performance.now();
          continue;
        }
        // Running a task is not looking: a task published meanwhile must wake a parked peer.
        this.setLooking(false);
        // More queued behind this one and a peer asleep: wake it here rather than on the main thread.
        if (Atomics.load(c, SLEEPERS) !== 0 && Atomics.load(c, HEAD) !== Atomics.load(c, TAIL))
          Atomics.notify(c, TAIL, 1);
        const pending = this.runSlot(slot);
        if (pending) await pending;
        if (this.data.maxTasks > 0 && this.done >= this.data.maxTasks) return;
        // Sync tasks run back to back; give the event loop a turn now and then so that timers and
        // messages (an abort) in this worker are served.
        if (++sinceCheck >= 64) {
          sinceCheck = 0;
          const now = performance.now();
          if (batchStarted < 0) batchStarted = now;
          else if (now - batchStarted > 5) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            batchStarted = performance.now();
          }
        }
      }
    } finally {
      this.setLooking(false);
    }
  }

  /** Counts this worker in (or out of) the ring's LOOKING word; see worker-words.ts for the order. */
  private setLooking(on: boolean): void {
    if (on === this.looking) return;
    this.looking = on;
    if (on) {
      Atomics.store(this.words, LOOKING_FLAG, 1);
      Atomics.add(this.control, LOOKING, 1);
    } else {
      Atomics.sub(this.control, LOOKING, 1);
      Atomics.store(this.words, LOOKING_FLAG, 0);
    }
  }

  private claim(): number | undefined {
    const c = this.control;
    for (;;) {
      const head = Atomics.load(c, HEAD);
      if (head === Atomics.load(c, TAIL)) return undefined;
      this.words[CLAIM_SLOT] = head;
      Atomics.store(this.words, CLAIMING, 1);
      if (Atomics.compareExchange(c, HEAD, head, (head + 1) | 0) === head) return head;
      Atomics.store(this.words, CLAIMING, 0);
    }
  }

  /**
   * Spin a while (a busy producer refills within microseconds, and a notify costs it more than a
   * task), then park without blocking the loop. Only one worker spins at a time: a second one that
   * finds a peer already looking parks at once, leaving the core to the producer. The spin is
   * bounded (SPIN_MS), so an idle pool uses no CPU.
   */
  private async park(): Promise<void> {
    const c = this.control;
    const tail = Atomics.load(c, TAIL);
    if (tail !== Atomics.load(c, HEAD)) return;
    if (Atomics.load(c, LOOKING) <= 1) {
      const until = performance.now() + SPIN_MS;
      for (let i = 1; ; i++) {
        if (Atomics.load(c, TAIL) !== tail || Atomics.load(c, SHUTDOWN) !== 0) return;
        if ((i & 255) === 0 && performance.now() > until) break;
      }
    }
    // Counted as a sleeper before no longer looking, then the tail checked again: the main thread
    // stores TAIL before reading SLEEPERS and LOOKING, so it either notifies or we see its task.
    Atomics.add(c, SLEEPERS, 1);
    // WAKING says a sleeper is on its way out and will clear it. The main thread may set it just after
    // the last sleeper left (it read SLEEPERS before that sleeper's decrement): then no sleeper would
    // ever clear it, and the main thread would never notify again while tasks pile up in the ring.
    // A new sleeper clears it here, before it looks at TAIL: if the main thread read WAKING before
    // this store, it also stored TAIL before, and this sleeper sees the task.
    Atomics.store(c, WAKING, 0);
    this.setLooking(false);
    try {
      if (Atomics.load(c, TAIL) === tail && Atomics.load(c, SHUTDOWN) === 0) {
        this.stopParking ??= new AbortController();
        const { signal } = this.stopParking;
        if (!this.stopping) await waitAsync(c, TAIL, tail, undefined, { spin: 0, signal }).catch(() => 'ok');
      }
    } finally {
      Atomics.sub(c, SLEEPERS, 1);
      Atomics.store(c, WAKING, 0);
    }
  }

  private runSlot(slot: number): Promise<void> | undefined {
    const c = this.control;
    const base = slotWord(slot, 0);
    if (Atomics.compareExchange(c, base + SLOT_STATE, FILLED, SLOT_CLAIMING) !== FILLED) {
      Atomics.store(c, base + SLOT_STATE, SKIPPED);
      Atomics.store(this.words, CLAIMING, 0);
      return undefined;
    }
    const taskId = c[base + SLOT_TASK]!;
    const functionId = c[base + SLOT_FUNCTION]!;
    const mode = c[base + SLOT_MODE]!;
    const flags = c[base + SLOT_FLAGS]!;
    const tag = c[base + SLOT_TAG]!;
    let payload: unknown;
    let payloadError: unknown;
    /** Codec bytes copied out of the arena, to decode once the codec has loaded. */
    let undecoded: Uint8Array | undefined;
    // The parent forwards buffers announced before this thread listened, ahead of the tasks naming them.
    if (this.buffersForwarded && tag === TAG_CODEC) this.readPort();
    try {
      const offset = c[base + SLOT_OFFSET]!;
      const size = c[base + SLOT_SIZE]!;
      if (mode === MODE_MAP && tag === TAG_NUMBER_ARRAY)
        payload = this.arena.numbers.slice(offset >> 3, (offset + size) >> 3);
      else if (tag === TAG_CODEC && !codecInstalled())
        undecoded = this.arena.bytes.slice(offset, offset + size);
      else payload = readPayload(this.arena, offset, size, tag);
    } catch (error) {
      payloadError = error;
    }
    Atomics.store(this.words, CURRENT, taskId);
    Atomics.store(c, base + SLOT_STATE, TAKEN);
    Atomics.store(this.words, CLAIMING, 0);
    if (flags & FLAG_REPORT_START) this.publish(taskId, RESULT_STARTED, undefined);
    if (payloadError !== undefined) {
      this.finish(taskId, RESULT_ERROR, encodeJson(describeError(payloadError)));
      return undefined;
    }
    if (undecoded !== undefined) return this.decodeAndExecute(taskId, functionId, mode, undecoded);
    return this.executeWith(taskId, functionId, mode, payload);
  }

  /** Runs the task with its function, loading the function first if this worker has not yet. */
  private executeWith(
    taskId: number,
    functionId: number,
    mode: number,
    payload: unknown,
  ): Promise<void> | undefined {
    const fn = this.functions.get(functionId);
    if (fn) return this.execute(taskId, functionId, fn, mode, payload);
    return this.loadAndExecute(taskId, functionId, mode, payload);
  }

  /** The first task whose payload needs the codec: load it, decode, run. */
  private async decodeAndExecute(
    taskId: number,
    functionId: number,
    mode: number,
    bytes: Uint8Array,
  ): Promise<void> {
    let payload: unknown;
    try {
      await loadCodec();
      payload = decodeCodecBytes(bytes);
    } catch (error) {
      this.finish(taskId, RESULT_ERROR, encodeJson(describeError(error)));
      return;
    }
    await this.executeWith(taskId, functionId, mode, payload);
  }

  private async loadAndExecute(
    taskId: number,
    functionId: number,
    mode: number,
    payload: unknown,
  ): Promise<void> {
    let fn: TaskFunction;
    try {
      fn = await loadFunction(this.definition(functionId));
      this.functions.set(functionId, fn);
    } catch (error) {
      this.finish(taskId, RESULT_ERROR, encodeJson(describeError(error)));
      return;
    }
    await this.execute(taskId, functionId, fn, mode, payload);
  }

  private definition(functionId: number): FunctionRef {
    for (;;) {
      const ref = this.refs.get(functionId);
      if (ref) return ref;
      // The main thread posts a definition before publishing the first task that uses it.
      if (!this.readPortMessage()) throw new Error(`internal: no definition for function ${functionId}`);
    }
  }

  /** Takes every message waiting on the port (definitions, forwarded buffers). */
  private readPort(): void {
    while (this.readPortMessage()) {}
  }

  private readPortMessage(): boolean {
    const received = receiveMessageOnPort(this.data.port);
    if (!received) return false;
    const message = received.message as [number, FunctionRef] | { buffers: unknown[]; last: boolean };
    if (Array.isArray(message)) {
      this.refs.set(message[0], message[1]);
    } else {
      adoptForwardedBuffers(message.buffers);
      if (message.last) this.buffersForwarded = false;
    }
    return true;
  }

  private execute(
    taskId: number,
    functionId: number,
    fn: TaskFunction,
    mode: number,
    payload: unknown,
  ): Promise<void> | undefined {
    const state = runtime();
    const current = this.current;
    current.id = taskId;
    current.controller = undefined;
    state.task = current;
    let result: unknown;
    try {
      result = call(fn as (...args: unknown[]) => unknown, mode, payload);
    } catch (error) {
      state.task = undefined;
      this.fail(taskId, functionId, error);
      return undefined;
    }
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as PromiseLike<unknown>).then === 'function'
    ) {
      return this.settleAsync(taskId, functionId, mode, result as PromiseLike<unknown>);
    }
    state.task = undefined;
    return this.succeed(taskId, result);
  }

  private async settleAsync(
    taskId: number,
    functionId: number,
    mode: number,
    result: PromiseLike<unknown>,
  ): Promise<void> {
    try {
      let value = await result;
      if (mode !== MODE_APPLY) value = await Promise.all(value as unknown[]);
      runtime().task = undefined;
      await this.succeed(taskId, value);
    } catch (error) {
      runtime().task = undefined;
      this.fail(taskId, functionId, error);
    }
  }

  /** Publishes a task's value; a promise only while the codec loads for the first value that needs it. */
  private succeed(taskId: number, value: unknown): Promise<void> | undefined {
    if (!codecInstalled() && needsCodec(value)) {
      return loadCodec().then(
        () => this.succeed(taskId, value),
        (error: unknown) => this.finish(taskId, RESULT_ERROR, encodeJson(describeError(error))),
      );
    }
    let encoded: Encoded;
    try {
      encoded = encodePayloadTransient(value);
    } catch (error) {
      this.finish(taskId, RESULT_ERROR, encodeJson(describeError(error)));
      return undefined;
    }
    this.finish(taskId, RESULT_OK, encoded);
    return undefined;
  }

  private fail(taskId: number, functionId: number, error: unknown): void {
    const ref = this.refs.get(functionId);
    this.finish(
      taskId,
      RESULT_ERROR,
      encodeJson(describeError(ref ? explainSourceError(ref, error) : error)),
    );
  }

  private finish(taskId: number, kind: number, payload: Encoded): void {
    this.done++;
    Atomics.store(this.words, TASKS_DONE, this.done);
    this.publish(taskId, kind, payload);
    Atomics.store(this.words, CURRENT, 0);
  }

  private publish(taskId: number, kind: number, payload: Encoded | undefined): void {
    const c = this.control;
    if (!this.ring.tryWrite(taskId, kind, payload)) {
      const detached = payload ? detach(payload) : { tag: 0, bytes: new Uint8Array(0) };
      const transfer =
        detached.bytes.byteOffset === 0 && detached.bytes.buffer instanceof ArrayBuffer
          ? [detached.bytes.buffer]
          : [];
      this.data.port.postMessage([taskId, kind, detached.tag, detached.bytes], transfer);
      Atomics.add(this.words, PORT_RESULTS, 1);
    }
    Atomics.add(c, RESULTS, 1);
    if (Atomics.load(c, MAIN_PARKED) === 1 && Atomics.compareExchange(c, MAIN_PARKED, 1, 0) === 1) {
      Atomics.notify(c, RESULTS);
    }
  }
}

/** A task as a pool child receives it (unpacked from a batch). */
interface ChildTask {
  id: number;
  functionId: number;
  mode: number;
  tag: number;
  bytes: Uint8Array;
  reportStart: boolean;
}

/**
 * When a pool child sends results. A message costs far more than a tiny task, so the results of a
 * run of tiny tasks go back together; but a result must never wait behind a task that might block
 * on what the parent does with that result (a task waiting on a manager Queue that the parent fills
 * once it has the previous result): results are sent before any task that is not known to be tiny
 * (its function's last FAST_RUNS runs each took under FAST_MS), before awaiting an async task, when
 * the oldest has waited REPLY_DELAY_MS, and when the queue is empty.
 */
const REPLY_DELAY_MS = 1;
const FAST_MS = 0.1;
const FAST_RUNS = 8;

/** Results gathered by a pool child and sent as one message (see process-engine.ts). */
class ReplyBatch {
  meta: number[] = [];
  private data = new Uint8Array(256);
  private numbers = new Float64Array(this.data.buffer);
  private size = 0;
  busy = 0;
  since = 0;

  get empty(): boolean {
    return this.meta.length === 0;
  }

  add(id: number, kind: number, payload: Encoded | undefined): void {
    if (this.meta.length === 0) this.since = performance.now();
    const size = payload ? payload.size : 0;
    const offset = (this.size + 7) & ~7;
    const end = offset + size;
    if (end > this.data.byteLength) {
      // A multiple of 8: `numbers` views the same buffer as float64s.
      const grown = new Uint8Array((Math.max(end, this.data.byteLength * 2) + 7) & ~7);
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
      this.numbers = new Float64Array(grown.buffer);
    }
    if (payload && size > 0) writePayload({ bytes: this.data, numbers: this.numbers }, offset, payload);
    this.size = end;
    this.meta.push(id, kind, payload ? payload.tag : 0, offset, size);
  }

  take(): ChildPoolReply {
    const reply: ChildPoolReply = {
      type: 'results',
      meta: this.meta,
      data: this.data.slice(0, this.size),
      busy: this.busy,
    };
    this.meta = [];
    this.size = 0;
    this.busy = 0;
    return reply;
  }
}

/** A pool worker in a child process: tasks arrive over IPC, results go back the same way. */
class PoolChild {
  private readonly refs = new Map<number, FunctionRef>();
  private readonly functions = new Map<number, TaskFunction>();
  private readonly queue: ChildTask[] = [];
  private queueStart = 0;
  private running = false;
  private ready = false;
  private stopping = false;
  private done = 0;
  /** The id of the task running now (0 between tasks): reported if this process dies. */
  private runningId = 0;
  private readonly replies = new ReplyBatch();
  /** Per function id: how many of its latest runs in a row were tiny. */
  private readonly tinyRuns = new Map<number, number>();

  constructor(private readonly init: Extract<ChildPoolMessage, { type: 'init' }>) {}

  receive(message: ChildPoolMessage): void {
    switch (message.type) {
      case 'tasks': {
        if (message.defines) for (const [id, ref] of message.defines) this.refs.set(id, ref);
        const { meta, data } = message;
        for (let at = 0; at < meta.length; at += TASK_META) {
          const offset = meta[at + 4]!;
          this.queue.push({
            id: meta[at]!,
            functionId: meta[at + 1]!,
            mode: meta[at + 2]!,
            tag: meta[at + 3]!,
            bytes: data.subarray(offset, offset + meta[at + 5]!),
            reportStart: meta[at + 6] === 1,
          });
        }
        void this.pump();
        return;
      }
      case 'abort': {
        const task = runtime().task;
        if (task && task.id === message.id) {
          task.controller ??= new AbortController();
          const reason = new Error(message.reason);
          reason.name = 'AbortError';
          task.controller.abort(reason);
        }
        return;
      }
      case 'shutdown':
        this.stopping = true;
        if (!this.running) void this.exit(0);
        return;
    }
  }

  async start(): Promise<void> {
    const state = runtime();
    state.current = { ...this.init.info, pid: process.pid, ident: process.pid };
    state.parent = this.init.parent;
    // A task that ends this process (process.exit) takes only itself down: the results gathered so
    // far and the id of that task still reach the parent (an IPC write is attempted at once, so it
    // leaves before the process does), and the tasks queued behind it go back to the pool's queue.
    process.on('exit', () => {
      if (!process.connected) return; // the parent is gone: nobody to tell
      try {
        this.sendReplies();
        process.send?.({ type: 'exiting', running: this.runningId } satisfies ChildPoolReply);
      } catch {
        // the channel closed meanwhile
      }
    });
    // A child process's tasks and results go through the codec in messages: load it before the first.
    codec = this.init.codec;
    await loadCodec();
    if (this.init.initializer) {
      try {
        const initializer = await loadFunction(this.init.initializer);
        const initargs = this.init.initargs
          ? decodeDetached(this.init.initargs.tag, this.init.initargs.bytes)
          : [];
        await initializer(...((initargs as unknown[]) ?? []).map((x) => x as never));
        process.send?.({ type: 'initialized' } satisfies ChildPoolReply);
      } catch (error) {
        process.send?.({
          type: 'initializer-failed',
          error: describeError(explainSourceError(this.init.initializer, error)),
        } satisfies ChildPoolReply);
        await this.exit(1);
        return;
      }
    }
    this.ready = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running || !this.ready) return;
    this.running = true;
    while (this.queueStart < this.queue.length) {
      const task = this.queue[this.queueStart++]!;
      if (this.queueStart === this.queue.length) {
        this.queue.length = 0;
        this.queueStart = 0;
      }
      if (!this.replies.empty && !this.knownTiny(task.functionId)) this.sendReplies();
      if (task.reportStart) {
        this.replies.add(task.id, RESULT_STARTED, undefined);
        this.sendReplies();
      }
      const started = performance.now();
      const ref = this.refs.get(task.functionId);
      this.runningId = task.id;
      try {
        if (!ref) throw new Error(`internal: no definition for function ${task.functionId}`);
        let fn = this.functions.get(task.functionId);
        if (!fn) {
          fn = await loadFunction(ref);
          this.functions.set(task.functionId, fn);
        }
        const decoded = decodeDetached(task.tag, task.bytes);
        // Most payloads hold no served primitives: no await (and no turn of the loop) for them.
        const payload = holdsReferences(decoded) ? await attachInChild(decoded) : decoded;
        runtime().task = { id: task.id, controller: undefined };
        let value = call(fn as (...args: unknown[]) => unknown, task.mode, payload);
        if (
          value !== null &&
          typeof value === 'object' &&
          typeof (value as PromiseLike<unknown>).then === 'function'
        ) {
          this.sendReplies();
          value = await value;
          if (task.mode !== MODE_APPLY) value = await Promise.all(value as unknown[]);
        }
        runtime().task = undefined;
        this.reply(task.id, RESULT_OK, encodePayloadTransient(value), started, task.functionId);
      } catch (error) {
        runtime().task = undefined;
        const explained = ref ? explainSourceError(ref, error) : error;
        this.reply(task.id, RESULT_ERROR, encodeJson(describeError(explained)), started, task.functionId);
      }
      this.runningId = 0;
      this.done++;
      if (this.init.maxTasks > 0 && this.done >= this.init.maxTasks) {
        this.sendReplies();
        await this.exit(0);
        return;
      }
      // Results go back together, but none waits long: the parent refills this child's window
      // from them, and a caller may be waiting for the first one.
      if (performance.now() - this.replies.since >= REPLY_DELAY_MS) this.sendReplies();
    }
    this.sendReplies();
    this.running = false;
    if (this.stopping) await this.exit(0);
  }

  private reply(id: number, kind: number, payload: Encoded, started: number, functionId: number): void {
    this.replies.add(id, kind, payload);
    const took = performance.now() - started;
    this.replies.busy += took;
    this.tinyRuns.set(functionId, took < FAST_MS ? (this.tinyRuns.get(functionId) ?? 0) + 1 : 0);
  }

  /** Whether `functionId`'s recent runs were all tiny (see FAST_RUNS). */
  private knownTiny(functionId: number): boolean {
    return (this.tinyRuns.get(functionId) ?? 0) >= FAST_RUNS;
  }

  private sendReplies(): void {
    if (this.replies.empty) return;
    process.send?.(this.replies.take());
  }

  private async exit(code: number): Promise<void> {
    this.sendReplies();
    await flushOutput();
    // Let queued IPC replies reach the parent before the channel closes.
    await new Promise<void>((resolve) =>
      process.send ? process.send({ type: 'flush' } satisfies ChildPoolReply, () => resolve()) : resolve(),
    );
    process.exit(code);
  }
}

function call(fn: (...args: unknown[]) => unknown, mode: number, payload: unknown): unknown {
  if (mode === MODE_APPLY) {
    const args = payload as unknown[];
    switch (args.length) {
      case 0:
        return fn();
      case 1:
        return fn(args[0]);
      case 2:
        return fn(args[0], args[1]);
      default:
        return fn(...args);
    }
  }
  if (payload instanceof Float64Array) {
    // map over numbers: results are usually numbers too, collected without boxing into an array first
    const n = payload.length;
    const out = new Array<unknown>(n);
    let anyPromise = false;
    for (let i = 0; i < n; i++) {
      const value = fn(payload[i]);
      out[i] = value;
      if (
        !anyPromise &&
        value !== null &&
        typeof value === 'object' &&
        typeof (value as PromiseLike<unknown>).then === 'function'
      )
        anyPromise = true;
    }
    return anyPromise ? Promise.resolve(out) : out;
  }
  const items = payload as unknown[];
  const out = new Array<unknown>(items.length);
  let anyPromise = false;
  for (let i = 0; i < items.length; i++) {
    const value = mode === MODE_MAP ? fn(items[i]) : fn(...(items[i] as unknown[]));
    out[i] = value;
    if (
      !anyPromise &&
      value !== null &&
      typeof value === 'object' &&
      typeof (value as PromiseLike<unknown>).then === 'function'
    )
      anyPromise = true;
  }
  return anyPromise ? Promise.resolve(out) : out;
}

/**
 * Node 20 does not apply the parent's module customization hooks (`--import tsx`, `--loader ...`) to
 * worker threads (nodejs/node#47747): load the same preload modules here, so that they register their
 * hooks in this thread too, before any task module is imported.
 */
async function inheritLoaders(): Promise<void> {
  if (!workerData) return;
  const argv = process.execArgv;
  const base = pathToFileURL(`${process.cwd()}/`).href;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let specifier: string | undefined;
    if (arg === '--import' || arg === '--experimental-loader' || arg === '--loader') specifier = argv[++i];
    else if (/^--(import|loader|experimental-loader)=/.test(arg)) specifier = arg.slice(arg.indexOf('=') + 1);
    if (!specifier) continue;
    try {
      if (specifier === 'tsx' || /\/tsx\/dist\/loader\.mjs$/.test(specifier))
        await registerTsx(specifier, base);
      else
        await import(
          specifier.startsWith('.') || specifier.startsWith('/') ? new URL(specifier, base).href : specifier
        );
    } catch {
      // the worker goes on; a task module that needs the loader says so when it fails to load
    }
  }
}

/** tsx's `--import` entry only registers on a main thread; its API registers in this worker too. */
async function registerTsx(specifier: string, base: string): Promise<void> {
  const loader =
    specifier === 'tsx'
      ? pathToFileURL(
          (await import('node:module')).createRequire(base).resolve('tsx/package.json'),
        ).href.replace(/package\.json$/, 'dist/loader.mjs')
      : specifier;
  const api = (await import(new URL('./esm/api/index.mjs', loader).href)) as { register: () => unknown };
  api.register();
}

async function main(): Promise<void> {
  prepareModuleLoading();
  await inheritLoaders();
  const data = workerData as PoolWorkerData | ProcessWorkerData | DeferredWorkerData | undefined;
  if (data?.kind === 'process-deferred') {
    const message = await new Promise<unknown>((resolve) => parentPort?.once('message', resolve));
    const work = message as ProcessWorkerData;
    work.info.ident = threadId;
    process.exit(await runProcess(work));
  } else if (data?.kind === 'pool') {
    data.info.ident = threadId;
    const code = await new PoolWorker(data).run();
    process.exit(code);
  } else if (data?.kind === 'process') {
    data.info.ident = threadId;
    process.exit(await runProcess(data));
  } else if (process.send && process.env.WEFT_POOL_CHILD) {
    useLoadGate(new Int32Array(1));
    // A forked child: the parent sends what to run as the first IPC message. Later messages are
    // queued from the start, so that none slips by while the child sets up.
    const inbox: unknown[] = [];
    let deliver: ((message: unknown) => void) | undefined;
    process.on('message', (message: unknown) => (deliver ? deliver(message) : inbox.push(message)));
    const first = await new Promise<unknown>((resolve) => {
      deliver = (message) => {
        deliver = undefined;
        resolve(message);
      };
      if (inbox.length > 0) deliver(inbox.shift());
    });
    const message = first as { kind?: string; type?: string };
    if (message.kind === 'process') {
      const code = await runProcess(message as ProcessWorkerData);
      process.exit(code);
    } else if (message.type === 'init') {
      const child = new PoolChild(message as Extract<ChildPoolMessage, { type: 'init' }>);
      deliver = (next) => child.receive(next as ChildPoolMessage);
      for (const queued of inbox.splice(0)) child.receive(queued as ChildPoolMessage);
      await child.start();
    }
  }
}

void main();
