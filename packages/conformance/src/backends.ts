/** The backends a ported test runs on (see src/harness/harness.mjs for what each one is). */
export const BACKENDS = ['thread', 'process', 'manager', 'async'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The CPython test files ported here, by the module of ours that holds each port. */
export const FILES = {
  lock_tests: { cpython: 'Lib/test/lock_tests.py', module: 'lock-tests.mjs' },
  test_queue: { cpython: 'Lib/test/test_queue.py', module: 'test-queue.mjs' },
  test_concurrent_futures: {
    cpython: 'Lib/test/test_concurrent_futures/ (test_future, test_wait, test_as_completed)',
    module: 'test-concurrent-futures.mjs',
  },
  _test_multiprocessing: {
    cpython:
      'Lib/test/_test_multiprocessing.py (_TestProcess, _TestConnection, _TestPool, _TestPoolWorkerErrors, _TestQueue, _TestLock, _TestSemaphore, _TestEvent, _TestValue, _TestArray)',
    module: 'test-multiprocessing.mjs',
  },
  issue_16: {
    cpython: 'weft issue 16, its four symptoms (regression tests, not a CPython file)',
    module: 'issue-16-symptoms.mjs',
  },
} as const;
export type CpythonFile = keyof typeof FILES;
