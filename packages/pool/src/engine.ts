/**
 * The pool engine: workers, dispatch through the task ring, results drained from the result rings in
 * batches, crashes, timeouts, aborts and termination. `Pool` and @weft/executor are facades over it.
 *
 * Dispatch never goes through a worker's event loop: the main thread writes a task into a free slot of
 * the shared task ring and an idle worker takes it. Tasks that find the ring or arena full wait in
 * `backlog` (main thread memory) and are published as slots free up. Results are read when a worker
 * wakes the main thread (only if it is parked) or whenever the main thread next drains.
 */
import {
  BroadcastChannel,
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { waitAsync } from '@weft/atomics-sync-shim';
import { callSafely, settlingInline } from './callbacks.js';
import { cpuCount } from './cpu-count.js';
import { codecSource, workerFile } from './entries.js';
import {
  BrokenPoolError,
  CancelledTask,
  TaskAbortedError,
  TimeoutError,
  ValueError,
  WorkerCrashedError,
} from './errors.js';
import {
  callerModule,
  type FunctionRef,
  knownFunctionRef,
  resolveFunctionRef,
  type TaskFunction,
} from './function-ref.js';
import { closeLoadGate, reopenLoadGate, trackLoadGate, untrackLoadGate } from './load-gate.js';
import { codecSnapshot } from './main-codec.js';
import {
  decodeDetached,
  detach,
  type Encoded,
  encodePayload,
  encodePayloadTransient,
  keepEncoded,
  type MemoryViews,
  readPayload,
  TAG_CODEC,
} from './payload.js';
import { type ErrorDescription, rebuildError } from './remote-error.js';
import {
  createResultRing,
  RESULT_ERROR,
  RESULT_OK,
  RESULT_STARTED,
  ResultRingReader,
} from './result-ring.js';
import { type ProcessInfo, runtime } from './runtime.js';
import {
  createRingMemory,
  FILLED,
  FLAG_REPORT_START,
  LOOKING,
  MAIN_PARKED,
  RESULTS,
  SHUTDOWN,
  CLAIMING as SLOT_CLAIMING,
  TAKEN,
  TaskRingWriter,
  WAKING,
} from './task-ring.js';
import { TaskTable } from './task-table.js';
import type { PoolWorkerData } from './worker.js';
import { forwardOutput, OWN_OUTPUT } from './worker-output.js';
import {
  BUFFERS_HEARD,
  CLAIM_SLOT,
  CLAIMING,
  CURRENT,
  INITIALIZED,
  LOAD_GATE,
  LOOKING_FLAG,
  MODE_APPLY,
  PORT_RESULTS,
  TASKS_DONE,
  WORKER_WORDS,
} from './worker-words.js';

/** Options of a task given to `submit`. */
export interface SubmitOptions {
  /** Aborting rejects the task (AbortError) and tells it through `taskSignal()`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds from submission; then like an abort, with a TimeoutError. */
  timeout?: number | undefined;
  /** Called on the main thread when a worker takes the task (possibly a little late, always before it settles). */
  onStart?: (() => void) | undefined;
}

/** A submitted task, as its submitter controls it (advanced API, used by @weft/executor). */
export interface TaskControl {
  /**
   * Withdraws the task if no worker has taken it yet; it then fails with `CancelledTask` (its promise
   * rejects, or its sink's `reject` is called).
   * @returns true only if the task was still queued and is now removed.
   */
  cancel(): boolean;
  readonly state: 'queued' | 'running' | 'done';
  /**
   * The pool's id of the task: what `currentTaskId()` returns inside the worker while it runs
   * (0 when the task was never queued because the pool is broken).
   */
  readonly id: number;
}

/** A submitted task and its outcome (advanced API, used by @weft/executor). */
export interface TaskHandle<R> extends TaskControl {
  /** Settles with the task's value or error. */
  readonly promise: Promise<R>;
}

export interface EngineOptions {
  processes?: number | undefined;
  initializer?: TaskFunction | undefined;
  initargs?: readonly unknown[] | undefined;
  maxtasksperchild?: number | undefined;
  breakOnWorkerDeath?: boolean | undefined;
  /** How long an aborted or timed-out task may run on before its worker is replaced (default 1000 ms). */
  abortGraceMs?: number | undefined;
  /** Name prefix of the workers (`PoolWorker` gives `PoolWorker-1`, ...). */
  namePrefix?: string | undefined;
  /** The name of the worker started `n`-th, from 0 (overrides `namePrefix`). */
  workerName?: ((n: number) => string) | undefined;
}

/** Submits between two drains inside a burst of submits (see `enqueue`). */
const DRAIN_EVERY = 256;

const QUEUED = 0;
const RUNNING = 1;
const DONE = 2;

/**
 * Receives a task's outcome on the main thread (an AsyncResult, a deferred Promise, a map's chunk).
 * `token` is what the task was submitted with (`submitTo`), so that one sink can serve many tasks
 * without an object per task.
 */
export interface TaskSink {
  resolve(value: unknown, token?: unknown): void;
  reject(error: unknown, token?: unknown): void;
}

class Deferred implements TaskSink {
  resolve!: (value: unknown) => void;
  reject!: (error: unknown) => void;
  readonly promise = new Promise<unknown>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
}

/** What only some tasks need (onStart, timeout, signal): kept apart so that a plain task stays small. */
interface TaskExtras {
  onStart: (() => void) | undefined;
  started: boolean;
  timer: NodeJS.Timeout | undefined;
  cleanup: (() => void) | undefined;
}

/**
 * A task in the engine. It is also what `submitTo` returns as the task's control (`cancel`, `state`,
 * `id`): one object per task rather than two.
 */
class Task implements TaskControl {
  phase = QUEUED;
  slot = -1;
  functionId = 0;
  extras: TaskExtras | undefined = undefined;

  constructor(
    private readonly engine: Engine,
    readonly id: number,
    readonly fn: TaskFunction,
    readonly mode: number,
    /** Encoded at submission (so a value that cannot cross fails at once); dropped once published. */
    public payload: Encoded | undefined,
    readonly sink: TaskSink,
    readonly token: unknown,
  ) {}

  cancel(): boolean {
    return this.engine.cancelTask(this);
  }

  get state(): 'queued' | 'running' | 'done' {
    return this.engine.taskState(this);
  }

  get onStart(): (() => void) | undefined {
    return this.extras?.onStart;
  }

  get started(): boolean {
    return this.extras?.started ?? false;
  }

  set started(value: boolean) {
    if (this.extras) this.extras.started = value;
  }

  extra(): TaskExtras {
    this.extras ??= { onStart: undefined, started: false, timer: undefined, cleanup: undefined };
    return this.extras;
  }
}

/** What both engines offer a TaskRef. */
export interface TaskOwner<T> {
  cancelTask(task: T): boolean;
  taskState(task: T): 'queued' | 'running' | 'done';
}

/** The control of one task (and its promise, for `submit`): one small object per task. */
export class TaskRef<T extends { readonly id: number }, R = unknown> implements TaskHandle<R> {
  constructor(
    private readonly owner: TaskOwner<T>,
    private readonly task: T | undefined,
    private readonly outcome: Promise<R> | undefined,
  ) {}

  get promise(): Promise<R> {
    if (!this.outcome) throw new TypeError('this task reports to a sink: it has no promise');
    return this.outcome;
  }

  get id(): number {
    return this.task?.id ?? 0;
  }

  cancel(): boolean {
    return this.task ? this.owner.cancelTask(this.task) : false;
  }

  get state(): 'queued' | 'running' | 'done' {
    return this.task ? this.owner.taskState(this.task) : 'done';
  }
}

interface WorkerState {
  index: number;
  worker: Worker;
  words: Int32Array;
  /** Its load gate (LOAD_GATE of `words`): closed before we terminate it (see load-gate.ts). */
  gate: Int32Array;
  results: ResultRingReader;
  /** Function definitions go out on it, results too big for the ring come back on it. */
  port: MessagePort;
  portResultsRead: number;
  exited: boolean;
  /** Called when the worker says its output is flushed (see `flushThenTerminate`). */
  flushed: (() => void) | undefined;
  /** Why we end it ourselves (terminate, abort grace, retire); its exit is then no crash. */
  endedOnPurpose: string | undefined;
  error: unknown;
  threadId: number;
}

/** @weft/codec's BUFFERS_CHANNEL: where it announces each SharedArrayBuffer it gives an id. */
const CODEC_BUFFERS_CHANNEL = 'weft:buffers';

/** How long `terminate()` waits for an idle worker to flush its output (see `flushThenTerminate`). */
const OUTPUT_FLUSH_MS = 200;

export class Engine {
  readonly processes: number;
  private readonly memory = createRingMemory();
  private readonly ring = new TaskRingWriter(this.memory);
  private readonly control = this.ring.control;
  private readonly tasks = new TaskTable<Task>();
  private readonly backlog: Task[] = [];
  private backlogStart = 0;
  private readonly workers: (WorkerState | undefined)[] = [];
  private readonly functionIds = new Map<TaskFunction, number>();
  private readonly definitions: [number, FunctionRef][] = [];
  private readonly resolving = new Set<TaskFunction>();
  private readonly brokenListeners = new Set<(error: Error) => void>();
  /** Workers not yet known to hear the codec's buffer announcements themselves (see forwardBuffers). */
  private readonly unheard: WorkerState[] = [];
  /** This thread's ear on those announcements while some worker is in `unheard`. */
  private relay: BroadcastChannel | undefined;
  /** Forwards and closes the relay even when no task is submitted (it would keep every announcement). */
  private relayTimer: NodeJS.Timeout | undefined;
  private nextTaskId = 1;
  private nextWorkerNumber = 1;
  private pumping = false;
  private submitsSinceDrain = 0;
  private readonly drainNow = () => this.drain();
  private referenced = false;
  private initializerRef: FunctionRef | undefined;
  private initargs: { tag: number; bytes: Uint8Array } | undefined;
  private ready: Promise<void>;
  private terminated = false;
  /** Set when the pool cannot run tasks any more. */
  broken: Error | undefined;

  constructor(private readonly options: EngineOptions) {
    const processes = options.processes ?? cpuCount();
    this.processes = processes;
    if (!options.initializer) {
      // Start the threads now: a worker takes tens of ms to boot, and the first task's function is
      // located meanwhile.
      this.ready = Promise.resolve();
      for (let i = 0; i < processes; i++) this.spawn(i);
      return;
    }
    const { initializer } = options;
    // The initializer is looked for in the module that called `new Pool` (this constructor runs within
    // that call: the stack still shows it).
    const caller = callerModule();
    const known = knownFunctionRef(initializer, caller);
    if (known) {
      // Known now (see knownFunctionRef): the workers start at once, as without an initializer, so a
      // main thread kept busy after `new Pool` does not hold them back. (Initargs that cannot cross
      // break the pool below, through the same path as before.)
      const initargs = encodeInitargs(options.initargs);
      if (initargs) {
        this.initializerRef = known;
        this.initargs = initargs;
        this.ready = Promise.resolve();
        for (let i = 0; i < processes; i++) this.spawn(i);
        return;
      }
    }
    this.ready = (async () => {
      this.initializerRef = await resolveFunctionRef(initializer, caller);
      this.initargs = detach(encodePayload([...(options.initargs ?? [])]));
    })();
    this.ready.then(
      () => {
        if (this.terminated) return;
        for (let i = 0; i < processes; i++) this.spawn(i);
        this.flushBacklog();
      },
      (error: unknown) =>
        this.breakPool(
          new BrokenPoolError(
            `the pool's initializer cannot be sent to a worker: ${String((error as Error).message ?? error)}`,
            { cause: error },
          ),
        ),
    );
  }

  /** Tasks submitted and not settled. */
  get outstanding(): number {
    return this.tasks.size;
  }

  /**
   * Queues `fn` for a worker. `mode` says how `payload` is applied (MODE_APPLY: fn(...payload),
   * MODE_MAP: fn(item) per item, MODE_STARMAP: fn(...item) per item).
   */
  submit<R>(fn: TaskFunction, mode: number, payload: unknown, options: SubmitOptions = {}): TaskHandle<R> {
    const deferred = new Deferred();
    const task = this.enqueue(fn, mode, payload, options, deferred);
    return new TaskRef<Task, R>(this, task, deferred.promise as Promise<R>);
  }

  /**
   * Like `submit`, but the outcome goes to `sink` and no Promise is made (for @weft/executor).
   * @throws as `enqueue`.
   */
  submitTo(
    sink: TaskSink,
    fn: TaskFunction,
    mode: number,
    payload: unknown,
    options: SubmitOptions,
    token?: unknown,
  ): TaskControl {
    return (
      this.enqueue(fn, mode, payload, options, sink, token) ?? new TaskRef<Task>(this, undefined, undefined)
    );
  }

  /** @internal (TaskRef) Withdraws a queued task with CancelledTask. */
  cancelTask(task: Task): boolean {
    return this.cancel(task, new CancelledTask());
  }

  /** @internal (TaskRef) */
  taskState(task: Task): 'queued' | 'running' | 'done' {
    if (task.phase === QUEUED && task.slot >= 0) {
      const slotState = this.ring.stateOf(task.slot, task.id);
      if (slotState === SLOT_CLAIMING || slotState === TAKEN) return 'running';
    }
    return task.phase === QUEUED ? 'queued' : task.phase === RUNNING ? 'running' : 'done';
  }

  /**
   * Queues a task whose outcome goes to `sink` (no Promise is made: the hot path of applyAsync).
   * @returns the task, or undefined when the pool is broken (the sink has been rejected).
   * @throws ValueError when the pool was terminated.
   */
  enqueue(
    fn: TaskFunction,
    mode: number,
    payload: unknown,
    options: SubmitOptions,
    sink: TaskSink,
    token?: unknown,
  ): Task | undefined {
    if (this.broken) {
      sink.reject(this.broken, token);
      return undefined;
    }
    if (this.terminated) throw new ValueError('Pool not running');
    const id = this.functionIds.get(fn);
    const direct = id !== undefined && this.backlogStart === this.backlog.length && this.workers.length > 0;
    // Read before encoding (see forwardBuffers): a worker heard as of now hears what the encoding announces.
    const forward = this.unheard.length > 0;
    // Encoded before anything is queued: a value that cannot cross throws here, naming its path.
    const root = mode === MODE_APPLY ? 'args' : 'items';
    const encoded = direct ? encodePayloadTransient(payload, root) : encodePayload(payload, root);
    if (forward && encoded.tag === TAG_CODEC) this.forwardBuffers();
    const task = new Task(this, this.nextTaskId++, fn, mode, encoded, sink, token);
    if (options.onStart) task.extra().onStart = options.onStart;
    if (this.nextTaskId > 0x7fffffff) this.nextTaskId = 1;
    this.tasks.set(task);
    if (options.signal || options.timeout !== undefined) this.watch(task, options);
    if (direct) {
      task.functionId = id;
      this.publish(task);
    } else {
      this.backlog.push(task);
      if (id !== undefined) task.functionId = id;
      else this.resolve(fn);
      this.flushBacklog();
    }
    this.startPump();
    // A burst of submits (a loop of 100,000) does not let the pump run until it ends. Draining here
    // every few hundred tasks settles the ones the workers have finished meanwhile, so that their task
    // objects and their promises' resolving functions die young: left pending until the burst ends,
    // every young-generation collection copies them (a third of the main thread's time in the bench).
    if (++this.submitsSinceDrain >= DRAIN_EVERY) {
      this.submitsSinceDrain = 0;
      settlingInline(this.drainNow);
    }
    return task;
  }

  /** Registers a listener for the pool breaking (initializer failed, or a worker died with `breakOnWorkerDeath`). */
  onBroken(listener: (error: Error) => void): () => void {
    if (this.broken) {
      const broken = this.broken;
      queueMicrotask(() => listener(broken));
    }
    this.brokenListeners.add(listener);
    return () => this.brokenListeners.delete(listener);
  }

  private resolve(fn: TaskFunction): void {
    if (this.resolving.has(fn)) return;
    // Known now (as it is for most functions): defined and published before this thread yields, so
    // the workers start on them even if the caller then keeps the main thread busy.
    const caller = callerModule();
    const known = knownFunctionRef(fn, caller);
    if (known) {
      this.define(fn, known);
      return;
    }
    this.resolving.add(fn);
    const found = resolveFunctionRef(fn, caller);
    found.then(
      (ref) => {
        this.resolving.delete(fn);
        this.define(fn, ref);
        this.flushBacklog();
      },
      (error: unknown) => {
        this.resolving.delete(fn);
        for (const task of this.backlog.slice(this.backlogStart)) {
          if (task.fn === fn && task.functionId === 0) this.settle(task, false, error);
        }
        this.flushBacklog();
      },
    );
  }

  /**
   * A new worker hears the codec's buffer announcements only once it opens its channel (worker.ts,
   * `listenForBuffers`), some 30 ms after `new Worker()`; what was announced before and after the
   * snapshot it got at spawn is missed, and decoding a task that names such a buffer would ask the other
   * threads for it, which only a thread whose event loop is free answers: not a main thread kept busy
   * right after submitting (the pool would idle). So this thread listens too while a worker starts, and
   * passes what it heard to that worker's port, ahead of the task that needs it (called after encoding a
   * task with codec bytes). A worker that has set BUFFERS_HEARD is sent a last message and dropped.
   */
  private forwardBuffers(): void {
    const relay = this.relay;
    if (!relay) return;
    const entries: unknown[] = [];
    for (let m = receiveMessageOnPort(relay as never); m; m = receiveMessageOnPort(relay as never)) {
      entries.push((m as { message: unknown }).message);
    }
    for (let i = this.unheard.length - 1; i >= 0; i--) {
      const worker = this.unheard[i]!;
      const last = worker.exited || Atomics.load(worker.words, BUFFERS_HEARD) === 1;
      if (!worker.exited && (entries.length > 0 || last)) worker.port.postMessage({ buffers: entries, last });
      if (last) this.unheard.splice(i, 1);
    }
    if (this.unheard.length === 0) this.closeRelay();
  }

  private closeRelay(): void {
    this.relay?.close();
    this.relay = undefined;
    clearInterval(this.relayTimer);
    this.relayTimer = undefined;
  }

  private define(fn: TaskFunction, ref: FunctionRef): number {
    const existing = this.functionIds.get(fn);
    if (existing !== undefined) return existing;
    const id = this.definitions.length + 1;
    this.definitions.push([id, ref]);
    this.functionIds.set(fn, id);
    for (const worker of this.workers) if (worker && !worker.exited) worker.port.postMessage([id, ref]);
    for (let i = this.backlogStart; i < this.backlog.length; i++) {
      const task = this.backlog[i]!;
      if (task.fn === fn) task.functionId = id;
    }
    return id;
  }

  /** Publishes waiting tasks in order until one must wait (unresolved function, full ring). */
  private flushBacklog(): void {
    if (this.workers.length === 0) return;
    while (this.backlogStart < this.backlog.length) {
      const task = this.backlog[this.backlogStart]!;
      if (task.phase !== QUEUED) {
        this.backlogStart++;
        continue;
      }
      if (task.functionId === 0) {
        if (!this.resolving.has(task.fn)) this.resolve(task.fn);
        break;
      }
      if (!this.publish(task)) break;
      this.backlogStart++;
    }
    if (this.backlogStart === this.backlog.length) {
      this.backlog.length = 0;
      this.backlogStart = 0;
    } else if (this.backlogStart > 4096) {
      this.backlog.splice(0, this.backlogStart);
      this.backlogStart = 0;
    }
  }

  /** Puts a task into the ring; false if it must wait for space. */
  private publish(task: Task): boolean {
    const encoded = task.payload!;
    let slot: number;
    try {
      const flags = task.onStart ? FLAG_REPORT_START : 0;
      slot = this.ring.publish(task.id, task.functionId, task.mode, flags, encoded);
      // Full: free the slots workers have taken meanwhile (cheap, and it settles nothing) and retry.
      if (slot < 0 && this.ring.reclaim() > 0)
        slot = this.ring.publish(task.id, task.functionId, task.mode, flags, encoded);
    } catch (error) {
      this.settle(task, false, error);
      return true;
    }
    if (slot < 0) {
      task.payload = keepEncoded(encoded);
      if (this.backlogStart === this.backlog.length || this.backlog[this.backlogStart] !== task)
        this.backlog.push(task);
      return false;
    }
    task.slot = slot;
    task.payload = undefined;
    return true;
  }

  private watch(task: Task, options: SubmitOptions): void {
    const { signal, timeout } = options;
    if (signal) {
      if (signal.aborted) {
        queueMicrotask(() => this.abortTask(task, abortError(signal)));
      } else {
        const onAbort = () => this.abortTask(task, abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        task.extra().cleanup = () => signal.removeEventListener('abort', onAbort);
      }
    }
    if (timeout !== undefined) {
      if (!(timeout >= 0))
        throw new ValueError(`timeout must be a number of milliseconds >= 0, got ${timeout}`);
      task.extra().timer = setTimeout(
        () => this.abortTask(task, new TimeoutError(`the task did not finish within ${timeout} ms`)),
        timeout,
      );
    }
  }

  /** Withdraws a queued task; true if it was still queued. */
  private cancel(task: Task, reason: Error): boolean {
    if (task.phase !== QUEUED) return false;
    if (task.slot >= 0) {
      if (!this.ring.cancel(task.slot, task.id)) return false;
    }
    this.settle(task, false, reason);
    return true;
  }

  private abortTask(task: Task, reason: Error): void {
    if (task.phase === DONE) return;
    if (this.cancel(task, reason)) return;
    // Running: settle now, tell the task, and replace its worker if it does not stop in time.
    const worker = this.workerRunning(task.id);
    this.settle(task, false, reason);
    if (!worker) return;
    worker.worker.postMessage({ type: 'abort', taskId: task.id, reason: reason.message });
    const grace = this.options.abortGraceMs ?? 1000;
    const stillRunning = () => !worker.exited && Atomics.load(worker.words, CURRENT) === task.id;
    setTimeout(() => {
      if (!stillRunning()) return;
      void this.terminateWorker(worker, () => {
        const still = stillRunning();
        if (still) worker.endedOnPurpose = 'abort';
        return still;
      });
    }, grace).unref();
  }

  private workerRunning(taskId: number): WorkerState | undefined {
    for (const worker of this.workers) {
      if (worker && !worker.exited && Atomics.load(worker.words, CURRENT) === taskId) return worker;
    }
    return undefined;
  }

  private settle(task: Task, ok: boolean, value: unknown): void {
    if (task.phase === DONE) return;
    if (task.onStart && !task.started) {
      task.started = true;
      callSafely(task.onStart);
    }
    task.phase = DONE;
    this.tasks.delete(task.id);
    const extras = task.extras;
    if (extras) {
      if (extras.timer) clearTimeout(extras.timer);
      extras.cleanup?.();
    }
    if (ok) task.sink.resolve(value, task.token);
    else task.sink.reject(value, task.token);
    if (this.tasks.size === 0) {
      this.setReferenced(false);
      const waiters = this.idleWaiters.splice(0);
      for (const wake of waiters) wake();
    }
  }

  private readonly idleWaiters: (() => void)[] = [];

  private setReferenced(on: boolean): void {
    if (this.referenced === on) return;
    this.referenced = on;
    for (const worker of this.workers) {
      if (!worker || worker.exited) continue;
      if (on) worker.worker.ref();
      else worker.worker.unref();
    }
  }

  /** Keeps draining results while tasks are outstanding; parks on RESULTS between batches. */
  private startPump(): void {
    this.setReferenced(true);
    if (this.pumping) return;
    this.pumping = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    const c = this.control;
    try {
      while (this.tasks.size > 0 && !this.terminated) {
        const seen = Atomics.load(c, RESULTS);
        this.drain();
        if (this.tasks.size === 0 || this.terminated) break;
        Atomics.store(c, MAIN_PARKED, 1);
        if (Atomics.load(c, RESULTS) !== seen) {
          Atomics.store(c, MAIN_PARKED, 0);
          continue;
        }
        await waitAsync(c, RESULTS, seen, 1000, { spin: 0 });
        Atomics.store(c, MAIN_PARKED, 0);
      }
    } finally {
      this.pumping = false;
    }
    if (this.tasks.size > 0 && !this.terminated) this.startPump();
  }

  /** Reads every published result, settles tasks, frees slots, publishes waiting tasks. */
  drain(): void {
    for (const worker of this.workers) if (worker) this.drainWorker(worker);
    if (this.ring.reclaim() > 0 || this.backlogStart < this.backlog.length) this.flushBacklog();
  }

  private drainWorker(worker: WorkerState): void {
    worker.results.drain(this.visit);
    const posted = Atomics.load(worker.words, PORT_RESULTS);
    while (worker.portResultsRead !== posted) {
      const message = receiveMessageOnPort(worker.port);
      if (!message) break;
      worker.portResultsRead++;
      const [taskId, kind, tag, bytes] = message.message as [number, number, number, Uint8Array];
      this.handleResult(taskId, kind, undefined, 0, bytes.byteLength, tag, bytes);
    }
  }

  private readonly visit = (
    taskId: number,
    kind: number,
    views: MemoryViews,
    offset: number,
    size: number,
    tag: number,
  ) => {
    this.handleResult(taskId, kind, views, offset, size, tag, undefined);
  };

  private handleResult(
    taskId: number,
    kind: number,
    views: MemoryViews | undefined,
    offset: number,
    size: number,
    tag: number,
    bytes: Uint8Array | undefined,
  ): void {
    const task = this.tasks.get(taskId);
    if (!task) return;
    if (kind === RESULT_STARTED) {
      if (task.phase === QUEUED) task.phase = RUNNING;
      if (task.onStart && !task.started) {
        task.started = true;
        callSafely(task.onStart);
      }
      return;
    }
    let value: unknown;
    try {
      value = views ? readPayload(views, offset, size, tag) : decodeDetached(tag, bytes!);
    } catch (error) {
      this.settle(task, false, error);
      return;
    }
    if (kind === RESULT_OK) {
      this.settle(task, true, value);
    } else if (kind === RESULT_ERROR) this.settle(task, false, rebuildError(value as ErrorDescription));
  }

  private spawn(index: number): void {
    const number = this.nextWorkerNumber++;
    const words = new SharedArrayBuffer(WORKER_WORDS * 4);
    const results = createResultRing();
    // One channel, both ways: definitions to the worker, oversized results back.
    const channel = new MessageChannel();
    if (!this.relay) {
      // Opened before the snapshot below is taken: together they cover every announcement.
      this.relay = new BroadcastChannel(CODEC_BUFFERS_CHANNEL);
      this.relay.unref();
      this.relayTimer = setInterval(() => this.forwardBuffers(), 20);
      this.relayTimer.unref();
    }
    const info: ProcessInfo = {
      name: this.options.workerName?.(number - 1) ?? `${this.options.namePrefix ?? 'PoolWorker'}-${number}`,
      pid: process.pid,
      ident: 0,
      daemon: true,
      context: 'thread',
    };
    const data: PoolWorkerData = {
      kind: 'pool',
      info,
      parent: runtime().current,
      control: this.memory.control,
      arena: this.memory.arena,
      results,
      words,
      definitions: this.definitions,
      port: channel.port2,
      initializer: this.initializerRef,
      initargs: this.initargs,
      maxTasks: this.options.maxtasksperchild ?? 0,
      codecSnapshot: codecSnapshot(),
      codec: codecSource(),
    };
    const worker = new Worker(workerFile, {
      workerData: data,
      transferList: [channel.port2],
      name: info.name,
      env: process.env,
      ...OWN_OUTPUT,
    });
    forwardOutput(worker);
    info.ident = worker.threadId;
    const state: WorkerState = {
      index,
      worker,
      words: new Int32Array(words),
      gate: new Int32Array(words, LOAD_GATE * 4, 1),
      results: new ResultRingReader(results),
      port: channel.port1,
      portResultsRead: 0,
      exited: false,
      flushed: undefined,
      endedOnPurpose: undefined,
      error: undefined,
      threadId: worker.threadId,
    };
    this.workers[index] = state;
    this.unheard.push(state);
    trackLoadGate(state.gate);
    if (!this.referenced) worker.unref();
    worker.on('message', (message: { type: string; error?: ErrorDescription }) => {
      if (message.type === 'flushed') state.flushed?.();
      else if (message.type === 'initializer-failed' && message.error) {
        state.endedOnPurpose = 'initializer';
        const cause = rebuildError(message.error);
        this.breakPool(
          new BrokenPoolError(`the pool initializer failed in a worker: ${cause.message}`, { cause }),
        );
      }
    });
    worker.on('error', (error) => {
      state.error = error;
    });
    worker.on('exit', (code) => this.onExit(state, code));
  }

  private onExit(state: WorkerState, code: number): void {
    state.exited = true;
    untrackLoadGate(state.gate);
    // A worker ended while counted as looking: take it off, or tasks would wait for it forever.
    if (Atomics.exchange(state.words, LOOKING_FLAG, 0) === 1) Atomics.sub(this.control, LOOKING, 1);
    // It may have died parked, with a wake-up meant for it pending: let the next publish notify.
    Atomics.store(this.control, WAKING, 0);
    this.drainWorker(state);
    const why = state.endedOnPurpose;
    const crash = () =>
      new WorkerCrashedError(
        `worker ${state.threadId} died (exit code ${code}) while running this task` +
          (state.error ? `: ${String((state.error as Error).message ?? state.error)}` : ''),
        state.error === undefined ? undefined : { cause: state.error },
      );
    const current = Atomics.load(state.words, CURRENT);
    const currentTask = current ? this.tasks.get(current) : undefined;
    if (currentTask) this.settle(currentTask, false, this.terminated ? terminatedError() : crash());
    if (Atomics.load(state.words, CLAIMING) === 1) {
      const slot = Atomics.load(state.words, CLAIM_SLOT);
      for (const task of this.tasks.values()) {
        if (task.slot === slot && task.phase !== DONE) {
          const slotState = this.ring.stateOf(slot, task.id);
          if (slotState === FILLED || slotState === SLOT_CLAIMING) {
            this.ring.abandon(slot);
            this.settle(task, false, crash());
          }
        }
      }
    }
    this.ring.reclaim();
    if (this.terminated || this.broken) return;
    if (why === undefined && this.options.initializer && Atomics.load(state.words, INITIALIZED) === 0) {
      // Its initializer ended the worker (process.exit) or killed it: a new worker would do the same,
      // forever. Break the pool, as a failing initializer does.
      this.breakPool(
        new BrokenPoolError(
          `the pool initializer ${this.initializerRef?.display ?? ''} ended its worker (exit code ${code}) ` +
            'before it returned' +
            (state.error ? `: ${String((state.error as Error).message ?? state.error)}` : ''),
          state.error === undefined ? undefined : { cause: state.error },
        ),
      );
      return;
    }
    if (why === undefined && this.options.breakOnWorkerDeath && code !== 0) {
      this.breakPool(
        new BrokenPoolError(`a worker died unexpectedly (exit code ${code})`, {
          cause: state.error ?? crash(),
        }),
      );
      return;
    }
    if (why === 'initializer' || (why === 'shutdown' && this.closing)) return;
    if (this.closing && this.tasks.size === 0) return;
    this.spawn(state.index);
    this.flushBacklog();
  }

  private closing = false;

  private breakPool(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    for (const task of [...this.tasks.values()]) this.settle(task, false, error);
    for (const listener of this.brokenListeners) callSafely(() => listener(error));
    void this.stopWorkers();
  }

  /** Stops accepting work; `join()` then waits for the queued tasks and the workers. */
  close(): void {
    this.closing = true;
  }

  /** Waits for all tasks, then lets the workers exit. */
  async join(): Promise<void> {
    while (this.tasks.size > 0 && !this.terminated && !this.broken) {
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
      });
    }
    await this.stopWorkers();
  }

  /** Ends the workers now; every task not settled rejects. */
  async terminate(): Promise<void> {
    if (this.terminated) return this.stopWorkers();
    this.terminated = true;
    this.closing = true;
    const unfinished = new Set<number>();
    for (const task of [...this.tasks.values()]) {
      unfinished.add(task.id);
      this.settle(task, false, terminatedError());
    }
    this.backlog.length = 0;
    this.backlogStart = 0;
    await this.stopWorkers(true, unfinished);
  }

  get isTerminated(): boolean {
    return this.terminated;
  }

  /** Ends the workers: `now` (terminate) or after their current task; `unfinished`: see `flushThenTerminate`. */
  private async stopWorkers(now = false, unfinished: ReadonlySet<number> = new Set()): Promise<void> {
    await this.ready.catch(() => {});
    this.unheard.length = 0;
    this.closeRelay();
    Atomics.store(this.control, SHUTDOWN, 1);
    const exits: Promise<unknown>[] = [];
    for (const state of this.workers) {
      if (!state || state.exited) continue;
      state.endedOnPurpose ??= 'shutdown';
      state.worker.ref(); // keep this process alive until the workers are gone
      exits.push(new Promise((resolve) => state.worker.once('exit', resolve)));
      if (now) void this.flushThenTerminate(state, unfinished);
      else state.worker.postMessage({ type: 'shutdown' });
    }
    await Promise.all(exits);
  }

  /**
   * Terminates a worker for `terminate()`. A worker's output reaches this thread through its port, after
   * its results (shared memory), so what the last tasks printed may still be on the way: a worker that
   * has run tasks is first asked to flush it (Python's workers write to the terminal directly, so their
   * output is out when their results are). Not one that is running a task left `unfinished` (it could
   * not answer before that task ends): like a worker silent past OUTPUT_FLUSH_MS, it is terminated at
   * once, as Python does. (A worker whose task's result has arrived may not have cleared CURRENT yet.)
   */
  private async flushThenTerminate(state: WorkerState, unfinished: ReadonlySet<number>): Promise<void> {
    const current = Atomics.load(state.words, CURRENT);
    const ranTasks = current !== 0 || Atomics.load(state.words, TASKS_DONE) > 0;
    if (ranTasks && !unfinished.has(current)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, OUTPUT_FLUSH_MS);
        state.flushed = () => {
          clearTimeout(timer);
          resolve();
        };
        state.worker.postMessage({ type: 'flush' });
      });
    }
    await this.terminateWorker(state);
  }

  /**
   * `worker.terminate()`, once the worker is not inside a synchronous module load (load-gate.ts), if
   * `stillWanted()` then (the task it was to stop may have ended meanwhile: the gate opens again).
   */
  private async terminateWorker(state: WorkerState, stillWanted = () => true): Promise<void> {
    await closeLoadGate(state.gate);
    if (stillWanted()) await state.worker.terminate();
    else reopenLoadGate(state.gate);
  }

  /** Live worker threads (for tests and `activeChildren`). */
  get threads(): readonly Worker[] {
    return this.workers.filter((w): w is WorkerState => w !== undefined && !w.exited).map((w) => w.worker);
  }
}

/** The initializer's arguments, encoded; undefined if they cannot cross (the caller reports it). */
function encodeInitargs(
  initargs: readonly unknown[] | undefined,
): { tag: number; bytes: Uint8Array } | undefined {
  try {
    return detach(encodePayload([...(initargs ?? [])]));
  } catch {
    return undefined;
  }
}

/** @internal The error of a task the pool was terminated under (both engines). */
export function terminatedError(): Error {
  return new TaskAbortedError('the pool was terminated before this task finished');
}

/** @internal The error of a task whose signal aborted: the reason if it is an Error (both engines). */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new TaskAbortedError(`the task was aborted${reason === undefined ? '' : `: ${String(reason)}`}`, {
    cause: reason,
  });
}
