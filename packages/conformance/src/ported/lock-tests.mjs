/**
 * CPython's Lib/test/lock_tests.py (3.11), ported test by test, assertion by assertion.
 *
 * Seconds are milliseconds; keyword arguments are options objects (`acquire(False)` is
 * `acquire({ blocking: false })`); `with lock:` is acquire, then release in `finally`. Python's
 * closures over local lists and variables are the harness's shared state (`s`), which every flow
 * (worker thread, child process or async task) sees. Classes are the concrete ones test_threading.py
 * instantiates: LockTests, RLockTests, ConditionAsRLockTests, EventTests, ConditionTests,
 * SemaphoreTests, BoundedSemaphoreTests, BarrierTests.
 *
 * `flows` are what a Bunch runs: `(ctx, h)`, with `h.call(obj, 'acquire', …)` (the blocking twin in a
 * thread or process flow, the async method in an async flow) and `h.s` the shared state.
 * `classes[...].tests` are the test bodies: `(t, self)`, with `t` the harness (src/harness/harness.mjs).
 */
import assert from 'node:assert/strict';
import { LONG_TIMEOUT, SHORT_TIMEOUT } from '../harness/harness.mjs';

const assertTrue = (x, msg) => assert.equal(x, true, msg);
const assertFalse = (x, msg) => assert.equal(x, false, msg);

/** BaseLockTests.wait_phase, from a flow (sync or async). */
async function flowWaitPhase(h, name, expected) {
  const deadline = performance.now() + SHORT_TIMEOUT;
  while ((await h.s.len(name)) < expected && performance.now() < deadline) await h.sleep(5);
  assert.equal(await h.s.len(name), expected);
}

export const flows = {
  async acquireRelease({ lock }, h) {
    await h.call(lock, 'acquire');
    await h.call(lock, 'release');
  },
  async tryAcquireInto({ lock }, h) {
    await h.s.push('result', await h.call(lock, 'acquire', { blocking: false }));
  },
  async acquireWithTimeout({ lock }, h) {
    const t1 = h.now();
    await h.s.push('results', await h.call(lock, 'acquire', { timeout: 500 }));
    const t2 = h.now();
    await h.s.push('results', t2 - t1);
  },
  async reacquire({ lock }, h) {
    await h.call(lock, 'acquire');
    await h.s.push('phase', null);
    await h.call(lock, 'acquire');
    await h.s.push('phase', null);
  },
  async release({ lock }, h) {
    await h.call(lock, 'release');
  },
  async acquireOnly({ lock }, h) {
    await h.call(lock, 'acquire');
  },
  async isOwnedInto({ lock }, h) {
    await h.s.push('result', await h.call(lock, 'isOwnedByCurrentThread'));
  },
  async acquireWaitPhaseRelease({ lock }, h) {
    await h.call(lock, 'acquire');
    await h.s.push('phase', null);
    await flowWaitPhase(h, 'phase', 2);
    await h.call(lock, 'release');
    await h.s.push('phase', null);
  },
  // EventTests
  async eventWaitTwice({ evt }, h) {
    await h.s.push('results1', await h.call(evt, 'wait'));
    await h.s.push('results2', await h.call(evt, 'wait'));
  },
  async eventTimeout({ evt }, h) {
    await h.s.push('results1', await h.call(evt, 'wait', { timeout: 0 }));
    const t1 = h.now();
    const r = await h.call(evt, 'wait', { timeout: 500 });
    const t2 = h.now();
    await h.s.push('results2', [r, t2 - t1]);
  },
  async eventWaitLong({ evt }, h) {
    await h.s.push('results', await h.call(evt, 'wait', { timeout: LONG_TIMEOUT }));
  },
  // ConditionTests
  async conditionCheckNotify({ cond }, h) {
    await h.call(cond, 'acquire');
    await h.s.push('ready', await h.s.get('phase_num'));
    let result = await h.call(cond, 'wait');

    await h.call(cond, 'release');
    await h.s.push('results1', [result, await h.s.get('phase_num')]);

    await h.call(cond, 'acquire');
    await h.s.push('ready', await h.s.get('phase_num'));

    result = await h.call(cond, 'wait');
    await h.call(cond, 'release');
    await h.s.push('results2', [result, await h.s.get('phase_num')]);
  },
  async conditionTimeout({ cond }, h) {
    await h.call(cond, 'acquire');
    const t1 = h.now();
    const result = await h.call(cond, 'wait', { timeout: 500 });
    const t2 = h.now();
    await h.call(cond, 'release');
    await h.s.push('results', [t2 - t1, result]);
  },
  async conditionWaitFor({ cond }, h) {
    await h.call(cond, 'acquire');
    try {
      const result = await h.call(cond, 'waitFor', () => h.s.get('state') === 4);
      assertTrue(result);
      assert.equal(h.s.get('state'), 4);
    } finally {
      await h.call(cond, 'release');
    }
  },
  async conditionWaitForTimeout({ cond }, h) {
    await h.call(cond, 'acquire');
    try {
      let dt = h.now();
      const result = await h.call(cond, 'waitFor', () => h.s.get('state') === 4, { timeout: 100 });
      dt = h.now() - dt;
      assertFalse(result);
      h.assertTimeout(dt, 100);
      await h.s.push('success', null);
    } finally {
      await h.call(cond, 'release');
    }
  },
  // SemaphoreTests
  async semaphoreAcquireTwice({ sem }, h) {
    await h.s.push('sem_results', await h.call(sem, 'acquire'));
    await h.s.push('results1', await h.s.get('phase_num'));

    await h.s.push('sem_results', await h.call(sem, 'acquire'));
    await h.s.push('results2', await h.s.get('phase_num'));
  },
  async semaphoreMultirelease({ sem }, h) {
    await h.call(sem, 'acquire');
    await h.s.push('results1', await h.s.get('phase_num'));

    await h.call(sem, 'acquire');
    await h.s.push('results2', await h.s.get('phase_num'));
  },
  async semaphoreTryTwice({ sem }, h) {
    await h.s.push('results', await h.call(sem, 'acquire', { blocking: false }));
    await h.s.push('results', await h.call(sem, 'acquire', { blocking: false }));
  },
  async semaphoreAcquireRelease({ sem }, h) {
    await h.call(sem, 'acquire');
    await h.call(sem, 'release');
  },
  // BarrierTests
  async multipass({ barrier, passes, N }, h) {
    const m = await h.prop(barrier, 'parties');
    assert.equal(m, N);
    for (let i = 0; i < passes; i++) {
      await h.s.push('results0', true);
      assert.equal(await h.s.len('results1'), i * m);
      await h.call(barrier, 'wait');
      await h.s.push('results1', true);
      assert.equal(await h.s.len('results0'), (i + 1) * m);
      await h.call(barrier, 'wait');
    }
    assert.equal(await h.prop(barrier, 'nWaiting'), 0);
    assertFalse(await h.prop(barrier, 'broken'));
  },
  async barrierWaitReturn({ barrier }, h) {
    const r = await h.call(barrier, 'wait');
    await h.s.push('results', r);
  },
  async barrierAction({ barrier }, h) {
    await h.call(barrier, 'wait');
    assert.equal(await h.s.len('results'), 1);
  },
  async barrierAbort({ barrier, N }, h) {
    try {
      const i = await h.call(barrier, 'wait');
      if (i === Math.floor(N / 2)) throw new RuntimeErrorLike();
      await h.call(barrier, 'wait');
      await h.s.push('results1', true);
    } catch (error) {
      if (error?.name === 'BrokenBarrierError') await h.s.push('results2', true);
      else if (error instanceof RuntimeErrorLike) await h.call(barrier, 'abort');
      else throw error;
    }
  },
  async barrierReset({ barrier, N }, h) {
    const i = await h.call(barrier, 'wait');
    if (i === Math.floor(N / 2)) {
      // Wait until the other threads are all in the barrier.
      const deadline = performance.now() + SHORT_TIMEOUT;
      while (performance.now() < deadline) {
        if ((await h.prop(barrier, 'nWaiting')) >= N - 1) break;
        await h.sleep(5);
      }
      await h.call(barrier, 'reset');
    } else {
      try {
        await h.call(barrier, 'wait');
        await h.s.push('results1', true);
      } catch (error) {
        if (error?.name !== 'BrokenBarrierError') throw error;
        await h.s.push('results2', true);
      }
    }
    // Now, pass the barrier again
    await h.call(barrier, 'wait');
    await h.s.push('results3', true);
  },
  async barrierAbortAndReset({ barrier, barrier2, N }, h) {
    try {
      const i = await h.call(barrier, 'wait');
      if (i === Math.floor(N / 2)) throw new RuntimeErrorLike();
      await h.call(barrier, 'wait');
      await h.s.push('results1', true);
    } catch (error) {
      if (error?.name === 'BrokenBarrierError') await h.s.push('results2', true);
      else if (error instanceof RuntimeErrorLike) await h.call(barrier, 'abort');
      else throw error;
    }
    // Synchronize and reset the barrier.  Must synchronize first so
    // that everyone has left it when we reset, and after so that no
    // one enters it before the reset.
    if ((await h.call(barrier2, 'wait')) === Math.floor(N / 2)) await h.call(barrier, 'reset');
    await h.call(barrier2, 'wait');
    await h.call(barrier, 'wait');
    await h.s.push('results3', true);
  },
  async barrierTimeout({ barrier, N, defaultTimeout }, h) {
    const i = await h.call(barrier, 'wait');
    if (i === Math.floor(N / 2)) {
      // One thread is late!
      await h.sleep(defaultTimeout / 2);
    }
    // Default timeout is 2.0, so this is shorter.
    await h.raises('BrokenBarrierError', () => h.call(barrier, 'wait', { timeout: defaultTimeout / 4 }));
  },
  async barrierDefaultTimeout({ barrier }, h) {
    await h.raises('BrokenBarrierError', () => h.call(barrier, 'wait'));
  },
};

class RuntimeErrorLike extends Error {
  name = 'RuntimeError';
}

/** `with lock:` in a test body. */
async function withLock(t, lock, body) {
  await t.call(lock, 'acquire');
  try {
    await body();
  } finally {
    await t.call(lock, 'release');
  }
}

async function waitPhase(t, s, name, expected) {
  const deadline = performance.now() + SHORT_TIMEOUT;
  while ((await s.len(name)) < expected && performance.now() < deadline) await t.sleep(5);
  assert.equal(await s.len(name), expected);
}

/** BaseLockTests, for a lock made by `t.make[kind]()`. */
function baseLockTests(kind) {
  return {
    async test_constructor(t) {
      await t.make[kind]();
    },
    async test_acquire_destroy(t) {
      const lock = await t.make[kind]();
      await t.call(lock, 'acquire');
    },
    async test_acquire_release(t) {
      const lock = await t.make[kind]();
      await t.call(lock, 'acquire');
      await t.call(lock, 'release');
    },
    async test_try_acquire(t) {
      const lock = await t.make[kind]();
      assertTrue(await t.call(lock, 'acquire', { blocking: false }));
      await t.call(lock, 'release');
    },
    async test_try_acquire_contended(t) {
      const lock = await t.make[kind]();
      await t.call(lock, 'acquire');
      const s = await t.shared(['result']);
      await t.Bunch(s, 'tryAcquireInto', 1, { lock }).run();
      assertFalse((await s.list('result'))[0]);
      await t.call(lock, 'release');
    },
    async test_acquire_contended(t) {
      const lock = await t.make[kind]();
      await t.call(lock, 'acquire');
      const N = 5;
      const s = await t.shared();
      const bunch = t.Bunch(s, 'acquireRelease', N, { lock });
      await bunch.run(async () => {
        // Threads block on lock.acquire()
        await t.waitThreadsBlocked(N);
        assert.equal(await bunch.finished(), 0);

        // Threads unblocked
        await t.call(lock, 'release');
      });
      assert.equal(await bunch.finished(), N);
    },
    async test_with(t) {
      const lock = await t.make[kind]();
      const s = await t.shared();
      // Acquire the lock, do nothing, with releases the lock
      await withLock(t, lock, async () => {});

      // Check that the lock is unacquired
      await t.Bunch(s, 'acquireRelease', 1, { lock }).run();

      // Acquire the lock, raise an exception, with releases the lock
      await t.raises('TypeError', () =>
        withLock(t, lock, async () => {
          throw new TypeError();
        }),
      );

      // Check that the lock is unacquired even if after an exception
      // was raised in the previous "with lock:" block
      await t.Bunch(s, 'acquireRelease', 1, { lock }).run();
    },
    async test_thread_leak(t) {
      // The lock shouldn't leak a Thread instance when used from a foreign
      // (non-threading) thread.
      const lock = await t.make[kind]();
      const s = await t.shared();
      // We run many threads in the hope that existing threads ids won't
      // be recycled.
      await t.Bunch(s, 'acquireRelease', 15, { lock }).run();
    },
    async test_timeout(t) {
      const lock = await t.make[kind]();
      // Can't set timeout if not blocking
      await t.raises('ValueError', () => t.call(lock, 'acquire', { blocking: false, timeout: 1000 }));
      // Invalid timeout values
      await t.raises('ValueError', () => t.call(lock, 'acquire', { timeout: -100 }));
      await t.raises('OverflowError', () => t.call(lock, 'acquire', { timeout: 1e100 * 1000 }));
      await t.raises('OverflowError', () => t.call(lock, 'acquire', { timeout: TIMEOUT_MAX + 1000 }));
      // TIMEOUT_MAX is ok
      await t.call(lock, 'acquire', { timeout: TIMEOUT_MAX });
      await t.call(lock, 'release');
      const t1 = t.now();
      assertTrue(await t.call(lock, 'acquire', { timeout: 5000 }));
      const t2 = t.now();
      // Just a sanity test that it didn't actually wait for the timeout.
      assert.ok(t2 - t1 < 5000);
      const s = await t.shared(['results']);
      await t.Bunch(s, 'acquireWithTimeout', 1, { lock }).run();
      const results = await s.list('results');
      assertFalse(results[0]);
      t.assertTimeout(results[1], 500);
    },
  };
}

/**
 * _thread.TIMEOUT_MAX in milliseconds. CPython's is the largest timeout its clocks can take
 * (about 292 years on Linux); JavaScript timers take at most 2³¹−1 ms.
 */
const TIMEOUT_MAX = 2 ** 31 - 1;

/** LockTests: non-recursive locks, which can be released from a different thread. */
const lockTests = {
  ...baseLockTests('Lock'),
  async test_reacquire(t) {
    // Lock needs to be released before re-acquiring.
    const lock = await t.make.Lock();
    const s = await t.shared(['phase']);
    const bunch = t.Bunch(s, 'reacquire', 1, { lock });
    await bunch.run(async () => {
      // Thread blocked on lock.acquire()
      await waitPhase(t, s, 'phase', 1);

      // Thread unblocked
      await t.call(lock, 'release');
      await waitPhase(t, s, 'phase', 2);
    });
  },
  async test_different_thread(t) {
    // Lock can be released from a different thread.
    const lock = await t.make.Lock();
    await t.call(lock, 'acquire');
    const s = await t.shared();
    await t.Bunch(s, 'release', 1, { lock }).run();
    await t.call(lock, 'acquire');
    await t.call(lock, 'release');
  },
  async test_state_after_timeout(t) {
    // Issue #11618: check that lock is in a proper state after a
    // (non-zero) timeout.
    const lock = await t.make.Lock();
    await t.call(lock, 'acquire');
    assertFalse(await t.call(lock, 'acquire', { timeout: 10 }));
    await t.call(lock, 'release');
    assertFalse(await t.call(lock, 'locked'));
    assertTrue(await t.call(lock, 'acquire', { blocking: false }));
  },
};

/** RLockTests: recursive locks (RLock, and Condition used as one). */
function rlockTests(kind) {
  return {
    ...baseLockTests(kind),
    async test_reacquire(t) {
      const lock = await t.make[kind]();
      await t.call(lock, 'acquire');
      await t.call(lock, 'acquire');
      await t.call(lock, 'release');
      await t.call(lock, 'acquire');
      await t.call(lock, 'release');
      await t.call(lock, 'release');
    },
    async test_release_unacquired(t) {
      // Cannot release an unacquired lock
      const lock = await t.make[kind]();
      await t.raises('RuntimeError', () => t.call(lock, 'release'));
      await t.call(lock, 'acquire');
      await t.call(lock, 'acquire');
      await t.call(lock, 'release');
      await t.call(lock, 'acquire');
      await t.call(lock, 'release');
      await t.call(lock, 'release');
      await t.raises('RuntimeError', () => t.call(lock, 'release'));
    },
    async test_different_thread(t) {
      // Cannot release from a different thread
      const lock = await t.make[kind]();
      const s = await t.shared();
      const bunch = t.Bunch(s, 'acquireOnly', 1, { lock }, { waitBeforeExit: true });
      await bunch.run(async () => {
        try {
          await t.raises('RuntimeError', () => t.call(lock, 'release'));
        } finally {
          await bunch.doFinish();
        }
      });
    },
    async test__is_owned(t) {
      // Python's private _is_owned() is weft's public isOwnedByCurrentThread().
      const lock = await t.make[kind]();
      assertFalse(await t.call(lock, 'isOwnedByCurrentThread'));
      await t.call(lock, 'acquire');
      assertTrue(await t.call(lock, 'isOwnedByCurrentThread'));
      await t.call(lock, 'acquire');
      assertTrue(await t.call(lock, 'isOwnedByCurrentThread'));
      const s = await t.shared(['result']);
      await t.Bunch(s, 'isOwnedInto', 1, { lock }).run();
      assertFalse((await s.list('result'))[0]);
      await t.call(lock, 'release');
      assertTrue(await t.call(lock, 'isOwnedByCurrentThread'));
      await t.call(lock, 'release');
      assertFalse(await t.call(lock, 'isOwnedByCurrentThread'));
    },
  };
}

/** EventTests._check_notify. */
async function checkEventNotify(t, evt) {
  // All threads get notified
  const N = 5;
  const s = await t.shared(['results1', 'results2']);
  await t.Bunch(s, 'eventWaitTwice', N, { evt }).run(async () => {
    // Threads blocked on first evt.wait()
    await t.waitThreadsBlocked(N);
    assert.equal(await s.len('results1'), 0);

    // Threads unblocked
    await t.call(evt, 'set');
  });
  assert.deepEqual(await s.list('results1'), Array(N).fill(true));
  assert.deepEqual(await s.list('results2'), Array(N).fill(true));
}

const eventTests = {
  async test_is_set(t) {
    const evt = await t.make.Event();
    assertFalse(await t.call(evt, 'isSet'));
    await t.call(evt, 'set');
    assertTrue(await t.call(evt, 'isSet'));
    await t.call(evt, 'set');
    assertTrue(await t.call(evt, 'isSet'));
    await t.call(evt, 'clear');
    assertFalse(await t.call(evt, 'isSet'));
    await t.call(evt, 'clear');
    assertFalse(await t.call(evt, 'isSet'));
  },
  async test_notify(t) {
    const evt = await t.make.Event();
    await checkEventNotify(t, evt);
    // Another time, after an explicit clear()
    await t.call(evt, 'set');
    await t.call(evt, 'clear');
    await checkEventNotify(t, evt);
  },
  async test_timeout(t) {
    const evt = await t.make.Event();
    const N = 5;
    let s = await t.shared(['results1', 'results2']);
    await t.Bunch(s, 'eventTimeout', N, { evt }).run();

    assert.deepEqual(await s.list('results1'), Array(N).fill(false));
    for (const [r, dt] of await s.list('results2')) {
      assertFalse(r);
      t.assertTimeout(dt, 500);
    }

    // The event is set
    s = await t.shared(['results1', 'results2']);
    await t.call(evt, 'set');
    await t.Bunch(s, 'eventTimeout', N, { evt }).run();

    assert.deepEqual(await s.list('results1'), Array(N).fill(true));
    for (const [r] of await s.list('results2')) assertTrue(r);
  },
  async test_set_and_clear(t) {
    // gh-57711: check that wait() returns true even when the event is
    // cleared before the waiting thread is woken up.
    const event = await t.make.Event();
    const s = await t.shared(['results']);
    const N = 5;
    await t.Bunch(s, 'eventWaitLong', N, { evt: event }).run(async () => {
      // Threads blocked on event.wait()
      await t.waitThreadsBlocked(N);

      // Threads unblocked
      await t.call(event, 'set');
      await t.call(event, 'clear');
    });
    assert.deepEqual(await s.list('results'), Array(N).fill(true));
  },
};

/** ConditionTests._check_notify. */
async function checkConditionNotify(t, cond) {
  // Note that this test is sensitive to timing (see CPython's comment): the main thread waits for
  // the workers to settle before each step.
  const s = await t.shared(['ready', 'results1', 'results2']);
  await s.set('phase_num', 0);
  const N = 5;
  const waitLen = (names, n) =>
    t.waitUntil(
      async () => {
        let total = 0;
        for (const name of names) total += await s.len(name);
        return total >= n;
      },
      `${names.join(' + ')} >= ${n}`,
    );
  await t.Bunch(s, 'conditionCheckNotify', N, { cond }).run(async () => {
    // first wait, to ensure all workers settle into cond.wait() before
    // we continue. See issues #8799 and #30727.
    await waitLen(['ready'], N);

    await s.clear('ready');
    assert.deepEqual(await s.list('results1'), []);

    // Notify 3 threads at first
    const count1 = 3;
    await t.call(cond, 'acquire');
    await t.call(cond, 'notify', count1);
    await t.waitThreadsBlocked(count1);

    // Phase 1
    await s.set('phase_num', 1);
    await t.call(cond, 'release');
    await waitLen(['results1'], count1);

    assert.deepEqual(await s.list('results1'), Array(count1).fill([true, 1]));
    assert.deepEqual(await s.list('results2'), []);

    // Wait until awaken workers are blocked on cond.wait()
    await waitLen(['ready'], count1);

    // Notify 5 threads: they might be in their first or second wait
    await t.call(cond, 'acquire');
    await t.call(cond, 'notify', 5);
    await t.waitThreadsBlocked(N);

    // Phase 2
    await s.set('phase_num', 2);
    await t.call(cond, 'release');
    await waitLen(['results1', 'results2'], N + count1);

    const count2 = N - count1;
    assert.deepEqual(await s.list('results1'), [
      ...Array(count1).fill([true, 1]),
      ...Array(count2).fill([true, 2]),
    ]);
    assert.deepEqual(await s.list('results2'), Array(count1).fill([true, 2]));

    // Make sure all workers settle into cond.wait()
    await waitLen(['ready'], N);

    // Notify all threads: they are all in their second wait
    await t.call(cond, 'acquire');
    await t.call(cond, 'notifyAll');
    await t.waitThreadsBlocked(N);

    // Phase 3
    await s.set('phase_num', 3);
    await t.call(cond, 'release');
    await waitLen(['results2'], N);
    assert.deepEqual(await s.list('results1'), [
      ...Array(count1).fill([true, 1]),
      ...Array(count2).fill([true, 2]),
    ]);
    assert.deepEqual(await s.list('results2'), [
      ...Array(count1).fill([true, 2]),
      ...Array(count2).fill([true, 3]),
    ]);
  });
}

const conditionTests = {
  async test_acquire(t) {
    let cond = await t.make.Condition();
    // Be default we have an RLock: the condition can be acquired multiple
    // times.
    await t.call(cond, 'acquire');
    await t.call(cond, 'acquire');
    await t.call(cond, 'release');
    await t.call(cond, 'release');
    const lock = await t.make.Lock();
    cond = await t.make.Condition(lock);
    await t.call(cond, 'acquire');
    assertFalse(await t.call(lock, 'acquire', { blocking: false }));
    await t.call(cond, 'release');
    assertTrue(await t.call(lock, 'acquire', { blocking: false }));
    assertFalse(await t.call(cond, 'acquire', { blocking: false }));
    await t.call(lock, 'release');
    await withLock(t, cond, async () => {
      assertFalse(await t.call(lock, 'acquire', { blocking: false }));
    });
  },
  async test_unacquired_wait(t) {
    const cond = await t.make.Condition();
    await t.raises('RuntimeError', () => t.call(cond, 'wait'));
  },
  async test_unacquired_notify(t) {
    const cond = await t.make.Condition();
    await t.raises('RuntimeError', () => t.call(cond, 'notify'));
  },
  async test_notify(t) {
    const cond = await t.make.Condition();
    await checkConditionNotify(t, cond);
    // A second time, to check internal state is still ok.
    await checkConditionNotify(t, cond);
  },
  async test_timeout(t) {
    const cond = await t.make.Condition();
    const timeout = 500;
    const s = await t.shared(['results']);
    const N = 5;
    await t.Bunch(s, 'conditionTimeout', N, { cond }).run();
    const results = await s.list('results');
    assert.equal(results.length, N);
    for (const [dt, result] of results) {
      t.assertTimeout(dt, timeout);
      // Note that conceptually (that"s the condition variable protocol)
      // a wait() may succeed even if no one notifies us and before any
      // timeout occurs.  Spurious wakeups can occur.
      // This makes it hard to verify the result value.
      // In practice, this implementation has no spurious wakeups.
      assertFalse(result);
    }
  },
  async test_waitfor(t) {
    const cond = await t.make.Condition();
    const s = await t.shared();
    await s.set('state', 0);
    await t.Bunch(s, 'conditionWaitFor', 1, { cond }).run(async () => {
      for (let i = 0; i < 4; i++) {
        await t.sleep(10);
        await withLock(t, cond, async () => {
          await s.set('state', (await s.get('state')) + 1);
          await t.call(cond, 'notify');
        });
      }
    });
  },
  async test_waitfor_timeout(t) {
    const cond = await t.make.Condition();
    const s = await t.shared(['success']);
    await s.set('state', 0);
    await t.Bunch(s, 'conditionWaitForTimeout', 1, { cond }).run(async () => {
      // Only increment 3 times, so state == 4 is never reached.
      for (let i = 0; i < 3; i++) {
        await t.sleep(10);
        await withLock(t, cond, async () => {
          await s.set('state', (await s.get('state')) + 1);
          await t.call(cond, 'notify');
        });
      }
    });
    assert.equal(await s.len('success'), 1);
  },
};

const sortNumbers = (xs) => [...xs].sort((a, b) => a - b);

/** BaseSemaphoreTests, for `t.make[kind](value)`. */
function baseSemaphoreTests(kind) {
  const semAcquireContended = async (t, flow, releaseAll) => {
    const semValue = 7;
    const sem = await t.make[kind](semValue);
    await t.call(sem, 'acquire');
    const s = await t.shared(['sem_results', 'results1', 'results2']);
    await s.set('phase_num', 0);
    const results = async () => [...(await s.list('results1')), ...(await s.list('results2'))];
    const waitCount = (count) =>
      t.waitUntil(
        async () => (await s.len('results1')) + (await s.len('results2')) >= count,
        `${count} results`,
      );
    const N = 10;
    const counts = {};
    await t.Bunch(s, flow, N, { sem }).run(async () => {
      // Phase 0
      const count1 = semValue - 1;
      await waitCount(count1);
      assert.deepEqual(await results(), Array(count1).fill(0));

      // Phase 1
      await s.set('phase_num', 1);
      await releaseAll(sem, semValue);
      const count2 = semValue;
      await waitCount(count1 + count2);
      assert.deepEqual(sortNumbers(await results()), [...Array(count1).fill(0), ...Array(count2).fill(1)]);

      // Phase 2
      await s.set('phase_num', 2);
      const count3 = semValue - 1;
      await releaseAll(sem, count3);
      await waitCount(count1 + count2 + count3);
      assert.deepEqual(sortNumbers(await results()), [
        ...Array(count1).fill(0),
        ...Array(count2).fill(1),
        ...Array(count3).fill(2),
      ]);
      // The semaphore is still locked
      assertFalse(await t.call(sem, 'acquire', { blocking: false }));

      // Final release, to let the last thread finish
      const count4 = 1;
      await t.call(sem, 'release');
      Object.assign(counts, { total: count1 + count2 + count3 + count4 });
    });
    return { s, counts };
  };
  return {
    async test_constructor(t) {
      await t.raises('ValueError', () => t.make[kind](-1));
      await t.raises('ValueError', () => t.make[kind](-Number.MAX_SAFE_INTEGER));
    },
    async test_acquire(t) {
      let sem = await t.make[kind](1);
      await t.call(sem, 'acquire');
      await t.call(sem, 'release');
      sem = await t.make[kind](2);
      await t.call(sem, 'acquire');
      await t.call(sem, 'acquire');
      await t.call(sem, 'release');
      await t.call(sem, 'release');
    },
    async test_acquire_destroy(t) {
      const sem = await t.make[kind]();
      await t.call(sem, 'acquire');
    },
    async test_acquire_contended(t) {
      const { s, counts } = await semAcquireContended(t, 'semaphoreAcquireTwice', async (sem, n) => {
        for (let i = 0; i < n; i++) await t.call(sem, 'release');
      });
      assert.deepEqual(await s.list('sem_results'), Array(counts.total).fill(true));
    },
    async test_multirelease(t) {
      await semAcquireContended(t, 'semaphoreMultirelease', (sem, n) => t.call(sem, 'release', n));
    },
    async test_try_acquire(t) {
      const sem = await t.make[kind](2);
      assertTrue(await t.call(sem, 'acquire', { blocking: false }));
      assertTrue(await t.call(sem, 'acquire', { blocking: false }));
      assertFalse(await t.call(sem, 'acquire', { blocking: false }));
      await t.call(sem, 'release');
      assertTrue(await t.call(sem, 'acquire', { blocking: false }));
    },
    async test_try_acquire_contended(t) {
      const sem = await t.make[kind](4);
      await t.call(sem, 'acquire');
      const s = await t.shared(['results']);
      await t.Bunch(s, 'semaphoreTryTwice', 5, { sem }).run();
      // There can be a thread switch between acquiring the semaphore and
      // appending the result, therefore results will not necessarily be
      // ordered.
      const sorted = [...(await s.list('results'))].sort((a, b) => Number(a) - Number(b));
      assert.deepEqual(sorted, [...Array(7).fill(false), ...Array(3).fill(true)]);
    },
    async test_acquire_timeout(t) {
      const sem = await t.make[kind](2);
      await t.raises('ValueError', () => t.call(sem, 'acquire', { blocking: false, timeout: 1000 }));
      assertTrue(await t.call(sem, 'acquire', { timeout: 5 }));
      assertTrue(await t.call(sem, 'acquire', { timeout: 5 }));
      assertFalse(await t.call(sem, 'acquire', { timeout: 5 }));
      await t.call(sem, 'release');
      assertTrue(await t.call(sem, 'acquire', { timeout: 5 }));
      const start = t.now();
      assertFalse(await t.call(sem, 'acquire', { timeout: 500 }));
      const dt = t.now() - start;
      t.assertTimeout(dt, 500);
    },
    async test_default_value(t) {
      // The default initial value is 1.
      const sem = await t.make[kind]();
      await t.call(sem, 'acquire');
      const s = await t.shared();
      const bunch = t.Bunch(s, 'semaphoreAcquireRelease', 1, { sem });
      await bunch.run(async () => {
        // Thread blocked on sem.acquire()
        await t.waitThreadsBlocked(1);
        assert.equal(await bunch.finished(), 0);

        // Thread unblocked
        await t.call(sem, 'release');
      });
    },
    async test_with(t) {
      const sem = await t.make[kind](2);
      const _with = async (err) => {
        await withLock(t, sem, async () => {
          assertTrue(await t.call(sem, 'acquire', { blocking: false }));
          await t.call(sem, 'release');
          await withLock(t, sem, async () => {
            assertFalse(await t.call(sem, 'acquire', { blocking: false }));
            if (err) throw new err();
          });
        });
      };
      await _with();
      assertTrue(await t.call(sem, 'acquire', { blocking: false }));
      await t.call(sem, 'release');
      await t.raises('TypeError', () => _with(TypeError));
      assertTrue(await t.call(sem, 'acquire', { blocking: false }));
      await t.call(sem, 'release');
    },
  };
}

const semaphoreTests = {
  ...baseSemaphoreTests('Semaphore'),
  async test_release_unacquired(t) {
    // Unbounded releases are allowed and increment the semaphore's value
    const sem = await t.make.Semaphore(1);
    await t.call(sem, 'release');
    await t.call(sem, 'acquire');
    await t.call(sem, 'acquire');
    await t.call(sem, 'release');
  },
};

const boundedSemaphoreTests = {
  ...baseSemaphoreTests('BoundedSemaphore'),
  async test_release_unacquired(t) {
    // Cannot go past the initial value
    const sem = await t.make.BoundedSemaphore();
    await t.raises('ValueError', () => t.call(sem, 'release'));
    await t.call(sem, 'acquire');
    await t.call(sem, 'release');
    await t.raises('ValueError', () => t.call(sem, 'release'));
  },
};

const N = 5;
const defaultTimeout = 2000;

const barrierTests = {
  async test_barrier(t, self, passes = 1) {
    // Test that a barrier is passed in lockstep
    const s = await t.shared(['results0', 'results1']);
    await t.Bunch(s, 'multipass', N, { barrier: self.barrier, passes, N }).run();
  },
  async test_barrier_10(t, self) {
    // Test that a barrier works for 10 consecutive runs
    await barrierTests.test_barrier(t, self, 10);
  },
  async test_wait_return(t, self) {
    // test the return value from barrier.wait
    const s = await t.shared(['results']);
    await t.Bunch(s, 'barrierWaitReturn', N, { barrier: self.barrier }).run();
    const results = await s.list('results');
    assert.equal(
      results.reduce((a, b) => a + b, 0),
      (N * (N - 1)) / 2,
    );
  },
  async test_action(t) {
    // Test the 'action' callback
    const s = await t.shared(['results']);
    const action = () => s.push('results', true);
    const barrier = await t.make.Barrier(N, { action });
    await t.Bunch(s, 'barrierAction', N, { barrier }).run();
  },
  async test_abort(t, self) {
    // Test that an abort will put the barrier in a broken state
    const s = await t.shared(['results1', 'results2']);
    await t.Bunch(s, 'barrierAbort', N, { barrier: self.barrier, N }).run();
    assert.equal(await s.len('results1'), 0);
    assert.equal(await s.len('results2'), N - 1);
    assertTrue(await t.prop(self.barrier, 'broken'));
  },
  async test_reset(t, self) {
    // Test that a 'reset' on a barrier frees the waiting threads
    const s = await t.shared(['results1', 'results2', 'results3']);
    await t.Bunch(s, 'barrierReset', N, { barrier: self.barrier, N }).run();
    assert.equal(await s.len('results1'), 0);
    assert.equal(await s.len('results2'), N - 1);
    assert.equal(await s.len('results3'), N);
  },
  async test_abort_and_reset(t, self) {
    // Test that a barrier can be reset after being broken.
    const s = await t.shared(['results1', 'results2', 'results3']);
    const barrier2 = await t.make.Barrier(N);
    await t.Bunch(s, 'barrierAbortAndReset', N, { barrier: self.barrier, barrier2, N }).run();
    assert.equal(await s.len('results1'), 0);
    assert.equal(await s.len('results2'), N - 1);
    assert.equal(await s.len('results3'), N);
  },
  async test_timeout(t, self) {
    // Test wait(timeout)
    const s = await t.shared();
    await t.Bunch(s, 'barrierTimeout', N, { barrier: self.barrier, N, defaultTimeout }).run();
  },
  async test_default_timeout(t) {
    // Test the barrier's default timeout
    const timeout = 100;
    const barrier = await t.make.Barrier(2, { timeout });
    const s = await t.shared();
    const startTime = t.now();
    await t.Bunch(s, 'barrierDefaultTimeout', 1, { barrier }).run();
    const dt = t.now() - startTime;
    assert.ok(dt >= timeout, `${dt} >= ${timeout}`);
  },
  async test_single_thread(t) {
    const b = await t.make.Barrier(1);
    await t.call(b, 'wait');
    await t.call(b, 'wait');
  },
};

export const classes = {
  LockTests: { tests: lockTests },
  RLockTests: { tests: rlockTests('RLock') },
  ConditionAsRLockTests: { tests: rlockTests('Condition') },
  EventTests: { tests: eventTests },
  ConditionTests: { tests: conditionTests },
  SemaphoreTests: { tests: semaphoreTests },
  BoundedSemaphoreTests: { tests: boundedSemaphoreTests },
  BarrierTests: {
    tests: barrierTests,
    async setUp(t) {
      return { barrier: await t.make.Barrier(N, { timeout: defaultTimeout }) };
    },
    async tearDown(t, self) {
      await t.call(self.barrier, 'abort');
    },
  },
};
