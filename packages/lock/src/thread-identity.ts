/**
 * Who holds a lock, and whether that thread is still alive.
 *
 * An owner id is `(threadId + 1) << 1`: Node's `threadId` is unique within a process and never reused
 * (shared memory never crosses a process boundary, so process-wide uniqueness is all a lock needs); `+ 1`
 * keeps the main thread (threadId 0) distinct from "unlocked"; the shift leaves bit 0 free for the lock
 * word's "has waiters" flag.
 *
 * Liveness is a process-wide bitset in a SharedArrayBuffer, one bit per threadId, set when the thread
 * is known to have exited. The buffer is handed to every worker through `setEnvironmentData`, which Node
 * copies into each new Worker (nested ones too), so every thread that loads @weft/lock after its parent
 * did finds the same bitset. A thread's exit is recorded two ways:
 * - the exiting thread itself, from `process.on('exit')` (natural end, `process.exit()`, uncaught error);
 * - its parent, from the Worker's 'exit' event, which it hears through the `worker_threads` diagnostics
 *   channel; this covers `worker.terminate()`, which runs no JavaScript in the dying thread.
 *
 * A worker's own workers are stopped and joined when it stops, before its parent hears its 'exit'; but
 * their 'exit' events would be heard by the thread that is stopping, which may run no JavaScript any
 * more (terminated). So each parent also records, in a shared table, the parent of every worker it
 * creates, and a second bitset marks the threads whose parent heard them stop (the first bitset's
 * self-reported exits come before a thread's own workers are stopped, so they say nothing about those).
 * A thread has exited when it is marked, or when any of its ancestors has been heard to stop.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import {
  getEnvironmentData,
  isMainThread,
  setEnvironmentData,
  threadId,
  type Worker,
} from 'node:worker_threads';

const REGISTRY_KEY = 'weft:lock:exited-threads';
const STOPPED_KEY = 'weft:lock:stopped-threads';
const PARENTS_KEY = 'weft:lock:thread-parents';
/** Threads above this id are never reported dead (the bitset would grow without bound). */
const TRACKED_THREADS = 1 << 20;
/** Threads whose parent is recorded (4 bytes each): a dead ancestor is seen for these. */
const TRACKED_PARENTS = 1 << 16;
/** Longest chain of ancestors looked at (workers of workers of …). */
const MAX_DEPTH = 64;

/** This thread's owner id (see above). */
export const currentOwnerId: number = (threadId + 1) << 1;

/** The Node `threadId` encoded in an owner id or a lock word. */
export function threadIdOfOwner(ownerOrWord: number): number {
  return (ownerOrWord >>> 1) - 1;
}

function openRegistry(key: string, bytes: number): Int32Array {
  // Inherited from the parent thread, or set by another copy of this package in this thread (its ESM and
  // CJS builds loaded side by side must share one registry).
  const inherited = getEnvironmentData(key);
  const sab = inherited instanceof SharedArrayBuffer ? inherited : new SharedArrayBuffer(bytes);
  setEnvironmentData(key, sab);
  return new Int32Array(sab);
}

const exited = openRegistry(REGISTRY_KEY, TRACKED_THREADS / 8);
const stopped = openRegistry(STOPPED_KEY, TRACKED_THREADS / 8);
/** parents[id]: the parent's threadId + 1 (0: not recorded). */
const parents = openRegistry(PARENTS_KEY, 4 * TRACKED_PARENTS);

function mark(bits: Int32Array, id: number): void {
  if (id < 0 || id >= TRACKED_THREADS) return;
  Atomics.or(bits, id >>> 5, 1 << (id & 31));
}

function isMarked(bits: Int32Array, id: number): boolean {
  if (id < 0 || id >= TRACKED_THREADS) return false;
  return (Atomics.load(bits, id >>> 5) & (1 << (id & 31))) !== 0;
}

/** Whether the thread `id` is known to have exited (itself, or with a stopped ancestor). */
export function hasThreadExited(id: number): boolean {
  if (isMarked(exited, id)) return true;
  // The main thread (0) never exits while anyone asks.
  for (
    let depth = 0, ancestor = id;
    depth < MAX_DEPTH && ancestor > 0 && ancestor < TRACKED_PARENTS;
    depth++
  ) {
    if (isMarked(stopped, ancestor)) return true;
    ancestor = Atomics.load(parents, ancestor) - 1;
  }
  return false;
}

if (!isMainThread) process.on('exit', () => mark(exited, threadId));

interface WorkerCreated {
  worker: Worker;
}
diagnosticsChannel.subscribe('worker_threads', (message) => {
  const { worker } = message as WorkerCreated;
  const id = worker.threadId;
  if (id > 0 && id < TRACKED_PARENTS) Atomics.store(parents, id, threadId + 1);
  worker.once('exit', () => {
    mark(exited, id);
    mark(stopped, id);
  });
});
