import { Pool } from '@weft/pool';
const file = new URL('../../../apps/bench/src/workers/pool-tasks.mjs', import.meta.url).href;
const { increment } = await import(file);
const N = 100000;
const pool = new Pool(2);
await Promise.all(Array.from({ length: 1000 }, (_, i) => pool.applyAsync(increment, [i])));
for (let r = 0; r < 3; r++) {
const t = performance.now();
const rs = new Array(N);
for (let i = 0; i < N; i++) rs[i] = pool.applyAsync(increment, [i]);
const t1 = performance.now();
await Promise.all(rs);
console.log('loop', (t1 - t).toFixed(0), 'total', (performance.now() - t).toFixed(0));
}
await pool.terminate();
