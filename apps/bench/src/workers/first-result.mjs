// `node first-result.mjs <weft|piscina|tinypool>`: ms from constructing a pool of 2 workers to its first
// result, in this fresh process and in plain Node (the bench runs under tsx, whose loader every worker
// thread would inherit and load, which would measure tsx). Measured after this module has finished
// evaluating, as in a program that starts its pool from its main function; prints the figure last.
import { Pool } from '@weft/pool';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import { increment } from './pool-tasks.mjs';

const tasksFile = new URL('./pool-tasks.mjs', import.meta.url).href;
const contenders = {
  weft: () => {
    const pool = new Pool(2);
    return { first: () => pool.apply(increment, [1]), stop: () => pool.terminate() };
  },
  piscina: () => {
    const pool = new Piscina({ filename: tasksFile, minThreads: 2, maxThreads: 2 });
    return { first: () => pool.run(1), stop: () => pool.destroy() };
  },
  tinypool: () => {
    const pool = new Tinypool({ filename: tasksFile, minThreads: 2, maxThreads: 2 });
    return { first: () => pool.run(1), stop: () => pool.destroy() };
  },
};

async function main() {
  const make = contenders[process.argv[2]];
  if (!make) throw new Error(`usage: first-result.mjs <${Object.keys(contenders).join('|')}>`);
  const start = performance.now();
  const pool = make();
  const result = await pool.first();
  const elapsed = performance.now() - start;
  // Let the other worker finish starting before stopping the pool: piscina's workers require() the
  // task file at start, and Node 20 aborts the whole process when a worker is terminated inside such a
  // require() (seen here in piscina's destroy(); weft waits for it, see packages/pool/src/load-gate.ts).
  await new Promise((resolve) => setTimeout(resolve, 100));
  await pool.stop();
  if (result !== 2) throw new Error(`wrong result ${result}`);
  console.log(JSON.stringify(elapsed));
}

setImmediate(() =>
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  }),
);
