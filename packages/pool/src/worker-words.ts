/**
 * Per-worker shared words (Int32Array over a SharedArrayBuffer of its own), read by the main thread
 * when a worker dies or a task must be stopped:
 *   word 0  CURRENT       id of the task the worker runs (0: none)
 *   word 1  CLAIMING      1 between claiming a slot and marking it TAKEN
 *   word 2  CLAIM_SLOT    the slot index being claimed
 *   word 3  PORT_RESULTS  results sent through the result port (not the ring) so far
 *   word 4  TASKS_DONE    tasks finished by this worker
 *   word 5  LOOKING_FLAG  1 while this worker counts in the ring's LOOKING word (set before adding,
 *                         cleared after subtracting: a worker that dies in between is taken off by
 *                         the main thread, so the count may undercount but never overcount)
 *   word 6  LOAD_GATE     the load gate (load-gate.ts): whether the worker is inside a synchronous
 *                         module load, which the main thread must not terminate
 *   word 7  BUFFERS_HEARD 1 once the worker hears the codec's buffer announcements itself (see
 *                         `forwardBuffers` in engine.ts)
 *   word 8  INITIALIZED   1 once the pool's initializer has returned in this worker (or there is none):
 *                         a worker that ends before is an initializer that failed, which breaks the pool
 */
export const CURRENT = 0;
export const CLAIMING = 1;
export const CLAIM_SLOT = 2;
export const PORT_RESULTS = 3;
export const TASKS_DONE = 4;
export const LOOKING_FLAG = 5;
export const LOAD_GATE = 6;
export const BUFFERS_HEARD = 7;
export const INITIALIZED = 8;
export const WORKER_WORDS = 12;

/** How a pool task's payload is applied to the function. */
export const MODE_APPLY = 0;
export const MODE_MAP = 1;
export const MODE_STARMAP = 2;

/** Process context: numbers per task in a batch's `meta` (id, function id, mode, tag, offset, size, report start). */
export const TASK_META = 7;
/** Process context: numbers per result in a batch's `meta` (id, kind, tag, offset, size). */
export const RESULT_META = 5;
