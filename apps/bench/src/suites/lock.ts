import { Barrier, Lock } from '@weft/lock';
import { Value } from '@weft/shared-memory';
import { runPython, type Suite, startWorker } from '../harness.js';

const PAIRS = 5_000_000;
const INCREMENTS = 200_000;
const BARRIER_ROUNDS = 20_000;
const PYTHON_BARRIER_ROUNDS = 5_000;

/** ns per uncontended `acquireSync()` + `release()` of a weft Lock. */
function lockPair(): number {
  const lock = new Lock();
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      lock.acquireSync();
      lock.release();
    }
  };
  run(200_000);
  const start = performance.now();
  run(PAIRS);
  return ((performance.now() - start) * 1e6) / PAIRS;
}

/** ns per bare `Atomics.compareExchange` + `Atomics.store` pair: the floor any lock pays. */
function barePair(): number {
  const word = new Int32Array(new SharedArrayBuffer(4));
  let failures = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      if (Atomics.compareExchange(word, 0, 0, 2) === 0) Atomics.store(word, 0, 0);
      else failures++;
    }
  };
  run(200_000);
  const start = performance.now();
  run(PAIRS);
  const ns = ((performance.now() - start) * 1e6) / PAIRS;
  if (failures !== 0) throw new Error('bare pair failed');
  return ns;
}

/** ms for 2 workers x 200,000 increments of one Value, each under the Value's own lock (an RLock, as Python). */
async function valueIncrements(): Promise<number> {
  const value = new Value('i', 0);
  const start = new SharedArrayBuffer(4);
  const startWord = new Int32Array(start);
  const workers = [0, 1].map(() =>
    startWorker('lock-value-increments.mjs', { value: value.toHandle(), start, increments: INCREMENTS }),
  );
  for (const worker of workers) await worker.nextMessage();
  const began = performance.now();
  Atomics.store(startWord, 0, 1);
  Atomics.notify(startWord, 0);
  for (const worker of workers) await worker.nextMessage();
  const elapsed = performance.now() - began;
  await Promise.all(workers.map((worker) => worker.exited));
  if (value.value !== 2 * INCREMENTS) throw new Error(`expected ${2 * INCREMENTS}, got ${value.value}`);
  return elapsed;
}

/** µs per Barrier(2) round between the main thread and a worker, both blocking (`waitSync`). */
async function barrierRoundTrip(): Promise<number> {
  const barrier = new Barrier(2);
  const party = startWorker('lock-barrier.mjs', {
    barrier: barrier.toHandle(),
    rounds: BARRIER_ROUNDS + 1000,
  });
  await party.nextMessage();
  for (let i = 0; i < 1000; i++) barrier.waitSync();
  const began = performance.now();
  for (let i = 0; i < BARRIER_ROUNDS; i++) barrier.waitSync();
  const elapsed = performance.now() - began;
  await party.nextMessage();
  await party.exited;
  return (elapsed * 1000) / BARRIER_ROUNDS;
}

const suite: Suite = {
  name: 'lock',
  rows: [
    {
      // Goal: weft within 2.5x of the bare pair. The ratio is printed so that > 1 means weft is faster,
      // so "within 2.5x slower" is ratio >= 1/2.5 = 0.4.
      name: 'uncontended Lock.acquireSync()+release() (goal: within 2.5x of bare CAS+store, ratio >= 0.4)',
      unit: 'ns',
      better: 'lower',
      weft: lockPair,
      anchors: {
        'bare CAS+store': barePair,
        'python mp.Lock': () => runPython('lock_uncontended.py', [1_000_000]),
      },
      goal: { anchor: 'bare CAS+store', ratio: 0.4 },
    },
    {
      name: '2 workers x 200,000 Value increments under its own lock',
      unit: 'ms',
      better: 'lower',
      weft: valueIncrements,
      anchors: { 'python 2 processes': () => runPython('lock_value_increments.py', [INCREMENTS]) },
      goal: { anchor: 'python 2 processes', ratio: 10 },
    },
    {
      name: 'Barrier(2) round trip between two threads',
      unit: 'µs',
      better: 'lower',
      weft: barrierRoundTrip,
      anchors: {
        'python Barrier(2), 2 processes': () => runPython('lock_barrier.py', [PYTHON_BARRIER_ROUNDS]),
      },
      goal: { anchor: 'python Barrier(2), 2 processes', ratio: 10 },
    },
  ],
};

export default suite;
