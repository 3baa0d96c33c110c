import { Pool } from '@weft/pool';
import { square } from '/work/main/packages/pool/test/fixtures/tasks.mjs';
const pool = new Pool(2);
await pool.apply(square, [1]);
for (let round = 0; round < 3; round++) {
let t = performance.now();
const rs = [];
for (let i = 0; i < 100000; i++) rs.push(pool.applyAsync(square, [i]));
const t1 = performance.now();
const vals = await Promise.all(rs);
console.log('100k', (t1 - t).toFixed(1), (performance.now() - t).toFixed(1), 'ms', vals[99999]);
}
await pool.terminate();
