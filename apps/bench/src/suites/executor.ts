import { ProcessPoolExecutor, ThreadPoolExecutor } from '@weft/executor';
import { Piscina } from 'piscina';
import { runPython, type Suite } from '../harness.js';
import { increment } from '../workers/executor-tasks.mjs';

const SUBMITS = 100_000;
const PROCESS_SUBMITS = 20_000;
const MAP_ITEMS = 1_000_000;
const WARM_UP = 1_000;
const tasksModule = new URL('../workers/executor-tasks.mjs', import.meta.url).href;

/** tasks/s: `submit` one at a time, then await every future. The executor is warmed up first. */
async function executorSubmits(
  executor: ThreadPoolExecutor | ProcessPoolExecutor,
  n: number,
): Promise<number> {
  try {
    await Promise.all(Array.from({ length: WARM_UP }, (_, i) => executor.submit(increment, i)));
    const start = performance.now();
    const futures = new Array<PromiseLike<number>>(n);
    for (let i = 0; i < n; i++) futures[i] = executor.submit(increment, i);
    const values = await Promise.all(futures);
    const elapsed = performance.now() - start;
    if (values[n - 1] !== n) throw new Error('wrong result');
    return n / (elapsed / 1000);
  } finally {
    await executor.shutdown();
  }
}

/** tasks/s for piscina 5 with 2 threads: `run` one at a time, then await every promise. */
async function piscinaSubmits(n: number): Promise<number> {
  const piscina = new Piscina({ filename: tasksModule, minThreads: 2, maxThreads: 2 });
  try {
    await Promise.all(Array.from({ length: WARM_UP }, (_, i) => piscina.run(i)));
    const start = performance.now();
    const promises = new Array<Promise<number>>(n);
    for (let i = 0; i < n; i++) promises[i] = piscina.run(i);
    const values = await Promise.all(promises);
    const elapsed = performance.now() - start;
    if (values[n - 1] !== n) throw new Error('wrong result');
    return n / (elapsed / 1000);
  } finally {
    await piscina.destroy();
  }
}

/** items/s: `map(increment, range(n), { chunksize: 1000 })` consumed in order. */
async function executorMap(executor: ThreadPoolExecutor | ProcessPoolExecutor, n: number): Promise<number> {
  try {
    const warm = Array.from({ length: 2000 }, (_, i) => i);
    for await (const _ of executor.map(increment, warm, { chunksize: 1000 })) {
      // warm-up
    }
    const items = Array.from({ length: n }, (_, i) => i);
    const start = performance.now();
    let total = 0;
    for await (const value of executor.map(increment, items, { chunksize: 1000 })) total += value;
    const elapsed = performance.now() - start;
    if (total !== (n * (n + 1)) / 2) throw new Error('wrong result');
    return n / (elapsed / 1000);
  } finally {
    await executor.shutdown();
  }
}

const suite: Suite = {
  name: 'executor',
  rows: [
    {
      name: 'ThreadPoolExecutor(2): 100,000 submit(x => x + 1), await all',
      unit: 'tasks/s',
      better: 'higher',
      weft: () => executorSubmits(new ThreadPoolExecutor({ maxWorkers: 2 }), SUBMITS),
      anchors: { piscina: () => piscinaSubmits(SUBMITS) },
      goal: { anchor: 'piscina', ratio: 10 },
    },
    {
      name: 'ProcessPoolExecutor(2): 20,000 submit(x => x + 1) one at a time, await all',
      unit: 'tasks/s',
      better: 'higher',
      weft: () => executorSubmits(new ProcessPoolExecutor({ maxWorkers: 2 }), PROCESS_SUBMITS),
      anchors: { python: () => runPython('executor_submit.py', [PROCESS_SUBMITS]) },
      goal: { anchor: 'python', ratio: 5 },
    },
    {
      name: 'ProcessPoolExecutor(2).map(x => x + 1, 1,000,000 ints, { chunksize: 1000 })',
      unit: 'items/s',
      better: 'higher',
      weft: () => executorMap(new ProcessPoolExecutor({ maxWorkers: 2 }), MAP_ITEMS),
      anchors: { python: () => runPython('executor_map.py', [MAP_ITEMS]) },
      goal: { anchor: 'python', ratio: 1 },
    },
    {
      name: 'ThreadPoolExecutor(2).map(x => x + 1, 1,000,000 ints, { chunksize: 1000 })',
      unit: 'items/s',
      better: 'higher',
      weft: () => executorMap(new ThreadPoolExecutor({ maxWorkers: 2 }), MAP_ITEMS),
      anchors: { python: () => runPython('executor_map.py', [MAP_ITEMS]) },
    },
  ],
};

export default suite;
