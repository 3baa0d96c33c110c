/**
 * The pool engine for `context: 'process'`: workers are child processes (`child_process.fork`).
 *
 * Shared memory cannot cross a process boundary in Node, so here the main thread pushes tasks to a
 * child over its IPC channel (a window of them in flight per child, sized to the child's task
 * durations) and the child sends the results back. Both sides gather what they send during a turn
 * of the event loop into one message: a message costs far more than a tiny task. Values cross as @weft/codec bytes; functions by module URL and export name, as for
 * threads. Crashes, timeouts, aborts, maxtasksperchild and `breakOnWorkerDeath` behave as in the
 * thread engine.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { callSafely } from './callbacks.js';
import { cpuCount } from './cpu-count.js';
import {
  abortError,
  type EngineOptions,
  type SubmitOptions,
  type TaskControl,
  type TaskHandle,
  TaskRef,
  type TaskSink,
  terminatedError,
} from './engine.js';
import { type CodecSource, codecSource, workerFile } from './entries.js';
import { BrokenPoolError, CancelledTask, TimeoutError, ValueError, WorkerCrashedError } from './errors.js';
import { callerModule, type FunctionRef, resolveFunctionRef, type TaskFunction } from './function-ref.js';
import { decodeDetached, encodeDetached, TAG_CODEC } from './payload.js';
import { checkReachesChildProcess, holdsPipeEnds, replacePipeEnds } from './process-args.js';
import { closeServedObjects, holdServer, mayHoldPrimitives, shareForChild } from './remote-args.js';
import { type ErrorDescription, rebuildError } from './remote-error.js';
import { RESULT_ERROR, RESULT_OK, RESULT_STARTED } from './result-ring.js';
import { type ProcessInfo, runtime } from './runtime.js';
import { TaskTable } from './task-table.js';
import { MODE_APPLY, RESULT_META } from './worker-words.js';

/**
 * Tasks sent ahead to a child, so it never waits for the main thread between two tasks: at least
 * MIN_WINDOW, and as many as fill about WINDOW_MS of the child's time at the task durations it
 * reports (up to MAX_WINDOW). Long tasks thus stay spread over the children, while tiny tasks
 * travel by the hundred, in one message each way, instead of one round trip per task.
 */
const MIN_WINDOW = 2;
const MAX_WINDOW = 512;
const WINDOW_MS = 2;

/** How long a child's last messages may take to arrive after it exited (see `spawn`). */
const EXIT_MESSAGES_MS = 1000;

const QUEUED = 0;
const SENT = 1;
const DONE = 2;

/** What the parent sends a pool child. */
export type ChildPoolMessage =
  | {
      type: 'init';
      info: ProcessInfo;
      parent: ProcessInfo;
      initializer: FunctionRef | undefined;
      initargs: { tag: number; bytes: Uint8Array } | undefined;
      maxTasks: number;
      codec: CodecSource;
    }
  | { type: 'define'; id: number; ref: FunctionRef }
  | {
      /** Tasks in one message: TASK_META numbers each in `meta`, payloads packed in `data`. */
      type: 'tasks';
      defines: [number, FunctionRef][] | undefined;
      meta: number[];
      data: Uint8Array;
    }
  | { type: 'abort'; id: number; reason: string }
  | { type: 'shutdown' };

/** What a pool child sends back. */
export type ChildPoolReply =
  | {
      /** Results in one message: RESULT_META numbers each in `meta`, payloads packed in `data`. */
      type: 'results';
      meta: number[];
      data: Uint8Array;
      /** Milliseconds the child spent running the tasks of finished results in this message. */
      busy: number;
    }
  | { type: 'initializer-failed'; error: ErrorDescription }
  /** The pool's initializer returned in the child (sent only when there is one). */
  | { type: 'initialized' }
  /** Sent last before a child exits; its delivery means every earlier reply was delivered. */
  | { type: 'flush' }
  /** Sent as the child process exits, however it does: the task it was running (0: none). */
  | { type: 'exiting'; running: number };

class ProcessTask {
  state = QUEUED;
  /** False while weft primitives in the payload are being served for the child. */
  prepared = true;
  child: ChildState | undefined;
  started = false;
  timer: NodeJS.Timeout | undefined;
  cleanup: (() => void) | undefined;
  /** References to the server's copies of pipe ends in the payload: closed when the task settles. */
  servedEnds: unknown[] | undefined;
  constructor(
    readonly id: number,
    readonly fn: TaskFunction,
    readonly mode: number,
    /** Encoded at submission; re-encoded once weft primitives in it are served (see `prepared`). */
    public payload: { tag: number; bytes: Uint8Array },
    readonly onStart: (() => void) | undefined,
    readonly sink: TaskSink,
    readonly token: unknown,
  ) {}
}

interface ChildState {
  index: number;
  child: ChildProcess;
  inFlight: Set<ProcessTask>;
  /** Ids of tasks sent and not answered yet, including aborted ones a child may still be running. */
  unanswered: Set<number>;
  /** Aborted tasks the child has not answered: it may never, so it gets no more tasks meanwhile. */
  aborted: Set<number>;
  defined: Set<number>;
  sent: number;
  exited: boolean;
  endedOnPurpose: string | undefined;
  /** Its initializer returned: a child that ends before is an initializer that failed (breaks the pool). */
  initialized: boolean;
  /** Tasks sent ahead allowed now (see MIN_WINDOW). */
  window: number;
  /** Average milliseconds per task, as the child reports (undefined until it has). */
  taskMs: number | undefined;
  /** The next batch, sent at the end of this turn (flush). */
  outbox: Batch | undefined;
  /** What the child said it was running as it exited (undefined: it could not say, e.g. SIGKILL). */
  runningAtExit: number | undefined;
}

/** Tasks for one child, gathered during a turn of the event loop and sent as one message. */
class Batch {
  defines: [number, FunctionRef][] | undefined = undefined;
  readonly meta: number[] = [];
  private data = new Uint8Array(256);
  private size = 0;

  add(task: ProcessTask, functionId: number): void {
    const bytes = task.payload.bytes;
    // 8-byte aligned, so that the child reads numbers in place
    const offset = (this.size + 7) & ~7;
    const end = offset + bytes.byteLength;
    if (end > this.data.byteLength) {
      const grown = new Uint8Array(Math.max(end, this.data.byteLength * 2));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    }
    this.data.set(bytes, offset);
    this.size = end;
    this.meta.push(
      task.id,
      functionId,
      task.mode,
      task.payload.tag,
      offset,
      bytes.byteLength,
      task.onStart ? 1 : 0,
    );
  }

  message(): ChildPoolMessage {
    return { type: 'tasks', defines: this.defines, meta: this.meta, data: this.data.subarray(0, this.size) };
  }
}

export class ProcessEngine {
  readonly processes: number;
  broken: Error | undefined;
  private readonly queue: ProcessTask[] = [];
  private queueHead = 0;
  private readonly tasks = new TaskTable<ProcessTask>();
  private readonly children: (ChildState | undefined)[] = [];
  private readonly functionIds = new Map<TaskFunction, number>();
  private readonly refs = new Map<number, FunctionRef>();
  private readonly resolving = new Map<TaskFunction, Promise<number>>();
  private readonly brokenListeners = new Set<(error: Error) => void>();
  private readonly idleWaiters: (() => void)[] = [];
  private nextTaskId = 1;
  private nextChildNumber = 1;
  private terminated = false;
  private closing = false;
  private referenced = false;
  private initializerRef: FunctionRef | undefined;
  private initargs: { tag: number; bytes: Uint8Array } | undefined;
  private readonly ready: Promise<void>;
  /** Held while this pool may have served weft primitives to its children. */
  private releaseServer: (() => void) | undefined;

  constructor(private readonly options: EngineOptions) {
    this.processes = options.processes ?? cpuCount();
    // The initializer is looked for in the module that called `new Pool` (still on the stack here).
    const caller = options.initializer ? callerModule() : undefined;
    this.ready = (async () => {
      if (options.initializer) {
        this.initializerRef = await resolveFunctionRef(options.initializer, caller);
        this.initargs = encodeDetached([...(options.initargs ?? [])]);
      }
    })();
    this.ready.then(
      () => {
        if (this.terminated) return;
        for (let i = 0; i < this.processes; i++) this.spawn(i);
        this.dispatch();
      },
      (error: unknown) =>
        this.breakPool(
          new BrokenPoolError(`the pool's initializer cannot be sent to a child: ${String(error)}`, {
            cause: error,
          }),
        ),
    );
  }

  submit<R>(fn: TaskFunction, mode: number, payload: unknown, options: SubmitOptions = {}): TaskHandle<R> {
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const task = this.enqueue(fn, mode, payload, options, { resolve, reject });
    return new TaskRef<ProcessTask, R>(this, task, promise as Promise<R>);
  }

  /** Like `submit`, but the outcome goes to `sink` and no Promise is made (for @weft/executor). */
  submitTo(
    sink: TaskSink,
    fn: TaskFunction,
    mode: number,
    payload: unknown,
    options: SubmitOptions,
    token?: unknown,
  ): TaskControl {
    return new TaskRef<ProcessTask>(this, this.enqueue(fn, mode, payload, options, sink, token), undefined);
  }

  /** @internal (TaskRef) Withdraws a queued task with CancelledTask. */
  cancelTask(task: ProcessTask): boolean {
    return this.cancel(task, new CancelledTask());
  }

  /** @internal (TaskRef) */
  taskState(task: ProcessTask): 'queued' | 'running' | 'done' {
    if (task.state === DONE) return 'done';
    return task.state === QUEUED ? 'queued' : 'running';
  }

  enqueue(
    fn: TaskFunction,
    mode: number,
    payload: unknown,
    options: SubmitOptions,
    sink: TaskSink,
    token?: unknown,
  ): ProcessTask | undefined {
    if (this.broken) {
      sink.reject(this.broken, token);
      return undefined;
    }
    if (this.terminated) throw new ValueError('Pool not running');
    // Encoded before anything is queued: a value that cannot cross throws here, naming its path. With
    // weft primitives inside, these bytes only prove that the rest can cross: the primitives are
    // served to the child first, and the payload is encoded again with references to them.
    const root = mode === MODE_APPLY ? 'args' : 'items';
    const primitives = mayHoldPrimitives(payload);
    // Encoding a pipe end counts an open copy of it: the check leaves ends out, and the task gets
    // copies of its own, made now (the caller may close its copy once submit returns).
    const ends = primitives && holdsPipeEnds(payload);
    const encoded = encodeDetached(ends ? replacePipeEnds(payload, () => null) : payload, root);
    if (encoded.tag === TAG_CODEC) checkReachesChildProcess(payload, root);
    const endCopies: { close(): void }[] = [];
    if (ends) {
      try {
        payload = replacePipeEnds(payload, (end) => {
          const copy = encodeDetached(end, root);
          const made = decodeDetached(copy.tag, copy.bytes) as { close(): void };
          endCopies.push(made);
          return made;
        });
      } catch (error) {
        for (const made of endCopies) made.close();
        throw error;
      }
    }
    const task = new ProcessTask(this.nextTaskId++, fn, mode, encoded, options.onStart, sink, token);
    this.tasks.set(task);
    this.queue.push(task);
    this.watch(task, options);
    if (primitives) {
      this.releaseServer ??= holdServer();
      task.prepared = false;
      const copies = new Set<object>(endCopies);
      const onServed = (target: object, ref: unknown) => {
        if (!copies.has(target)) return;
        task.servedEnds ??= [];
        task.servedEnds.push(ref);
      };
      shareForChild(payload, onServed)
        .then(
          (shared) => {
            try {
              task.payload = encodeDetached(shared, root);
            } catch (error) {
              this.settle(task, false, error);
            }
            task.prepared = true;
            // settled meanwhile (cancelled, aborted): its ends' copies close now
            if (task.state === DONE) this.closeServedEnds(task);
            this.dispatch();
          },
          (error: unknown) => {
            this.settle(task, false, error);
            this.dispatch();
          },
        )
        .finally(() => {
          // the server holds its own copy of each end now (or the task will never run)
          for (const made of endCopies) made.close();
        });
    }
    if (!this.functionIds.has(fn) && !this.resolving.has(fn)) {
      const caller = callerModule();
      const resolving = resolveFunctionRef(fn, caller).then((ref) => {
        const id = this.refs.size + 1;
        this.refs.set(id, ref);
        this.functionIds.set(fn, id);
        return id;
      });
      this.resolving.set(fn, resolving);
      resolving.then(
        () => {
          this.resolving.delete(fn);
          this.dispatch();
        },
        (error: unknown) => {
          this.resolving.delete(fn);
          for (const waiting of this.queue.slice(this.queueHead))
            if (waiting.fn === fn) this.settle(waiting, false, error);
          this.dispatch();
        },
      );
    }
    this.setReferenced(true);
    this.dispatch();
    return task;
  }

  onBroken(listener: (error: Error) => void): () => void {
    if (this.broken) {
      const broken = this.broken;
      queueMicrotask(() => listener(broken));
    }
    this.brokenListeners.add(listener);
    return () => this.brokenListeners.delete(listener);
  }

  /** Sends queued tasks, in order, to children with room (gathered per child, see `flush`). */
  private dispatch(): void {
    while (this.queueHead < this.queue.length) {
      const task = this.queue[this.queueHead]!;
      if (task.state !== QUEUED) {
        this.shiftQueue();
        continue;
      }
      const functionId = this.functionIds.get(task.fn);
      if (functionId === undefined || !task.prepared) return;
      const child = this.childWithRoom();
      if (!child) return;
      this.shiftQueue();
      let batch = child.outbox;
      if (!batch) {
        batch = new Batch();
        child.outbox = batch;
        this.scheduleFlush();
      }
      if (!child.defined.has(functionId)) {
        child.defined.add(functionId);
        batch.defines ??= [];
        batch.defines.push([functionId, this.refs.get(functionId)!]);
      }
      // The first tasks of a child go out at once, as they did one message each: a caller that
      // submits and then blocks this thread still has them running. The rest wait for the end of
      // this turn (they would otherwise have waited for results, which need the event loop too).
      const eager = child.unanswered.size < MIN_WINDOW;
      task.state = SENT;
      task.child = child;
      child.inFlight.add(task);
      child.unanswered.add(task.id);
      child.sent++;
      batch.add(task, functionId);
      if (eager) this.flush(child);
    }
  }

  /** Takes the head of the queue (an index moves: `shift()` of a long array copies it). */
  private shiftQueue(): void {
    this.queue[this.queueHead++] = undefined as unknown as ProcessTask;
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
      this.queueHead = 0;
    } else if (this.queueHead >= 4096 && this.queueHead * 2 >= this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private flushScheduled = false;

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      for (const child of this.children) if (child) this.flush(child);
    });
  }

  /** Sends the child's gathered tasks, if any (before anything else is sent to it, to keep order). */
  private flush(child: ChildState): void {
    const batch = child.outbox;
    if (!batch) return;
    child.outbox = undefined;
    if (child.exited) return;
    child.child.send(batch.message());
  }

  private childWithRoom(): ChildState | undefined {
    const limit = this.options.maxtasksperchild ?? 0;
    let best: ChildState | undefined;
    for (const child of this.children) {
      if (!child || child.exited || child.endedOnPurpose) continue;
      if (child.unanswered.size >= child.window || child.aborted.size > 0) continue;
      if (limit > 0 && child.sent >= limit) continue;
      if (!best || child.unanswered.size < best.unanswered.size) best = child;
    }
    return best;
  }

  private spawn(index: number): void {
    const number = this.nextChildNumber++;
    const child = fork(workerFile, [], {
      execArgv: process.execArgv,
      env: { ...process.env, WEFT_POOL_CHILD: '1' },
      serialization: 'advanced',
      stdio: 'inherit',
    });
    const state: ChildState = {
      index,
      child,
      inFlight: new Set(),
      unanswered: new Set(),
      aborted: new Set(),
      defined: new Set(),
      sent: 0,
      exited: false,
      endedOnPurpose: undefined,
      initialized: false,
      window: MIN_WINDOW,
      taskMs: undefined,
      outbox: undefined,
      runningAtExit: undefined,
    };
    this.children[index] = state;
    const info: ProcessInfo = {
      name: `${this.options.namePrefix ?? 'PoolWorker'}-${number}`,
      pid: child.pid ?? 0,
      ident: child.pid ?? 0,
      daemon: true,
      context: 'process',
    };
    child.send({
      type: 'init',
      info,
      parent: runtime().current,
      initializer: this.initializerRef,
      initargs: this.initargs,
      maxTasks: this.options.maxtasksperchild ?? 0,
      codec: codecSource(),
    } satisfies ChildPoolMessage);
    child.on('message', (message: ChildPoolReply) => this.onMessage(state, message));
    child.on('error', () => {});
    child.once('exit', (code, signal) => {
      // The child's last messages (its results, what it was running) may still be on their way:
      // they are all delivered before its channel reports the disconnect.
      // (Bounded: a channel that some other process keeps open must not hold the tasks back.)
      if (!child.connected) return this.onExit(state, code, signal);
      let handled = false;
      const handle = () => {
        if (handled) return;
        handled = true;
        clearTimeout(fallback);
        this.onExit(state, code, signal);
      };
      const fallback = setTimeout(handle, EXIT_MESSAGES_MS).unref();
      child.once('disconnect', handle);
    });
    if (!this.referenced) unrefChild(child);
  }

  private onMessage(state: ChildState, message: ChildPoolReply): void {
    if (message.type === 'initialized') {
      state.initialized = true;
      return;
    }
    if (message.type === 'initializer-failed') {
      state.endedOnPurpose = 'initializer';
      const cause = rebuildError(message.error);
      this.breakPool(
        new BrokenPoolError(`the pool initializer failed in a child: ${cause.message}`, { cause }),
      );
      return;
    }
    if (message.type === 'exiting') {
      state.runningAtExit = message.running;
      return;
    }
    if (message.type !== 'results') return;
    const { meta, data } = message;
    let finished = 0;
    for (let at = 0; at < meta.length; at += RESULT_META) {
      const kind = meta[at + 1]!;
      if (kind !== RESULT_STARTED) finished++;
      const offset = meta[at + 3]!;
      this.onResult(state, meta[at]!, kind, meta[at + 2]!, data.subarray(offset, offset + meta[at + 4]!));
    }
    if (finished > 0) this.adaptWindow(state, message.busy / finished, finished);
    this.dispatch();
  }

  /** Sizes the child's window to about WINDOW_MS of work at its recent task durations. */
  private adaptWindow(state: ChildState, taskMs: number, count: number): void {
    const weight = Math.min(1, count / 16);
    state.taskMs = state.taskMs === undefined ? taskMs : state.taskMs + (taskMs - state.taskMs) * weight;
    const fits = Math.floor(WINDOW_MS / Math.max(state.taskMs, 0.001));
    state.window = Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, fits));
  }

  private onResult(state: ChildState, id: number, kind: number, tag: number, bytes: Uint8Array): void {
    if (kind !== RESULT_STARTED && state.unanswered.delete(id)) state.aborted.delete(id);
    const task = this.tasks.get(id);
    if (!task) return;
    if (kind === RESULT_STARTED) {
      if (task.onStart && !task.started) {
        task.started = true;
        callSafely(task.onStart);
      }
      return;
    }
    state.inFlight.delete(task);
    let value: unknown;
    try {
      value = decodeDetached(tag, bytes);
    } catch (error) {
      this.settle(task, false, error);
      return;
    }
    if (kind === RESULT_OK) this.settle(task, true, value);
    else if (kind === RESULT_ERROR) this.settle(task, false, rebuildError(value as ErrorDescription));
  }

  private onExit(state: ChildState, code: number | null, signal: NodeJS.Signals | null): void {
    state.exited = true;
    const why = state.endedOnPurpose;
    const described = signal ? `signal ${signal}` : `exit code ${code}`;
    if (
      why === undefined &&
      this.options.initializer &&
      !state.initialized &&
      !this.terminated &&
      !this.broken
    ) {
      // Its initializer ended it (process.exit) or it was killed during it: a new child would do the
      // same, forever. Break the pool, as a failing initializer does (its tasks fail with that error).
      this.breakPool(
        new BrokenPoolError(
          `the pool initializer ${this.initializerRef?.display ?? ''} ended its child process (${described}) ` +
            'before it returned',
        ),
      );
      state.inFlight.clear();
      return;
    }
    if (!this.terminated) {
      // A child runs its tasks one at a time, in the order they were sent: the tasks sent after the
      // one it was running never started, and go back to the head of the queue. Killed for ignoring
      // an abort, it was running that aborted task (already settled): all the others go back. A child
      // that could not say (SIGKILL, out of memory) was running the oldest task it had not answered.
      const sent = [...state.inFlight].filter((task) => task.state === SENT);
      let firstNotStarted = 1;
      if (why === 'abort' || state.runningAtExit === 0) firstNotStarted = 0;
      else if (state.runningAtExit !== undefined) {
        const running = sent.findIndex((task) => task.id === state.runningAtExit);
        firstNotStarted = running < 0 ? 0 : running + 1;
      }
      const waiting = sent.slice(firstNotStarted);
      for (const task of waiting) state.inFlight.delete(task);
      for (const task of waiting.reverse()) {
        task.state = QUEUED;
        task.child = undefined;
        if (this.queueHead > 0) this.queue[--this.queueHead] = task;
        else this.queue.unshift(task);
      }
    }
    for (const task of state.inFlight) {
      this.settle(
        task,
        false,
        this.terminated
          ? terminatedError()
          : new WorkerCrashedError(
              `the child process ${state.child.pid} died (${described}) while running this task`,
            ),
      );
    }
    state.inFlight.clear();
    if (this.terminated || this.broken) return;
    const limit = this.options.maxtasksperchild ?? 0;
    const retired = why === undefined && code === 0 && limit > 0 && state.sent >= limit;
    if (why === undefined && !retired && this.options.breakOnWorkerDeath) {
      this.breakPool(new BrokenPoolError(`a child process died unexpectedly (${described})`));
      return;
    }
    if (why === 'initializer' || why === 'shutdown') return;
    if (this.closing && this.tasks.size === 0) return;
    this.spawn(state.index);
    this.dispatch();
  }

  private watch(task: ProcessTask, options: SubmitOptions): void {
    const { signal, timeout } = options;
    if (signal) {
      if (signal.aborted) queueMicrotask(() => this.abortTask(task, abortError(signal)));
      else {
        const onAbort = () => this.abortTask(task, abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        task.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
    }
    if (timeout !== undefined) {
      if (!(timeout >= 0))
        throw new ValueError(`timeout must be a number of milliseconds >= 0, got ${timeout}`);
      task.timer = setTimeout(
        () => this.abortTask(task, new TimeoutError(`the task did not finish within ${timeout} ms`)),
        timeout,
      );
    }
  }

  private cancel(task: ProcessTask, reason: Error): boolean {
    if (task.state !== QUEUED) return false;
    this.settle(task, false, reason);
    return true;
  }

  private abortTask(task: ProcessTask, reason: Error): void {
    if (task.state === DONE) return;
    if (this.cancel(task, reason)) return;
    const child = task.child;
    this.settle(task, false, reason);
    if (!child || child.exited) return;
    child.inFlight.delete(task);
    child.aborted.add(task.id);
    this.flush(child);
    child.child.send({ type: 'abort', id: task.id, reason: reason.message } satisfies ChildPoolMessage);
    const grace = this.options.abortGraceMs ?? 1000;
    setTimeout(() => {
      // The child answers every task; if it has not answered this one, it ignored the abort.
      if (!child.exited && !child.endedOnPurpose && child.unanswered.has(task.id)) {
        child.endedOnPurpose = 'abort';
        child.child.kill('SIGKILL');
      }
    }, grace).unref();
  }

  private settle(task: ProcessTask, ok: boolean, value: unknown): void {
    if (task.state === DONE) return;
    if (task.onStart && !task.started && ok) {
      task.started = true;
      callSafely(task.onStart);
    }
    task.state = DONE;
    this.tasks.delete(task.id);
    this.closeServedEnds(task);
    if (task.timer) clearTimeout(task.timer);
    task.cleanup?.();
    if (ok) task.sink.resolve(value, task.token);
    else task.sink.reject(value, task.token);
    if (this.tasks.size === 0) {
      this.setReferenced(false);
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** A task's pipe ends close when it settles, as a worker's copies would once the task is done. */
  private closeServedEnds(task: ProcessTask): void {
    if (task.servedEnds === undefined) return;
    const refs = task.servedEnds;
    task.servedEnds = undefined;
    const closing = closeServedObjects(refs);
    this.closingEnds.add(closing);
    void closing.finally(() => this.closingEnds.delete(closing));
  }

  /** Closes of served pipe ends in progress: the server stays until they are done. */
  private readonly closingEnds = new Set<Promise<void>>();

  private setReferenced(on: boolean): void {
    if (this.referenced === on) return;
    this.referenced = on;
    for (const state of this.children) {
      if (!state || state.exited) continue;
      if (on) refChild(state.child);
      else unrefChild(state.child);
    }
  }

  private breakPool(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    for (const task of [...this.tasks.values()]) this.settle(task, false, error);
    for (const listener of this.brokenListeners) callSafely(() => listener(error));
    void this.stopChildren(true);
  }

  close(): void {
    this.closing = true;
  }

  async join(): Promise<void> {
    while (this.tasks.size > 0 && !this.terminated && !this.broken) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    await this.stopChildren(false);
  }

  async terminate(): Promise<void> {
    if (!this.terminated) {
      this.terminated = true;
      this.closing = true;
      for (const task of [...this.tasks.values()]) this.settle(task, false, terminatedError());
      this.queue.length = 0;
      this.queueHead = 0;
    }
    await this.stopChildren(true);
  }

  private async stopChildren(now: boolean): Promise<void> {
    await this.ready.catch(() => {});
    const exits: Promise<unknown>[] = [];
    for (const state of this.children) {
      if (!state || state.exited) continue;
      state.endedOnPurpose ??= 'shutdown';
      refChild(state.child); // keep this process alive until the children are gone
      // A child can have exited already while its exit is still being handled (onExit waits for the
      // channel's disconnect, see `spawn`): its 'exit' event will not come again.
      const child = state.child;
      const gone = child.exitCode !== null || child.signalCode !== null;
      exits.push(gone ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)));
      if (now) state.child.kill('SIGTERM');
      else if (state.child.connected) {
        this.flush(state);
        state.child.send({ type: 'shutdown' } satisfies ChildPoolMessage);
      } else state.child.kill('SIGTERM');
    }
    await Promise.all(exits);
    await Promise.all(this.closingEnds);
    this.releaseServer?.();
    this.releaseServer = undefined;
  }

  get isClosing(): boolean {
    return this.closing;
  }
}

function refChild(child: ChildProcess): void {
  child.ref();
  (child.channel as { ref?: () => void } | undefined)?.ref?.();
}

function unrefChild(child: ChildProcess): void {
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
}
