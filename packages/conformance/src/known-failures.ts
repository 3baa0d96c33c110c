/**
 * Ported CPython tests that fail on a backend today, each with its reason: a weft bug (named, so it
 * can be fixed and the entry removed) or a deliberate difference that a package README explains.
 * The suite runs these expecting failure and fails if one passes: then remove its entry.
 */
import type { Backend } from './backends.js';

export interface KnownFailure {
  /** `file.Class.test`; `file.Class.*` for every test of a class. */
  test: string;
  backends: readonly Backend[];
  reason: string;
  /** The failure is a hang: the test gets a shorter watchdog. */
  hangs?: boolean;
}

/** Issue 16, symptom 5 and kin: what a `context: 'process'` child gets is a manager proxy, not the native API. */
const PROXY_IN_CHILD =
  "weft bug (issue 16, symptom 5): in a 'process' child a primitive is a manager proxy whose methods that answer at once natively (release(), abort(), reset(), set()) return a Promise, and whose properties (parties, nWaiting, broken) are methods";

/** Of those, the tests whose flows then wait forever (a contended acquire in a child never returns). */
const PROCESS_HANGS = new Set([
  'LockTests.test_acquire_contended',
  'LockTests.test_thread_leak',
  'RLockTests.test_acquire_contended',
  'ConditionAsRLockTests.test_acquire_contended',
  'ConditionTests.test_notify',
  'ConditionTests.test_timeout',
  'BarrierTests.test_abort_and_reset',
]);

const NO_TIMEOUT_MAX =
  'difference, undocumented: weft has no TIMEOUT_MAX and accepts any timeout (1e103 ms waits as good as forever) where CPython raises OverflowError; @weft/lock README should say so';

export const KNOWN_FAILURES: readonly KnownFailure[] = [
  // lock_tests.py
  ...['LockTests', 'RLockTests', 'ConditionAsRLockTests'].map(
    (cls): KnownFailure => ({
      test: `lock_tests.${cls}.test_timeout`,
      backends: ['thread', 'process', 'async'],
      reason: NO_TIMEOUT_MAX,
    }),
  ),
  ...['LockTests', 'RLockTests', 'ConditionAsRLockTests', 'SemaphoreTests', 'BoundedSemaphoreTests'].map(
    (cls): KnownFailure => ({
      test: `lock_tests.${cls}.${cls.includes('Semaphore') ? 'test_acquire_timeout' : 'test_timeout'}`,
      backends: ['manager'],
      reason:
        'weft bug: a manager proxy accepts acquire({ blocking: false, timeout }) (Python and the native weft primitives raise ValueError)',
    }),
  ),
  {
    test: 'lock_tests.ConditionAsRLockTests.test__is_owned',
    backends: ['thread', 'process'],
    reason:
      "weft gap: Condition has no isOwnedByCurrentThread() (Lock and RLock have it; Python's Condition has _is_owned())",
  },
  {
    test: 'lock_tests.BarrierTests.test_action',
    backends: ['thread', 'process'],
    reason:
      "difference, documented in @weft/lock's README: a Barrier's action runs only in the thread that made the barrier, so a cycle completed by a worker runs none",
  },
  {
    test: 'lock_tests.BarrierTests.test_action',
    backends: ['manager'],
    reason:
      "difference: manager.Barrier() takes no action (a function cannot cross to the server); @weft/manager's README lists Barrier(parties, { timeout }) only",
  },
  {
    test: 'lock_tests.ConditionTests.test_acquire',
    backends: ['manager'],
    reason:
      "difference: manager.Condition() takes no lock of your own (Python's manager.Condition(lock) does); @weft/manager's README: Condition() has its own RLock",
  },
  ...[
    'LockTests.test_acquire_contended',
    'LockTests.test_different_thread',
    'LockTests.test_thread_leak',
    'LockTests.test_with',
    'RLockTests.test_acquire_contended',
    'RLockTests.test_thread_leak',
    'RLockTests.test_with',
    'RLockTests.test__is_owned',
    'ConditionAsRLockTests.test_acquire_contended',
    'ConditionAsRLockTests.test_thread_leak',
    'ConditionAsRLockTests.test_with',
    'ConditionTests.test_notify',
    'ConditionTests.test_timeout',
    'ConditionTests.test_waitfor',
    'ConditionTests.test_waitfor_timeout',
    'SemaphoreTests.test_default_value',
    'BoundedSemaphoreTests.test_default_value',
    'BarrierTests.test_barrier',
    'BarrierTests.test_barrier_10',
    'BarrierTests.test_abort',
    'BarrierTests.test_reset',
    'BarrierTests.test_abort_and_reset',
  ].map(
    (test): KnownFailure => ({
      test: `lock_tests.${test}`,
      backends: ['process'],
      reason: PROXY_IN_CHILD,
      ...(PROCESS_HANGS.has(test) ? { hangs: true } : {}),
    }),
  ),
  // test_queue.py
  ...['QueueTest', 'LifoQueueTest', 'PriorityQueueTest'].map(
    (cls): KnownFailure => ({
      test: `test_queue.${cls}.test_shrinking_queue`,
      backends: ['thread', 'process', 'async'],
      reason:
        "difference, undocumented: a weft queue's maxsize is fixed when it is made (assigning q.maxsize throws TypeError; Python lets you shrink it); @weft/queue's README should say so",
    }),
  ),
  {
    test: 'test_queue.QueueTest.test_shrinking_queue',
    backends: ['manager'],
    reason: 'difference: a manager Queue proxy has no maxsize to assign (fixed when it is made)',
  },
  ...['test_queue_task_done', 'test_queue_join'].map(
    (test): KnownFailure => ({
      test: `test_queue.QueueTest.${test}`,
      backends: ['manager'],
      reason:
        "weft gap: manager.Queue() proxies have no taskDone()/join() (Python's manager.Queue() is a queue.Queue, which has them); only manager.JoinableQueue() does",
    }),
  ),
  {
    test: 'test_queue.QueueTest.test_negative_timeout_raises_exception',
    backends: ['manager'],
    reason:
      'weft bug: a manager Queue proxy accepts put(item, { timeout: -1000 }) and puts (Python and the native Queue raise ValueError)',
  },
  ...['QueueTest', 'LifoQueueTest', 'PriorityQueueTest'].map(
    (cls): KnownFailure => ({
      test: `test_queue.${cls}.test_queue_join`,
      backends: ['process'],
      reason: `${PROXY_IN_CHILD}; the workers die on cumlock.release() and the test's q.join() waits forever`,
      hangs: true,
    }),
  ),
  // test_concurrent_futures
  ...[
    ['ThreadPoolWaitTests', 'thread'],
    ['ProcessPoolWaitTests', 'process'],
  ].flatMap(([cls, backend]) =>
    ['test_first_completed', 'test_first_exception_some_already_complete'].map(
      (test): KnownFailure => ({
        test: `test_concurrent_futures.${cls}.${test}`,
        backends: [backend as Backend],
        reason:
          "difference: weft's Future has one cancelled state (@weft/executor README: PENDING → CANCELLED), and wait() counts it done; CPython's wait() does not count a future that is CANCELLED but not yet CANCELLED_AND_NOTIFIED by its executor",
      }),
    ),
  ),
  // _test_multiprocessing.py
  {
    test: '_test_multiprocessing._TestSemaphore.test_timeout',
    backends: ['process'],
    reason:
      "difference, undocumented: weft's Semaphore follows threading.Semaphore and raises ValueError for acquire({ blocking: false, timeout }); multiprocessing's Semaphore ignores the timeout and returns false; @weft/lock's README should say so",
  },
  {
    test: '_test_multiprocessing._TestEvent.test_event',
    backends: ['process'],
    reason: `${PROXY_IN_CHILD}: the child's event.set() returns a Promise, the child ends before it is sent, and the parent's wait() never returns`,
    hangs: true,
  },
  ...['test_value', 'test_rawvalue'].map(
    (test): KnownFailure => ({
      test: `_test_multiprocessing._TestValue.${test}`,
      backends: ['process'],
      reason:
        "weft bug (issue 16, symptom 2): a Value / RawValue in a 'process' child is a proxy with no .value property: `v.value = x` makes a plain property on the proxy, the parent never sees it, and nothing fails",
    }),
  ),
  ...['test_array', 'test_rawarray'].map(
    (test): KnownFailure => ({
      test: `_test_multiprocessing._TestArray.${test}`,
      backends: ['process'],
      reason: `${PROXY_IN_CHILD}: a SharedArray / RawSharedArray in a child has no .array view and no .length property`,
    }),
  ),
  {
    test: '_test_multiprocessing._TestQueue.test_closed_queue_put_get_exceptions',
    backends: ['thread', 'process', 'manager'],
    reason:
      "difference, documented in @weft/queue's README: close() is shared by every thread and works like Python 3.13's shutdown(), so put/get after it raise QueueClosed (ShutDown) where multiprocessing raises ValueError('Queue … is closed')",
  },
  ...['test_put', 'test_get', 'test_task_done'].map(
    (test): KnownFailure => ({
      test: `_test_multiprocessing._TestQueue.${test}`,
      backends: ['process'],
      reason: `${PROXY_IN_CHILD}: the child's event.set() / queue.taskDone() returns a Promise, and the parent waits forever`,
      hangs: true,
    }),
  ),
  {
    test: '_test_multiprocessing._TestProcess.test_close',
    backends: ['thread', 'process'],
    reason:
      "weft bug (issue 16, symptom 9): a closed Process answers isAlive() (false) instead of raising ValueError('process object is closed'), and so join() and terminate()",
  },
  {
    test: '_test_multiprocessing._TestConnection.test_connection',
    backends: ['thread'],
    reason:
      "difference, documented in @weft/pipe's README: recv() of a message sent with sendBytes() returns its bytes (Python unpickles them), so an object echoed through recvBytes()/sendBytes() comes back as bytes",
  },
  {
    test: '_test_multiprocessing._TestConnection.test_connection',
    backends: ['process'],
    reason:
      "the pipe difference above (recv() of sendBytes() bytes), and the echo through a 'process' child never answers: the parent waits forever",
    hangs: true,
  },
  {
    test: '_test_multiprocessing._TestConnection.test_spawn_close',
    backends: ['process'],
    reason:
      "weft bug (issue 16, symptom 7): closing the child's end of a Pipe in the parent right after start() (the README's idiom) breaks that end in the 'process' child: the echo never comes back",
    hangs: true,
  },
  {
    test: '_test_multiprocessing._TestPool.test_map_async_callbacks',
    backends: ['process'],
    reason:
      "weft bug (issue 16, symptom 6): in a 'process' pool child, a task's own error (ValueError from int('a')) arrives as WorkerCrashedError: the child crashes while batching its results",
  },
  // issue 16's symptoms
  {
    test: 'issue_16.ProcessSymptoms.symptom_1_lock_in_a_child_process',
    backends: ['process'],
    reason:
      "weft bug (issue 16, symptom 1): a Lock in a 'process' child: after the first acquireSync(); release(), the next acquireSync() never returns",
    hangs: true,
  },
  {
    test: 'issue_16.ProcessSymptoms.symptom_2_value_in_a_child_process',
    backends: ['process'],
    reason:
      "weft bug (issue 16, symptom 2): a RawValue incremented 50 times in a 'process' child still reads 0 in the parent after join(), and nothing fails",
  },
  {
    test: 'issue_16.AsyncSymptoms.symptom_3_barrier_abort_with_a_pending_wait',
    backends: ['async'],
    reason:
      'weft bug (issue 16, symptom 3): barrier.abort() while this thread has a pending wait() freezes the thread in the internal lock that wait holds (the watchdog terminates it)',
    hangs: true,
  },
  {
    test: 'issue_16.ThreadSymptoms.symptom_4_pool_runs_new_tasks_while_the_main_thread_is_busy',
    backends: ['thread'],
    reason:
      "weft bug (issue 16, symptom 4): tasks of a function the pool has not run before wait for the main thread to yield (the function's reference is resolved asynchronously), so none runs while it is busy",
  },
];

export function knownFailure(id: string, backend: Backend): KnownFailure | undefined {
  return KNOWN_FAILURES.find((entry) => entry.backends.includes(backend) && matches(entry.test, id));
}

export function matches(pattern: string, id: string): boolean {
  return pattern.endsWith('.*') ? id.startsWith(pattern.slice(0, -1)) : pattern === id;
}
