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
/** Threads above this id are never reported dead (the bitset would grow without bound). */
const TRACKED_THREADS = 1 << 20;

/** This thread's owner id (see above). */
export const currentOwnerId: number = (threadId + 1) << 1;

/** The Node `threadId` encoded in an owner id or a lock word. */
export function threadIdOfOwner(ownerOrWord: number): number {
  return (ownerOrWord >>> 1) - 1;
}

function openRegistry(): Int32Array {
  // Inherited from the parent thread, or set by another copy of this package in this thread (its ESM and
  // CJS builds loaded side by side must share one registry).
  const inherited = getEnvironmentData(REGISTRY_KEY);
  const sab = inherited instanceof SharedArrayBuffer ? inherited : new SharedArrayBuffer(TRACKED_THREADS / 8);
  setEnvironmentData(REGISTRY_KEY, sab);
  return new Int32Array(sab);
}

const exited = openRegistry();

/** Records that the thread `id` has exited. */
function markExited(id: number): void {
  if (id < 0 || id >= TRACKED_THREADS) return;
  Atomics.or(exited, id >>> 5, 1 << (id & 31));
}

/** Whether the thread `id` is known to have exited. */
export function hasThreadExited(id: number): boolean {
  if (id < 0 || id >= TRACKED_THREADS) return false;
  return (Atomics.load(exited, id >>> 5) & (1 << (id & 31))) !== 0;
}

if (!isMainThread) process.on('exit', () => markExited(threadId));

interface WorkerCreated {
  worker: Worker;
}
diagnosticsChannel.subscribe('worker_threads', (message) => {
  const { worker } = message as WorkerCreated;
  const id = worker.threadId;
  worker.once('exit', () => markExited(id));
});
