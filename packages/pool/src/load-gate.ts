/**
 * The load gate: one shared word per pool worker that keeps `worker.terminate()` away from a
 * synchronous module load.
 *
 * A pool worker loads task modules with `require()` when it can (module-load.ts): on Node ≥ 20.19 that
 * gives the same module as `import()` for less than a worker's first `import()` costs. But
 * Node 20 aborts the whole process when a worker is terminated while `require()` links an ES module
 * (seen here on 20.20.2: `FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated module`,
 * or a failed assertion in `CreateRequiredModuleFacade`; exit code 134). Without this gate, 60 pools
 * terminated at random points around the load of a 60-module graph aborted the process in about 2 runs
 * of 5 (test/fixtures/load-gate-program.mjs, `rounds`). The same terminations during `import()`, or
 * during a module's own top-level code, are harmless.
 *
 * So the worker and the main thread hand the word over with compare-and-swap:
 *   OPEN → LOADING  the worker, before a synchronous load (if the swap fails, it uses import());
 *   LOADING → OPEN  the worker, after it;
 *   OPEN → CLOSED   the main thread, before it terminates the worker: from then on the worker loads
 *                   with import() only. While the word is LOADING, the main thread waits (bounded:
 *                   a module whose top-level code never ends is terminated anyway, from inside its
 *                   evaluation, where termination is safe).
 * The same happens for every live worker when this process exits, since Node then terminates them.
 */
import { waitAsync } from '@weft/atomics-sync-shim';

export const GATE_OPEN = 0;
export const GATE_LOADING = 1;
export const GATE_CLOSED = 2;

/** How long termination waits for a synchronous module load to end. */
export const GATE_WAIT_MS = 2000;

/** Closes the gate, waiting while a load is under way; false if the load outlasted `timeoutMs`. */
export async function closeLoadGate(gate: Int32Array, timeoutMs = GATE_WAIT_MS): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (Atomics.compareExchange(gate, 0, GATE_OPEN, GATE_CLOSED) !== GATE_LOADING) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    await waitAsync(gate, 0, GATE_LOADING, left, { spin: 0 });
  }
}

/** closeLoadGate for a thread that may block (the 'exit' handler). */
export function closeLoadGateSync(gate: Int32Array, timeoutMs = GATE_WAIT_MS): boolean {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (Atomics.compareExchange(gate, 0, GATE_OPEN, GATE_CLOSED) !== GATE_LOADING) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(gate, 0, GATE_LOADING, left);
  }
}

/** The worker was not terminated after all (what it was to be stopped for ended meanwhile). */
export function reopenLoadGate(gate: Int32Array): void {
  Atomics.compareExchange(gate, 0, GATE_CLOSED, GATE_OPEN);
}

const liveGates = new Set<Int32Array>();
let exitHooked = false;

/** Tracks a live worker's gate, so that this process's exit closes it before Node ends the worker. */
export function trackLoadGate(gate: Int32Array): void {
  liveGates.add(gate);
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const open of liveGates) closeLoadGateSync(open);
  });
}

/** The worker is gone: nothing to close for it any more. */
export function untrackLoadGate(gate: Int32Array): void {
  liveGates.delete(gate);
}
