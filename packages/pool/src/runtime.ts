/**
 * Who am I: the main thread, a pool worker, or a Process child (thread or OS process).
 *
 * The worker bootstrap is a bundle of its own, and user code in a worker imports @weft/pool (ESM or
 * CJS) as another copy; they share this state through a global symbol.
 */
import { isMainThread as nodeIsMainThread } from 'node:worker_threads';

export interface ProcessInfo {
  /** `MainProcess`, `Process-1`, `PoolWorker-2`, ... */
  name: string;
  /** The OS process id (in the thread context, the same as the parent's). */
  pid: number;
  /** The thread id in the thread context, the pid in the process context. */
  ident: number;
  daemon: boolean;
  context: 'main' | 'thread' | 'process';
}

/** A started child (a Process), as every copy of @weft/pool in this thread sees it. */
export interface StartedChild {
  readonly daemon: boolean;
  join(): Promise<void>;
}

interface RuntimeState {
  current: ProcessInfo;
  parent: ProcessInfo | null;
  /** The task a pool worker is running; its AbortController is made only when someone asks. */
  task: { id: number; controller: AbortController | undefined } | undefined;
  childCounter: number;
  /** Children started and not ended (Python's `active_children()`), from any copy of this package. */
  alive: Set<StartedChild>;
}

const KEY = Symbol.for('@weft/pool/runtime');

export function runtime(): RuntimeState {
  const holder = globalThis as unknown as Record<symbol, RuntimeState | undefined>;
  let state = holder[KEY];
  if (!state) {
    state = {
      current: { name: 'MainProcess', pid: process.pid, ident: process.pid, daemon: false, context: 'main' },
      parent: null,
      task: undefined,
      childCounter: 0,
      alive: new Set(),
    };
    holder[KEY] = state;
  }
  return state;
}

/**
 * True on the program's main thread of the top process; false in every worker and child.
 * Plays Python's `if __name__ == '__main__':` — a worker imports your module to find its functions,
 * so code that starts workers must sit behind `if (isMainThread)`.
 */
export const isMainThread: boolean = nodeIsMainThread && process.env.WEFT_POOL_CHILD === undefined;

/** This process/worker: name, pid, ident, daemon (Python's `current_process()`). */
export function currentProcess(): Readonly<ProcessInfo> {
  return runtime().current;
}

/** The parent of this worker or child; null on the main thread (Python's `parent_process()`). */
export function parentProcess(): Readonly<ProcessInfo> | null {
  return runtime().parent;
}

/**
 * Inside a pool task: the id of the task this thread is running, the same as `TaskHandle.id` in the
 * thread that submitted it. Outside a task: 0.
 */
export function currentTaskId(): number {
  return runtime().task?.id ?? 0;
}

let neverAborted: AbortSignal | undefined;

/**
 * Inside a task: the signal that tells it to stop (the task's `timeout` passed, its `signal` aborted,
 * or the pool was terminated). A task that ignores it past the grace period has its worker replaced.
 * Outside a task: a signal that never aborts.
 */
export function taskSignal(): AbortSignal {
  const task = runtime().task;
  if (!task) {
    neverAborted ??= new AbortController().signal;
    return neverAborted;
  }
  task.controller ??= new AbortController();
  return task.controller.signal;
}
