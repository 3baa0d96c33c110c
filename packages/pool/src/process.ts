/**
 * Process: Python's `multiprocessing.Process`, in a worker thread (`context: 'thread'`, the default)
 * or in a child process (`context: 'process'`, `child_process.fork`, a real pid).
 *
 * The target travels by module URL and export name (or as source, if self-contained); a subclass that
 * overrides `run()` travels as its exported class plus its own fields, like a pickled object: the
 * constructor does not run again in the child.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { codecSource, workerFile } from './entries.js';
import { FunctionNotShippableError, ValueError } from './errors.js';
import {
  type CallerModule,
  callerModule,
  type FunctionRef,
  resolveFunctionRef,
  type TaskFunction,
} from './function-ref.js';
import { decodeDetached, detach, encodeDetached, encodePayload } from './payload.js';
import { checkReachesChildProcess, holdsPipeEnds, replacePipeEnds } from './process-args.js';
import { closeServedObjects, holdServer, mayHoldPrimitives, shareForChild } from './remote-args.js';
import { type ProcessInfo, runtime } from './runtime.js';
import type { DeferredWorkerData, ProcessWorkerData } from './worker.js';
import { forwardOutput, OWN_OUTPUT } from './worker-output.js';

export interface ProcessOptions<F extends TaskFunction = TaskFunction> {
  /** The function to run (exported from a module, or self-contained). */
  target?: F | undefined;
  args?: Parameters<F> | undefined;
  /** Default `Process-N`. */
  name?: string | undefined;
  /** A daemon child ends when its parent ends; the parent does not wait for it. */
  daemon?: boolean | undefined;
  /** `'thread'` (default): a worker thread. `'process'`: a child process with its own pid. */
  context?: 'thread' | 'process' | undefined;
}

/** What `start()` encodes for the child: standalone bytes, made before the child exists. */
interface ChildPayload {
  args: { tag: number; bytes: Uint8Array };
  state: { tag: number; bytes: Uint8Array } | undefined;
  /** What the child gets as args: `args` with the child's own copy of each pipe end in them. */
  childArgs: unknown[];
  /** A subclass's own fields (re-encoded once weft primitives among them are served), ends copied. */
  fields: Record<string, unknown> | undefined;
  /** The child's copies of pipe ends, made by `start()`: closed once served (the server holds its own). */
  endCopies: { close(): void }[];
  /** Process context with possible weft primitives: they go through the manager's object server. */
  primitives: boolean;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

const alive = runtime().alive as Set<Process>;
const daemons = new Set<Process>();
let exitHookInstalled = false;

/** Started children that have not ended (Python's `active_children()`). */
export function activeChildren(): Process[] {
  return [...alive];
}

/**
 * A unit of work in a worker thread or a child process.
 *
 * ```ts
 * const p = new Process({ target: greet, args: ['bob'] });
 * p.start();
 * await p.join();
 * ```
 */
export class Process<F extends TaskFunction = TaskFunction> {
  name: string;
  daemon: boolean;
  readonly #context: 'thread' | 'process';
  readonly #target: F | undefined;
  readonly #args: unknown[];
  readonly #caller: CallerModule | undefined;
  #state: 'initial' | 'started' | 'ended' | 'closed' = 'initial';
  #exitCode: number | null = null;
  #pid: number | undefined;
  #ident: number | undefined;
  #worker: Worker | undefined;
  #child: ChildProcess | undefined;
  #stopSignal: string | undefined;
  #exited: Promise<void> | undefined;
  #startError: unknown;

  constructor(options: ProcessOptions<F> = {}) {
    if (options.target !== undefined && typeof options.target !== 'function') {
      throw new TypeError(`target must be a function, got ${typeof options.target}`);
    }
    if (options.context !== undefined && options.context !== 'thread' && options.context !== 'process') {
      throw new ValueError(`context must be 'thread' or 'process', got ${String(options.context)}`);
    }
    const state = runtime();
    this.name = options.name ?? `Process-${++state.childCounter}`;
    this.daemon = options.daemon ?? false;
    this.#context = options.context ?? 'thread';
    this.#target = options.target;
    this.#args = [...(options.args ?? [])];
    this.#caller = callerModule();
  }

  /** What the child runs: calls `target(...args)`. Override it in a subclass (exported from a module). */
  run(): unknown {
    return (this.#target as ((...args: unknown[]) => unknown) | undefined)?.(...this.#args);
  }

  /**
   * The child's OS pid (in the thread context, this process's pid); undefined before `start()`.
   * @throws ValueError once closed.
   */
  get pid(): number | undefined {
    this.#checkClosed();
    return this.#pid;
  }

  /** The thread id (thread context) or pid (process context); undefined until the child exists. @throws ValueError once closed. */
  get ident(): number | undefined {
    this.#checkClosed();
    return this.#ident;
  }

  /**
   * null while running; 0 after a normal end, 1 after an uncaught error, -N after signal N (terminate: -15, kill: -9).
   * @throws ValueError once closed.
   */
  get exitCode(): number | null {
    this.#checkClosed();
    return this.#exitCode;
  }

  /** Python's `_check_closed`: a closed process object only keeps its name and daemon flag. */
  #checkClosed(): void {
    if (this.#state === 'closed') throw new ValueError('process object is closed');
  }

  /** The context this process runs in. */
  get context(): 'thread' | 'process' {
    return this.#context;
  }

  /**
   * Starts the child. Its arguments (and a subclass's own fields) are encoded here, so a value that
   * cannot cross fails at once, as Python's pickling error does at `start()`; the child exists when
   * `start()` returns (`pid` and `ident` are set). Its function is then looked up asynchronously; if it
   * cannot be sent, the child ends with exit code 1 and `join()` rejects with the error that says why.
   * @throws ValueError if started twice or closed; DataCloneError naming the path of a value in `args`
   *   (`args[0].cb is a function`) or in a subclass's fields (`this.cb ...`) that cannot cross, or (in
   *   the process context) raw shared memory (`args[0] is a SharedArrayBuffer`) — the process is then
   *   left not started.
   */
  start(): void {
    if (this.#state === 'closed') throw new ValueError('process object is closed');
    if (this.#state !== 'initial') throw new ValueError('cannot start a process twice');
    const subclass = Object.getPrototypeOf(this).run !== Process.prototype.run;
    const payload = this.#encode(subclass);
    this.#state = 'started';
    alive.add(this);
    if (this.daemon) installExitHook(this);
    if (payload.primitives) this.#releaseServer = holdServer();
    const info: ProcessInfo = {
      name: this.name,
      pid: process.pid,
      ident: 0,
      daemon: this.daemon,
      context: this.#context,
    };
    try {
      this.#exited = this.#context === 'thread' ? this.#startThread(info) : this.#startChild(info);
    } catch (error) {
      // no thread or process could be made (resources exhausted): not started, as before the call
      this.#state = 'initial';
      alive.delete(this);
      daemons.delete(this);
      this.#releaseServer?.();
      this.#releaseServer = undefined;
      this.#worker = undefined;
      this.#child = undefined;
      this.#pid = undefined;
      this.#ident = undefined;
      for (const end of payload.endCopies) end.close();
      throw error;
    }
    this.#launch(subclass, payload, info)
      .catch((error: unknown) => this.#abandon(error))
      .finally(() => {
        // the child's copies of pipe ends, if it never got them (closing twice is harmless)
        for (const end of payload.endCopies) end.close();
      });
  }

  #releaseServer: (() => void) | undefined;

  /**
   * Encodes what the child needs from this object, synchronously: the encoding itself is the check
   * that every value can cross. In the process context, weft primitives are served to the child
   * later (asynchronously); the bytes made here only prove the rest can cross.
   */
  #encode(subclass: boolean): ChildPayload {
    let fields: Record<string, unknown> | undefined;
    if (subclass) {
      fields = {};
      for (const key of Object.keys(this)) fields[key] = (this as unknown as Record<string, unknown>)[key];
    }
    const inProcess = this.#context === 'process';
    // Encoding a pipe end counts a copy of it: the check leaves them out (they are copied below).
    const checked = <T>(value: T): T =>
      inProcess && holdsPipeEnds(value) ? (replacePipeEnds(value, () => null) as T) : value;
    const args = detach(encodePayload(checked(this.#args), 'args'));
    const state = fields ? detach(encodePayload(checked(fields), 'this')) : undefined;
    let childArgs = this.#args;
    const endCopies: { close(): void }[] = [];
    if (inProcess) {
      checkReachesChildProcess(this.#args, 'args');
      if (fields) checkReachesChildProcess(fields, 'this');
      if (holdsPipeEnds(this.#args) || (fields && holdsPipeEnds(fields))) {
        // The child's copy of each end exists from now on, as a forked child's file descriptors do:
        // the parent may close its own copy right after start() (Python's idiom).
        const copy = (end: object) => {
          const encoded = encodeDetached(end, 'args');
          const made = decodeDetached(encoded.tag, encoded.bytes) as { close(): void };
          endCopies.push(made);
          return made;
        };
        try {
          childArgs = replacePipeEnds(this.#args, copy) as unknown[];
          if (fields) fields = replacePipeEnds(fields, copy) as Record<string, unknown>;
        } catch (error) {
          for (const made of endCopies) made.close();
          throw error;
        }
      }
    }
    const primitives =
      inProcess && (mayHoldPrimitives(this.#args) || (fields !== undefined && mayHoldPrimitives(fields)));
    return { args, state, childArgs, fields, endCopies, primitives };
  }

  /** References to the server's copies of pipe ends this child was given: closed when it ends. */
  #servedEnds: unknown[] = [];

  /**
   * Closes the server's copies of this child's pipe ends (a child that ends closes its ends, as a
   * process's file descriptors close when it exits), then lets the server go.
   */
  #closeServedEnds(): void {
    const refs = this.#servedEnds.splice(0);
    const release = this.#releaseServer;
    this.#releaseServer = undefined;
    if (refs.length === 0) {
      release?.();
      return;
    }
    void closeServedObjects(refs).finally(() => release?.());
  }

  async #launch(subclass: boolean, payload: ChildPayload, info: ProcessInfo): Promise<void> {
    let ref: FunctionRef | undefined;
    let { args, state } = payload;
    if (subclass) {
      ref = await resolveFunctionRef(this.constructor as unknown as TaskFunction, this.#caller);
      if (ref.kind === 'source') {
        throw new FunctionNotShippableError(
          `cannot start ${this.constructor.name}: a Process subclass must be exported from a module (the child imports it)`,
        );
      }
    } else if (this.#target) {
      ref = await resolveFunctionRef(this.#target, this.#caller);
    }
    if (payload.primitives) {
      const ends = new Set<object>(payload.endCopies);
      const onServed = (target: object, served: unknown) => {
        if (ends.has(target)) this.#servedEnds.push(served);
      };
      try {
        args = detach(encodePayload(await shareForChild(payload.childArgs, onServed), 'args'));
        if (payload.fields)
          state = detach(encodePayload(await shareForChild(payload.fields, onServed), 'this'));
      } finally {
        // the server holds its own copy of each end now (or the child will never run)
        for (const end of payload.endCopies) end.close();
      }
      // Ended while its ends were being served: close the server's copies now.
      if (this.#exitCode !== null) this.#closeServedEnds();
    }
    // Stopped (terminate/kill) while the function was being looked up: nothing to send.
    if (this.#exitCode !== null || this.#stopSignal !== undefined) return;
    const data: ProcessWorkerData = {
      kind: 'process',
      info,
      parent: runtime().current,
      target: ref,
      subclass,
      state,
      args,
      codecSnapshot: undefined,
      codec: codecSource(),
    };
    if (this.#worker) {
      this.#worker.postMessage(data);
    } else {
      // a send to a child that is gone is ignored: its exit is handled by the 'exit' listener
      this.#child?.send(data, () => {});
    }
  }

  /** The child could not be given its work: end it; it ends with exit code 1 and join() throws `error`. */
  #abandon(error: unknown): void {
    this.#startError = error;
    if (this.#worker) void this.#worker.terminate();
    else if (this.#child) this.#child.kill('SIGKILL');
  }

  /** The thread exists at once (threadId is known); it waits for its work as its first message. */
  #startThread(info: ProcessInfo): Promise<void> {
    const worker = new Worker(workerFile, {
      workerData: { kind: 'process-deferred' } satisfies DeferredWorkerData,
      name: this.name,
      ...OWN_OUTPUT,
    });
    forwardOutput(worker);
    this.#worker = worker;
    this.#ident = worker.threadId;
    this.#pid = process.pid;
    info.ident = worker.threadId;
    if (this.daemon) worker.unref();
    worker.on('error', () => {
      // the worker printed nothing yet for an error outside run(); report like Python's traceback
    });
    return new Promise<void>((resolve) => {
      worker.once('exit', (code) => {
        this.#finish(this.#exitCodeFor(this.#stopSignal ? -SIGNALS[this.#stopSignal]! : code));
        resolve();
      });
    });
  }

  /** `child_process.fork` gives the pid at once; the child waits for its work as its first IPC message. */
  #startChild(info: ProcessInfo): Promise<void> {
    const child = fork(workerFile, [], {
      execArgv: process.execArgv,
      env: { ...process.env, WEFT_POOL_CHILD: '1' },
      serialization: 'advanced',
      stdio: 'inherit',
    });
    this.#child = child;
    this.#pid = child.pid;
    this.#ident = child.pid;
    info.pid = child.pid ?? 0;
    info.ident = child.pid ?? 0;
    if (this.daemon) {
      child.unref();
      (child.channel as { unref?: () => void } | undefined)?.unref?.();
    }
    return new Promise<void>((resolve) => {
      child.once('error', (error) => {
        // spawning failed (no 'exit' follows); later errors (a closed channel) are not fatal
        if (child.pid === undefined) {
          this.#startError ??= error;
          this.#finish(1);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        this.#finish(this.#exitCodeFor(signal ? -(SIGNALS[signal] ?? 1) : (code ?? 1)));
        resolve();
      });
    });
  }

  /** A child ended because it could not be given its work reports 1, as an uncaught error would. */
  #exitCodeFor(code: number): number {
    return this.#startError !== undefined && this.#stopSignal === undefined ? 1 : code;
  }

  #finish(code: number): void {
    if (this.#exitCode !== null) return;
    this.#exitCode = code;
    this.#state = this.#state === 'closed' ? 'closed' : 'ended';
    alive.delete(this);
    daemons.delete(this);
    this.#closeServedEnds();
  }

  /**
   * Waits for the child to end.
   * @param timeoutMs stop waiting after this many milliseconds (the child goes on; check `exitCode`).
   * @throws ValueError if never started, or closed; the error that kept the child from starting.
   */
  async join(timeoutMs?: number): Promise<void> {
    this.#checkClosed();
    if (this.#state === 'initial') throw new ValueError('can only join a started process');
    const exited = this.#exited!;
    if (timeoutMs === undefined) await exited;
    else {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        exited,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, timeoutMs)))),
      ]);
      clearTimeout(timer);
    }
    if (this.#startError !== undefined && this.#exitCode !== null) throw this.#startError;
  }

  /** Whether the child has started and not ended. @throws ValueError once closed. */
  isAlive(): boolean {
    this.#checkClosed();
    return this.#running();
  }

  #running(): boolean {
    return this.#state === 'started' && this.#exitCode === null;
  }

  /** Stops the child (SIGTERM for a process; exit code -15). @throws ValueError once closed. */
  terminate(): void {
    this.#checkClosed();
    this.#stop('SIGTERM');
  }

  /** Stops the child at once (SIGKILL for a process; exit code -9). @throws ValueError once closed. */
  kill(): void {
    this.#checkClosed();
    this.#stop('SIGKILL');
  }

  #stop(signal: 'SIGTERM' | 'SIGKILL'): void {
    if (!this.#running()) return;
    this.#stopSignal = signal;
    if (this.#worker) void this.#worker.terminate();
    else if (this.#child) this.#child.kill(signal);
    else this.#finish(-SIGNALS[signal]!);
  }

  /**
   * Releases the child's resources. Afterwards only `name`, `daemon` and `close()` work; everything
   * else throws `ValueError('process object is closed')`, as in Python.
   * @throws ValueError while it is still running.
   */
  close(): void {
    if (this.#running())
      throw new ValueError(
        'Cannot close a process while it is still running. You should first call join() or terminate().',
      );
    this.#state = 'closed';
    this.#worker = undefined;
    this.#child = undefined;
  }

  toString(): string {
    const status =
      this.#state === 'closed'
        ? 'closed'
        : this.#state === 'initial'
          ? 'initial'
          : this.#exitCode === null
            ? 'started'
            : `stopped exitcode=${this.#exitCode}`;
    return `<${this.constructor.name} name='${this.name}' ${status}${this.daemon ? ' daemon' : ''}>`;
  }
}

function installExitHook(child: Process): void {
  daemons.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Daemon children end with their parent (Python terminates them at exit).
  process.once('exit', () => {
    for (const daemon of daemons) daemon.kill();
  });
}
