/**
 * CPython tests not ported, each with its reason. Entries with `backends` are ported but do not
 * apply on those backends (declared as skipped tests, reason in the title); entries without are
 * not ported at all (listed in the table). Nothing is left out silently.
 */
import type { Backend } from './backends.js';
import { matches } from './known-failures.js';

export interface NotPorted {
  /** `file.Class.test`, or `file.Class.*`. */
  test: string;
  reason: string;
  /** Only on these backends (the test is ported and runs on the others). */
  backends?: readonly Backend[];
}

const ASYNC_RLOCK =
  "an RLock's owner is a thread: async tasks of one thread are one owner, so they cannot contend for it (as in Python, where asyncio has no RLock)";
const ASYNC_CONDITION =
  'the default lock of a Condition is an RLock owned by the thread: async tasks of one thread re-enter it instead of taking turns, so they cannot each wait on it (asyncio.Condition uses a non-reentrant lock)';
const NO_REPR = 'JavaScript objects have no repr(); weft defines no inspect format to compare against';
const NO_FORK = 'Node has no fork(): there is no at-fork hook to test';
const NO_WEAKREF = 'needs a forced garbage collection (--expose-gc) in the test thread';

export const NOT_PORTED: readonly NotPorted[] = [
  // lock_tests.py: not ported at all
  ...['LockTests', 'RLockTests', 'ConditionAsRLockTests'].flatMap((cls): NotPorted[] => [
    { test: `lock_tests.${cls}.test_repr`, reason: NO_REPR },
    { test: `lock_tests.${cls}.test_locked_repr`, reason: NO_REPR },
    { test: `lock_tests.${cls}.test_weakref_exists`, reason: NO_WEAKREF },
    { test: `lock_tests.${cls}.test_weakref_deleted`, reason: NO_WEAKREF },
  ]),
  { test: 'lock_tests.LockTests.test_at_fork_reinit', reason: NO_FORK },
  { test: 'lock_tests.EventTests.test_at_fork_reinit', reason: NO_FORK },
  { test: 'lock_tests.EventTests.test_repr', reason: NO_REPR },
  { test: 'lock_tests.SemaphoreTests.test_repr', reason: NO_REPR },
  { test: 'lock_tests.BoundedSemaphoreTests.test_repr', reason: NO_REPR },
  { test: 'lock_tests.BarrierTests.test_repr', reason: NO_REPR },
  ...['RLockTests', 'ConditionAsRLockTests'].flatMap((cls): NotPorted[] => [
    {
      test: `lock_tests.${cls}.test_release_save_unacquired`,
      reason: "tests CPython's private _release_save(), which weft's RLock has no public counterpart of",
    },
    {
      test: `lock_tests.${cls}.test_recursion_count`,
      reason: "tests CPython's private _recursion_count(), which weft's RLock has no public counterpart of",
    },
  ]),
  // lock_tests.py: ported, not applicable on some backends
  ...['RLockTests', 'ConditionAsRLockTests'].flatMap((cls): NotPorted[] =>
    ['test_acquire_contended', 'test_try_acquire_contended', 'test_different_thread', 'test__is_owned'].map(
      (test) => ({ test: `lock_tests.${cls}.${test}`, backends: ['async'], reason: ASYNC_RLOCK }),
    ),
  ),
  ...['test_notify', 'test_timeout'].map(
    (test): NotPorted => ({
      test: `lock_tests.ConditionTests.${test}`,
      backends: ['async'],
      reason: ASYNC_CONDITION,
    }),
  ),
  ...['RLockTests', 'ConditionAsRLockTests'].map(
    (cls): NotPorted => ({
      test: `lock_tests.${cls}.test__is_owned`,
      backends: ['manager'],
      reason:
        "manager proxies have no isOwnedByCurrentThread() (ownership lives in the server; Python's AcquirerProxy has no _is_owned() either)",
    }),
  ),
  // test_queue.py: not ported at all
  ...['QueueTest', 'LifoQueueTest', 'PriorityQueueTest'].map(
    (cls): NotPorted => ({
      test: `test_queue.${cls} (Py and C variants)`,
      reason:
        'CPython runs each class twice, on the pure-Python and the C queue module; weft has one implementation, so each runs once',
    }),
  ),
  {
    test: 'test_queue.FailingQueueTest.test_failing_queue',
    reason:
      "subclasses Queue and overrides its private _put()/_get() to fail on demand; weft's queues have no such hooks (their storage is a shared-memory ring)",
  },
  {
    test: 'test_queue.SimpleQueueTest.test_references',
    reason: 'needs weakref + a forced garbage collection (--expose-gc) in the test thread',
  },
  {
    test: 'test_queue.SimpleQueueTest.test_is_default',
    reason: 'checks that queue.SimpleQueue is the C implementation; weft has one',
  },
  {
    test: 'test_queue.SimpleQueueTest.test_reentrancy',
    reason:
      'exercises put() re-entered from a __del__ finalizer during put(); JavaScript finalizers never run inside another call',
  },
  // test_queue.py: ported, not applicable on the manager backend
  ...['LifoQueueTest', 'PriorityQueueTest', 'SimpleQueueTest'].map(
    (cls): NotPorted => ({
      test: `test_queue.${cls}.*`,
      backends: ['manager'],
      reason:
        "the manager offers Queue and JoinableQueue only (as Python's SyncManager does: no LifoQueue, PriorityQueue or SimpleQueue)",
    }),
  ),
  // test_concurrent_futures: not ported at all
  {
    test: 'test_concurrent_futures.FutureTests.test_repr',
    reason: NO_REPR,
  },
  { test: 'test_concurrent_futures.FutureTests.test_class_str', reason: NO_REPR },
  {
    test: 'test_concurrent_futures.FutureTests.test_get_snapshot',
    reason: "tests CPython's private Future._get_snapshot()",
  },
  {
    test: 'test_concurrent_futures.AsCompletedTests.test_free_reference_yielded_future',
    reason: `${NO_WEAKREF} (issue 16 reports that asCompleted keeps what it yielded alive)`,
  },
  {
    test: 'test_concurrent_futures.*Tests (fork, forkserver, spawn, interpreter variants)',
    reason:
      "CPython runs each executor test class on every multiprocessing start method and on InterpreterPoolExecutor; weft's ProcessPoolExecutor has one way to start a child, and no interpreter pool",
  },
  // test_concurrent_futures: classes that belong to some backends only
  ...(['thread', 'process', 'manager'] as const).map(
    (backend): NotPorted => ({
      test: 'test_concurrent_futures.FutureTests.*',
      backends: [backend],
      reason:
        "exercises a Future alone, on the thread that made it (CPython's notification thread is an async task): it runs on the async backend",
    }),
  ),
  {
    test: 'test_concurrent_futures.ThreadPoolWaitTests.*',
    backends: ['process', 'manager', 'async'],
    reason: 'the ThreadPoolExecutor variant of WaitTests: it runs on the thread backend',
  },
  {
    test: 'test_concurrent_futures.ProcessPoolWaitTests.*',
    backends: ['thread', 'manager', 'async'],
    reason: 'the ProcessPoolExecutor variant of WaitTests: it runs on the process backend',
  },
  {
    test: 'test_concurrent_futures.AsCompletedTests.*',
    backends: ['manager', 'async'],
    reason:
      'tests an executor: it runs on thread (ThreadPoolExecutor) and process (ProcessPoolExecutor); there is no executor over manager proxies or async tasks',
  },
  // _test_multiprocessing.py
  ...(['_TestQueue', '_TestLock', '_TestSemaphore', '_TestEvent'] as const).map(
    (cls): NotPorted => ({
      test: `_test_multiprocessing.${cls}.*`,
      backends: ['async'],
      reason: "CPython's ALLOWED_TYPES for it are processes, threads and manager: there is no async type",
    }),
  ),
  ...(['_TestProcess', '_TestConnection', '_TestPool'] as const).map(
    (cls): NotPorted => ({
      test: `_test_multiprocessing.${cls}.*`,
      backends: ['manager', 'async'],
      reason: "CPython's ALLOWED_TYPES for it are processes and threads",
    }),
  ),
  {
    test: '_test_multiprocessing._TestPool.*',
    backends: ['manager'],
    reason: "CPython's 'manager' type uses manager.Pool(); weft's Manager serves no Pool",
  },
  {
    test: '_test_multiprocessing._TestPool.test_* (the rest: imap, apply_async timeouts, terminate, context, traceback, wrapped exceptions, …)',
    reason: 'not ported yet',
  },
  {
    test: '_test_multiprocessing._TestPoolWorkerErrors.*',
    backends: ['thread', 'manager', 'async'],
    reason: "CPython's ALLOWED_TYPES for it are processes only",
  },
  {
    test: '_test_multiprocessing._TestPoolWorkerErrors.test_unpickleable_result',
    reason:
      'not ported yet (a task returning a function: issue 16 reports it crashes a process child instead of DataCloneError)',
  },
  {
    test: '_test_multiprocessing._TestConnection.test_sendbytes',
    backends: ['thread'],
    reason: "CPython skips it but for 'processes' (it never starts a child: the same test twice)",
  },
  {
    test: '_test_multiprocessing._TestProcess.test_current',
    backends: ['thread'],
    reason: 'CPython skips it for threads',
  },
  {
    test: '_test_multiprocessing._TestProcess.test_current',
    backends: ['process'],
    reason:
      "the test body runs in a worker thread of its own (so that the watchdog can end it), whose currentProcess() is that thread, not the process (note: weft's currentProcess() is a ProcessInfo with no isAlive() / exitCode, where Python's is a Process)",
  },
  ...(['_TestValue', '_TestArray'] as const).map(
    (cls): NotPorted => ({
      test: `_test_multiprocessing.${cls}.*`,
      backends: ['manager', 'async'],
      reason:
        "CPython runs it on 'processes' only (ALLOWED_TYPES); weft's Value and SharedArray are shared by threads too, so it also runs on thread",
    }),
  ),
  {
    test: '_test_multiprocessing._TestSemaphore.test_timeout',
    backends: ['thread', 'manager'],
    reason: "CPython skips it but for 'processes' (test not appropriate for threads / manager)",
  },
  { test: '_test_multiprocessing._TestEvent.test_repr', reason: NO_REPR },
  ...[
    ['test_set_executable', 'Node has no set_executable(): children run process.execPath'],
    ['test_parent_process_attributes', 'not ported yet (needs a Pipe in a child: see _TestConnection)'],
    ['test_parent_process', 'not ported yet (grandchild reporting through a Pipe)'],
    ['test_process_mainthread_native_id', 'Node has no native thread id'],
    ['test_recursion', 'not ported yet (nested children writing to one Pipe)'],
    ['test_sentinel', "weft's Process has no sentinel (an OS handle to wait on): join() is the way"],
    ['test_lose_target_ref', 'needs weakref + a forced garbage collection'],
    ['test_child_fd_inflation', 'tests forkserver file descriptors; weft has no forkserver'],
    ['test_wait_for_threads', 'not ported yet (threads started by a child target)'],
    ['test_error_on_stdio_flush_1', "tests sys.stdout replaced by a broken object; Node's stdio cannot be"],
    ['test_error_on_stdio_flush_2', "tests sys.stdout replaced by a broken object; Node's stdio cannot be"],
    ['test_forkserver_sigint', 'weft has no forkserver'],
    ['test_forkserver_sigkill', 'weft has no forkserver'],
  ].map(
    ([test, reason]): NotPorted => ({ test: `_test_multiprocessing._TestProcess.${test}`, reason: reason! }),
  ),
  {
    test: '_test_multiprocessing._TestQueue.test_no_import_lock_contention',
    reason:
      "tests Python's import lock (a module that uses a Queue while it is being imported); Node has no import lock",
  },
  ...['test_queue_feeder_donot_stop_onexc', 'test_queue_feeder_on_queue_feeder_error'].map(
    (test): NotPorted => ({
      test: `_test_multiprocessing._TestQueue.${test}`,
      reason:
        "tests multiprocessing.Queue's feeder thread and its pickling errors; a weft Queue has no feeder thread (put encodes and stores the item at once, and throws DataCloneError then)",
    }),
  ),
  // issue 16's symptoms: each on the backend where it shows
  {
    test: 'issue_16.ProcessSymptoms.*',
    backends: ['thread', 'manager', 'async'],
    reason: "symptoms of a 'process' child",
  },
  {
    test: 'issue_16.AsyncSymptoms.*',
    backends: ['thread', 'process', 'manager'],
    reason: 'a symptom of one thread',
  },
  {
    test: 'issue_16.ThreadSymptoms.*',
    backends: ['process', 'manager', 'async'],
    reason: "a symptom of the thread pool's dispatch",
  },
];

export function notPortedOn(id: string, backend: Backend): string | undefined {
  return NOT_PORTED.find((entry) => entry.backends?.includes(backend) && matches(entry.test, id))?.reason;
}
