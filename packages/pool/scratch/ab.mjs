import { Pool } from '@weft/pool';
const file = new URL('../../../apps/bench/src/workers/pool-tasks.mjs', import.meta.url).href;
const { increment } = await import(file);
const N = 100000;
const pool = new Pool(2);
await Promise.all(Array.from({ length: 1000 }, (_, i) => pool.applyAsync(increment, [i])));
for (let r = 0; r < 4; r++) {
  let t = performance.now();
  const rs = new Array(N);
  for (let i = 0; i < N; i++) rs[i] = pool.applyAsync(increment, [i]);
  await Promise.all(rs);
  const a = performance.now() - t;
  t = performance.now();
  let left = N;
  let done;
  const all = new Promise((resolve) => (done = resolve));
  const cb = { callback: () => { if (--left === 0) done(); } };
  for (let i = 0; i < N; i++) pool.applyAsync(increment, [i], cb);
  await all;
  const b = performance.now() - t;
  console.log('promise.all', a.toFixed(0), 'callbacks', b.toFixed(0));
}
await pool.terminate();
