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
    backends: ['process'],
    reason:
      "weft gap: a Condition in a 'process' child has no isOwnedByCurrentThread() (the native Condition has it, as Python's has _is_owned())",
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
  {
    test: 'lock_tests.RLockTests.test__is_owned',
    backends: ['process'],
    reason:
      "weft gap: an RLock in a 'process' child has no isOwnedByCurrentThread() (the served RLock is owned per child thread, but the child's proxy cannot ask)",
  },
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
    test: '_test_multiprocessing._TestQueue.test_closed_queue_put_get_exceptions',
    backends: ['thread', 'process', 'manager'],
    reason:
      "difference, documented in @weft/queue's README: close() is shared by every thread and works like Python 3.13's shutdown(), so put/get after it raise QueueClosed (ShutDown) where multiprocessing raises ValueError('Queue … is closed')",
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
];

export function knownFailure(id: string, backend: Backend): KnownFailure | undefined {
  return KNOWN_FAILURES.find((entry) => entry.backends.includes(backend) && matches(entry.test, id));
}

export function matches(pattern: string, id: string): boolean {
  return pattern.endsWith('.*') ? id.startsWith(pattern.slice(0, -1)) : pattern === id;
}
