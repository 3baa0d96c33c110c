/**
 * @weft/pool against piscina 5, tinypool 2 and Python's multiprocessing.Pool, on the same machine.
 */
import { Pool } from '@weft/pool';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import {
  median,
  percentOfCore,
  processCpuNs,
  runNode,
  runPython,
  type Suite,
  sleep,
  startWorker,
} from '../harness.js';
import { increment, p18 } from '../workers/pool-tasks.mjs';

const SUBMITS = 100_000;
const MAP_ITEMS = 1_000_000;
const P18_N = 3_000_000;
const tasksFile = new URL('../workers/pool-tasks.mjs', import.meta.url).href;

/** tasks/s: `applyAsync` one at a time, then wait for every result. */
async function weftSubmits(): Promise<number> {
  const pool = new Pool(2);
  try {
    await Promise.all(Array.from({ length: 1000 }, (_, i) => pool.applyAsync(increment, [i])));
    const start = performance.now();
    const results = new Array<PromiseLike<number>>(SUBMITS);
    for (let i = 0; i < SUBMITS; i++) results[i] = pool.applyAsync(increment, [i]);
    const values = await Promise.all(results);
    const elapsed = performance.now() - start;
    if (values[SUBMITS - 1] !== SUBMITS) throw new Error('wrong result');
    return SUBMITS / (elapsed / 1000);
  } finally {
    await pool.terminate();
  }
}

interface RunPool {
  run(task: number): Promise<number>;
  destroy(): Promise<void>;
}

function piscina(): RunPool {
  return new Piscina({ filename: tasksFile, minThreads: 2, maxThreads: 2 }) as unknown as RunPool;
}

function tinypool(): RunPool {
  return new Tinypool({ filename: tasksFile, minThreads: 2, maxThreads: 2 }) as unknown as RunPool;
}

async function anchorSubmits(make: () => RunPool): Promise<number> {
  const pool = make();
  try {
    await Promise.all(Array.from({ length: 1000 }, (_, i) => pool.run(i)));
    const start = performance.now();
    const promises = new Array<Promise<number>>(SUBMITS);
    for (let i = 0; i < SUBMITS; i++) promises[i] = pool.run(i);
    const values = await Promise.all(promises);
    const elapsed = performance.now() - start;
    if (values[SUBMITS - 1] !== SUBMITS) throw new Error('wrong result');
    return SUBMITS / (elapsed / 1000);
  } finally {
    await pool.destroy();
  }
}

/** items/s: `pool.map(increment, range(1e6))`, default chunksize. */
async function weftMap(): Promise<number> {
  const pool = new Pool(2);
  try {
    await pool.map(
      increment,
      Array.from({ length: 1000 }, (_, i) => i),
    );
    const items = Array.from({ length: MAP_ITEMS }, (_, i) => i);
    const start = performance.now();
    const results = await pool.map(increment, items);
    const elapsed = performance.now() - start;
    if (results[MAP_ITEMS - 1] !== MAP_ITEMS) throw new Error('wrong result');
    return MAP_ITEMS / (elapsed / 1000);
  } finally {
    await pool.terminate();
  }
}

/**
 * ms for two copies of the p18 job on a pool of 2. Both sides are warmed up with a full-size call
 * first (untimed), so that p18 is optimized code in each worker as in the one thread: the one
 * thread keeps its optimized p18 from round to round (and its second copy always runs warm), while
 * each round here starts new workers, whose first full-size call would otherwise pay the JIT's
 * tier-up (measured here: the first full-size call in a fresh worker took up to ~1.5x a warm one).
 */
async function weftP18(): Promise<number> {
  const pool = new Pool(2);
  try {
    await pool.map(p18, [P18_N, P18_N], 1);
    const start = performance.now();
    const [a, b] = await pool.map(p18, [P18_N, P18_N], 1);
    const elapsed = performance.now() - start;
    if (a !== b) throw new Error('wrong result');
    return elapsed;
  } finally {
    await pool.terminate();
  }
}

/**
 * ms for the same two copies on two bare worker_threads (postMessage in, postMessage out, warmed up
 * likewise): the most any pool can get from this machine's two cores. When two busy threads each run
 * slower than one alone (shared host cores), this shows it in the same run.
 */
async function bareWorkersP18(): Promise<number> {
  const workers = [0, 1].map(() => startWorker('pool-p18-bare.mjs'));
  try {
    const both = () =>
      Promise.all(
        workers.map((worker) => {
          worker.worker.postMessage(P18_N);
          return worker.nextMessage();
        }),
      );
    await both();
    const start = performance.now();
    const [a, b] = await both();
    const elapsed = performance.now() - start;
    if (a !== b) throw new Error('wrong result');
    return elapsed;
  } finally {
    await Promise.all(workers.map((worker) => worker.worker.terminate()));
  }
}

/** ms for one thread doing both copies (warmed up as the workers are, see weftP18). */
function oneThreadP18(): number {
  p18(P18_N);
  const start = performance.now();
  const a = p18(P18_N);
  const b = p18(P18_N);
  const elapsed = performance.now() - start;
  if (a !== b) throw new Error('wrong result');
  return elapsed;
}

/** % of a core used by the whole process while a pool of 2 sits idle for 2 s (after one task). */
async function idleCpu(make: () => Promise<() => Promise<void>>): Promise<number> {
  const stop = await make();
  try {
    await sleep(200);
    const before = processCpuNs();
    const start = performance.now();
    await sleep(2000);
    return percentOfCore(processCpuNs() - before, performance.now() - start);
  } finally {
    await stop();
  }
}

/**
 * ms from constructing a pool of 2 to its first result, in fresh plain-Node processes (see
 * workers/first-result.mjs): the median of 5, each its own process. One process's figure varies by
 * ±10% here (27–36 ms, mostly Node starting the threads), more than the contenders differ; the row
 * runs 5 rounds, so each figure is the median of 5 medians of 5.
 */
async function firstResult(contender: 'weft' | 'piscina' | 'tinypool'): Promise<number> {
  const figures: number[] = [];
  for (let i = 0; i < 5; i++) figures.push(await runNode('first-result.mjs', [contender]));
  return median(figures);
}

/** MB of resident memory per worker: RSS growth of this process with 4 more workers, divided by 4. */
async function memoryPerWorker(
  make: () => { ready: () => Promise<unknown>; stop: () => Promise<void> },
): Promise<number> {
  global.gc?.();
  await sleep(100);
  const before = process.memoryUsage().rss;
  const pool = make();
  await pool.ready();
  await sleep(200);
  const after = process.memoryUsage().rss;
  await pool.stop();
  return (after - before) / 4 / 2 ** 20;
}

const weftIdle = async () => {
  const pool = new Pool(2);
  await pool.map(increment, [1, 2], 1);
  return () => pool.terminate();
};
const anchorIdle = (make: () => RunPool) => async () => {
  const pool = make();
  await Promise.all([pool.run(1), pool.run(2)]);
  return () => pool.destroy();
};

const suite: Suite = {
  name: 'pool',
  rows: [
    {
      name: 'Pool.applyAsync(x => x + 1), 100,000 one at a time, 2 workers',
      unit: 'tasks/s',
      better: 'higher',
      weft: weftSubmits,
      anchors: {
        piscina: () => anchorSubmits(piscina),
        tinypool: () => anchorSubmits(tinypool),
        python: () => runPython('pool_apply_async.py', [SUBMITS]),
      },
      goal: { anchor: 'piscina', ratio: 10 },
    },
    {
      name: 'Pool.map(x => x + 1) over 1,000,000 ints, 2 workers',
      unit: 'items/s',
      better: 'higher',
      weft: weftMap,
      anchors: { python: () => runPython('pool_map.py', [MAP_ITEMS]) },
      goal: { anchor: 'python', ratio: 1 },
    },
    {
      name: `p18 job (i + i**2 + i**3, n=${P18_N}) x2 on 2 workers vs one thread doing both`,
      unit: 'ms',
      better: 'lower',
      weft: weftP18,
      anchors: { 'one thread': oneThreadP18, '2 bare worker_threads': bareWorkersP18 },
      goal: { anchor: 'one thread', ratio: 1.8 },
    },
    {
      name: 'idle pool of 2 workers for 2 s (whole process)',
      unit: '% of a core',
      better: 'lower',
      weft: () => idleCpu(weftIdle),
      anchors: { piscina: () => idleCpu(anchorIdle(piscina)), tinypool: () => idleCpu(anchorIdle(tinypool)) },
      goal: { max: 3 },
    },
    {
      name: 'time from new Pool(2) to the first result (fresh process, plain node)',
      unit: 'ms',
      better: 'lower',
      weft: () => firstResult('weft'),
      anchors: { piscina: () => firstResult('piscina'), tinypool: () => firstResult('tinypool') },
      goal: { anchor: 'piscina', ratio: 1 },
      rounds: 5,
    },
    {
      name: 'resident memory per worker (pool of 4, after one task each)',
      unit: 'MB',
      better: 'lower',
      weft: () =>
        memoryPerWorker(() => {
          const pool = new Pool(4);
          return { ready: () => pool.map(increment, [1, 2, 3, 4], 1), stop: () => pool.terminate() };
        }),
      anchors: {
        piscina: () =>
          memoryPerWorker(() => {
            const pool = new Piscina({
              filename: tasksFile,
              minThreads: 4,
              maxThreads: 4,
            }) as unknown as RunPool;
            return {
              ready: () => Promise.all([1, 2, 3, 4].map((i) => pool.run(i))),
              stop: () => pool.destroy(),
            };
          }),
      },
    },
  ],
};

export default suite;
