/**
 * Not a CPython file: the four symptoms issue 16 opens with, as regression tests run by the same
 * harness (each on the backend where it shows). They are expected failures until the bug is fixed;
 * then the suite says "remove it from the list".
 */
import assert from 'node:assert/strict';
import { Barrier, Lock } from '@weft/lock';
import { Pool } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';

const here = import.meta.url;

/** Symptom 1: a child loops `lock.acquireSync(); lock.release()`. */
export function lockLoop(lock, times) {
  for (let i = 0; i < times; i++) {
    lock.acquireSync();
    lock.release();
  }
}

/** Symptom 2: a child increments a RawValue fifty times. */
export function incrementFifty(v) {
  for (let i = 0; i < 50; i++) v.value = v.value + 1;
}

/** Symptom 4: a task the pool has not run before; it counts itself in shared memory. */
export function countStarted(counter) {
  Atomics.add(counter, 0, 1);
}
/** Symptom 4: a task to start the workers with (another function). */
export function warmUp() {
  return 1;
}

const symptoms = {
  async symptom_1_lock_in_a_child_process(t) {
    const lock = new Lock();
    const p = t.Process({ target: lockLoop, module: here, args: [lock, 50] });
    p.start();
    await p.join();
    assert.equal(p.exitCode, 0);
    assert.equal(lock.locked(), false);
  },
  async symptom_2_value_in_a_child_process(t) {
    const v = new RawValue('i', 0);
    const p = t.Process({ target: incrementFifty, module: here, args: [v] });
    p.start();
    await p.join();
    assert.equal(p.exitCode, 0);
    assert.equal(v.value, 50);
  },
  async symptom_3_barrier_abort_with_a_pending_wait(t) {
    // A pending wait() on this thread, then abort() on the same thread: the wait must fail with
    // BrokenBarrierError, and the thread must go on (a timer still fires).
    const barrier = new Barrier(2);
    const w = barrier.wait();
    let fired = false;
    const timer = new Promise((resolve) =>
      setTimeout(() => {
        fired = true;
        resolve();
      }, 10),
    );
    barrier.abort();
    await t.raises('BrokenBarrierError', () => w);
    await timer;
    assert.ok(fired);
  },
  async symptom_4_pool_runs_new_tasks_while_the_main_thread_is_busy(t) {
    const pool = new Pool(2);
    t.onCleanup(() => pool.terminate());
    await pool.map(warmUp, [1, 2, 3, 4]); // the workers are up, and idle
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const results = [];
    for (let i = 0; i < 400; i++) results.push(pool.applyAsync(countStarted, [counter]));
    // The main thread is busy (it never yields) until a task has run, or 5 s have passed.
    const deadline = performance.now() + 5000;
    while (Atomics.load(counter, 0) === 0 && performance.now() < deadline) {
      // busy
    }
    const startedWhileBusy = Atomics.load(counter, 0);
    for (const r of results) await r.get();
    assert.ok(startedWhileBusy > 0, 'no task ran while the main thread was busy');
  },
};

export const classes = {
  ProcessSymptoms: {
    tests: {
      symptom_1_lock_in_a_child_process: symptoms.symptom_1_lock_in_a_child_process,
      symptom_2_value_in_a_child_process: symptoms.symptom_2_value_in_a_child_process,
    },
    backends: ['process'],
  },
  AsyncSymptoms: {
    tests: {
      symptom_3_barrier_abort_with_a_pending_wait: symptoms.symptom_3_barrier_abort_with_a_pending_wait,
    },
    backends: ['async'],
  },
  ThreadSymptoms: {
    tests: {
      symptom_4_pool_runs_new_tasks_while_the_main_thread_is_busy:
        symptoms.symptom_4_pool_runs_new_tasks_while_the_main_thread_is_busy,
    },
    backends: ['thread'],
  },
};
