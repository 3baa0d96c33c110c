/**
 * CPython's Lib/test/test_queue.py (3.11), ported test by test, assertion by assertion.
 *
 * As in lock-tests.mjs: seconds are milliseconds, keyword arguments options objects
 * (`q.put(x, True, 10)` is `put(x, { block: true, timeout: 10000 })`), closures over lists are the
 * harness's shared state. CPython's blocking call runs in the test body (here awaited) while a
 * trigger thread (here a Bunch of one flow) unclogs it. Classes: QueueTest, LifoQueueTest,
 * PriorityQueueTest (BaseQueueTestMixin) and SimpleQueueTest (BaseSimpleQueueTest).
 *
 * CPython starts 50 feeder and 50 consumer threads in test_many_threads*; a weft worker is a
 * V8 isolate (a thread ~30 MB, a child process more), so those tests start MANY_THREADS[backend] of
 * each instead — the same code, with fewer flows; every assertion is kept. CPython's feeders pop
 * from one shared list; here each feeder takes every n-th input (in the same order), so that a
 * feeder's put is not paced by a round trip to the list.
 */
import assert from 'node:assert/strict';

const QUEUE_SIZE = 5;

/** How many feeders and consumers test_many_threads* starts per backend (CPython: 50). */
const MANY_THREADS = { thread: 8, process: 3, manager: 8, async: 50 };

const assertTrue = (x, msg) => assert.ok(x, msg);
const assertFalse = (x, msg) => assert.ok(!x, msg);

/** qfull(q): `q.maxsize > 0 and q.qsize() == q.maxsize` (the maxsize the test made it with). */
async function qfull(t, q, maxsize) {
  return maxsize > 0 && (await t.call(q, 'qsize')) === maxsize;
}

/** Mulberry32: a seeded random(), as CPython seeds random.Random(42) for its feeders. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export const flows = {
  /** _TriggerThread.run: sleep 0.1 s, set startedEvent, call fn(*args). */
  async trigger({ q, fn, args }, h) {
    await h.sleep(100);
    await h.s.set('startedEvent', true);
    await h.call(q, fn, ...args);
  },
  /** BaseQueueTestMixin.worker. */
  async worker({ q, cumlock }, h) {
    for (;;) {
      const x = await h.call(q, 'get');
      if (x < 0) {
        await h.call(q, 'taskDone');
        return;
      }
      await h.call(cumlock, 'acquire');
      try {
        await h.s.set('cum', (await h.s.get('cum')) + x);
      } finally {
        await h.call(cumlock, 'release');
      }
      await h.call(q, 'taskDone');
    }
  },
  /** run_threads: flows 0 … n−1 feed, n … 2n−1 consume (`consume` names the consumer). */
  async feedOrConsume({ q, n, consume, inputs }, h) {
    const sentinel = null;
    if (h.index < n) {
      // feed(q, seq, rnd, sentinel), over this feeder's share of seq (see runThreads)
      const seq = inputs.filter((_, k) => k % n === h.index).reverse();
      const random = seeded(42 + h.index);
      for (;;) {
        if (seq.length === 0) {
          await h.call(q, 'put', sentinel);
          return;
        }
        await h.call(q, 'put', seq.pop());
        if (random() > 0.5) await h.sleep(random() * 1);
      }
    }
    // A consumer appends to its own part of `results`, pushed once at the end (the same list).
    const results = [];
    try {
      for (;;) {
        let val;
        if (consume === 'consume') {
          val = await h.call(q, 'get');
        } else {
          for (;;) {
            try {
              val =
                consume === 'consume_nonblock'
                  ? await h.call(q, 'get', { block: false })
                  : await h.call(q, 'get', { timeout: 0.01 });
              break;
            } catch (error) {
              if (error?.name !== 'Empty') throw error;
              if (consume === 'consume_nonblock') await h.sleep(0.01);
            }
          }
        }
        if (val === sentinel) return;
        results.push(val);
      }
    } finally {
      await h.s.push('results', results);
    }
  },
};

/** do_blocking_test: `blockFunc` must block until the trigger flow calls `q[fn](...args)`. */
async function doBlockingTest(t, blockFunc, q, fn, args) {
  const s = await t.shared();
  await s.set('startedEvent', false);
  let result;
  await t.Bunch(s, 'trigger', 1, { q, fn, args }).run(async () => {
    result = await blockFunc();
    // If block_func returned before our thread made the call, we failed!
    if (!(await s.get('startedEvent'))) assert.fail(`blocking function appeared not to block`);
  });
  return result;
}

const TARGET_ORDER = { Queue: [111, 333, 222], LifoQueue: [222, 333, 111], PriorityQueue: [111, 222, 333] };

/** BaseQueueTestMixin, for `t.make[kind](maxsize)`. */
function baseQueueTests(kind) {
  const basicQueueTest = async (t, q, maxsize) => {
    if (await t.call(q, 'qsize')) throw new Error('Call this function with an empty queue');
    assertTrue(await t.call(q, 'empty'));
    assertFalse(await t.call(q, 'full'));
    // I guess we better check things actually queue correctly a little :)
    await t.call(q, 'put', 111);
    await t.call(q, 'put', 333);
    await t.call(q, 'put', 222);
    const actualOrder = [await t.call(q, 'get'), await t.call(q, 'get'), await t.call(q, 'get')];
    assert.deepEqual(actualOrder, TARGET_ORDER[kind], "Didn't seem to queue the correct data!");
    for (let i = 0; i < QUEUE_SIZE - 1; i++) {
      await t.call(q, 'put', i);
      assertTrue(await t.call(q, 'qsize'), 'Queue should not be empty');
    }
    assertTrue(!(await qfull(t, q, maxsize)), 'Queue should not be full');
    const last = 2 * QUEUE_SIZE;
    const full = 3 * 2 * QUEUE_SIZE;
    await t.call(q, 'put', last);
    assertTrue(await qfull(t, q, maxsize), 'Queue should be full');
    assertFalse(await t.call(q, 'empty'));
    assertTrue(await t.call(q, 'full'));
    await t.raises('Full', () => t.call(q, 'put', full, { block: false }));
    await t.raises('Full', () => t.call(q, 'put', full, { timeout: 10 }));
    // Test a blocking put
    await doBlockingTest(t, () => t.call(q, 'put', full), q, 'get', []);
    await doBlockingTest(t, () => t.call(q, 'put', full, { block: true, timeout: 10_000 }), q, 'get', []);
    // Empty it
    for (let i = 0; i < QUEUE_SIZE; i++) await t.call(q, 'get');
    assertTrue(!(await t.call(q, 'qsize')), 'Queue should be empty');
    await t.raises('Empty', () => t.call(q, 'get', { block: false }));
    await t.raises('Empty', () => t.call(q, 'get', { timeout: 10 }));
    // Test a blocking get
    await doBlockingTest(t, () => t.call(q, 'get'), q, 'put', ['empty']);
    await doBlockingTest(t, () => t.call(q, 'get', { block: true, timeout: 10_000 }), q, 'put', ['empty']);
  };

  const queueJoinTest = async (t, q) => {
    const s = await t.shared();
    await s.set('cum', 0);
    const cumlock = await t.make.Lock();
    const bunch = t.Bunch(s, 'worker', 2, { q, cumlock });
    await bunch.run(async () => {
      for (let i = 0; i < 100; i++) await t.call(q, 'put', i);
      await t.call(q, 'join');
      assert.equal(await s.get('cum'), (100 * 99) / 2, 'q.join() did not block until all tasks were done');
      for (let i = 0; i < 2; i++) await t.call(q, 'put', -1); // instruct the threads to close
      await t.call(q, 'join'); // verify that you can join twice
    });
  };

  return {
    async test_queue_task_done(t) {
      // Test to make sure a queue task completed successfully.
      const q = await t.make[kind]();
      await t.raises('ValueError', () => t.call(q, 'taskDone'));
    },
    async test_queue_join(t) {
      // Test that a queue join()s successfully, and before anything else
      // (done twice for insurance).
      const q = await t.make[kind]();
      await queueJoinTest(t, q);
      await queueJoinTest(t, q);
      await t.raises('ValueError', () => t.call(q, 'taskDone'));
    },
    async test_basic(t) {
      // Do it a couple of times on the same queue.
      // Done twice to make sure works with same instance reused.
      const q = await t.make[kind](QUEUE_SIZE);
      await basicQueueTest(t, q, QUEUE_SIZE);
      await basicQueueTest(t, q, QUEUE_SIZE);
    },
    async test_negative_timeout_raises_exception(t) {
      const q = await t.make[kind](QUEUE_SIZE);
      await t.raises('ValueError', () => t.call(q, 'put', 1, { timeout: -1000 }));
      await t.raises('ValueError', () => t.call(q, 'get', { block: true, timeout: -1000 }));
    },
    async test_nowait(t) {
      const q = await t.make[kind](QUEUE_SIZE);
      for (let i = 0; i < QUEUE_SIZE; i++) await t.call(q, 'putNowait', 1);
      await t.raises('Full', () => t.call(q, 'putNowait', 1));

      for (let i = 0; i < QUEUE_SIZE; i++) await t.call(q, 'getNowait');
      await t.raises('Empty', () => t.call(q, 'getNowait'));
    },
    async test_shrinking_queue(t) {
      // issue 10110
      const q = await t.make[kind](3);
      await t.call(q, 'put', 1);
      await t.call(q, 'put', 2);
      await t.call(q, 'put', 3);
      await t.raises('Full', () => t.call(q, 'putNowait', 4));
      assert.equal(await t.call(q, 'qsize'), 3);
      await t.setProp(q, 'maxsize', 2); // shrink the queue
      await t.raises('Full', () => t.call(q, 'putNowait', 4));
    },
  };
}

/** BaseSimpleQueueTest.run_threads: n feeders and n consumers over `inputs` (each feeder its share). */
async function runThreads(t, nThreads, q, inputs, consume) {
  const s = await t.shared(['results']);
  await t.Bunch(s, 'feedOrConsume', 2 * nThreads, { q, n: nThreads, consume, inputs }).run();

  assertTrue(await t.call(q, 'empty'));
  assert.equal(await t.call(q, 'qsize'), 0);

  return (await s.list('results')).flat();
}

const simpleQueueTests = {
  async test_basic(t, { q }) {
    // Basic tests for get(), put() etc.
    assertTrue(await t.call(q, 'empty'));
    assert.equal(await t.call(q, 'qsize'), 0);
    await t.call(q, 'put', 1);
    assertFalse(await t.call(q, 'empty'));
    assert.equal(await t.call(q, 'qsize'), 1);
    await t.call(q, 'put', 2);
    await t.call(q, 'putNowait', 3);
    await t.call(q, 'put', 4);
    assertFalse(await t.call(q, 'empty'));
    assert.equal(await t.call(q, 'qsize'), 4);

    assert.equal(await t.call(q, 'get'), 1);
    assert.equal(await t.call(q, 'qsize'), 3);

    assert.equal(await t.call(q, 'getNowait'), 2);
    assert.equal(await t.call(q, 'qsize'), 2);

    assert.equal(await t.call(q, 'get', { block: false }), 3);
    assertFalse(await t.call(q, 'empty'));
    assert.equal(await t.call(q, 'qsize'), 1);

    assert.equal(await t.call(q, 'get', { timeout: 100 }), 4);
    assertTrue(await t.call(q, 'empty'));
    assert.equal(await t.call(q, 'qsize'), 0);

    await t.raises('Empty', () => t.call(q, 'get', { block: false }));
    await t.raises('Empty', () => t.call(q, 'get', { timeout: 1 }));
    await t.raises('Empty', () => t.call(q, 'getNowait'));
    assertTrue(await t.call(q, 'empty'));
    assert.equal(await t.call(q, 'qsize'), 0);
  },
  async test_negative_timeout_raises_exception(t, { q }) {
    await t.call(q, 'put', 1);
    await t.raises('ValueError', () => t.call(q, 'get', { timeout: -1000 }));
  },
  async test_order(t, { q }) {
    // Test a pair of concurrent put() and get()
    const inputs = Array.from({ length: 100 }, (_, i) => i);
    const results = await runThreads(t, 1, q, inputs, 'consume');

    // One producer, one consumer => results appended in well-defined order
    assert.deepEqual(results, inputs);
  },
  async test_many_threads(t, { q }) {
    // Test multiple concurrent put() and get()
    const inputs = Array.from({ length: 10000 }, (_, i) => i);
    const results = await runThreads(t, MANY_THREADS[t.backend], q, inputs, 'consume');

    // Multiple consumers without synchronization append the
    // results in random order
    assert.deepEqual(
      results.sort((a, b) => a - b),
      inputs,
    );
  },
  async test_many_threads_nonblock(t, { q }) {
    // Test multiple concurrent put() and get(block=False)
    const inputs = Array.from({ length: 10000 }, (_, i) => i);
    const results = await runThreads(t, MANY_THREADS[t.backend], q, inputs, 'consume_nonblock');

    assert.deepEqual(
      results.sort((a, b) => a - b),
      inputs,
    );
  },
  async test_many_threads_timeout(t, { q }) {
    // Test multiple concurrent put() and get(timeout=...)
    const inputs = Array.from({ length: 1000 }, (_, i) => i);
    const results = await runThreads(t, MANY_THREADS[t.backend], q, inputs, 'consume_timeout');

    assert.deepEqual(
      results.sort((a, b) => a - b),
      inputs,
    );
  },
};

export const classes = {
  QueueTest: { tests: baseQueueTests('Queue') },
  LifoQueueTest: { tests: baseQueueTests('LifoQueue') },
  PriorityQueueTest: { tests: baseQueueTests('PriorityQueue') },
  SimpleQueueTest: {
    tests: simpleQueueTests,
    // 10,000 items through a queue served to child processes, each a round trip: give it time.
    timeoutMs: 60_000,
    async setUp(t) {
      return { q: await t.make.SimpleQueue() };
    },
  },
};
