import { Pool } from '@weft/pool';
import { square, add, slowDouble, fail, whoami, crash } from '/work/main/packages/pool/test/fixtures/tasks.mjs';
const pool = new Pool(2); console.log("created");
console.log(await pool.apply(square, [7]));
console.log(await pool.apply(add, [2, 3]));
console.log(await pool.apply((x) => x + 1, [41]));
console.log(await pool.map(square, [1, 2, 3, 4, 5]));
console.log(await pool.apply(slowDouble, [21]));
try { await pool.apply(fail, ['boom']); } catch (e) { console.log('err', e.name, e.message, e.cause?.name); }
try { await pool.apply(crash, []); } catch (e) { console.log('err', e.name, e.message); }
console.log(await pool.apply(square, [9]));
let t = performance.now();
const rs = [];
for (let i = 0; i < 100000; i++) rs.push(pool.applyAsync(square, [i]));
const vals = await Promise.all(rs.map(r => r.get()));
console.log('100k', (performance.now() - t).toFixed(1), 'ms', vals[99999]);
t = performance.now();
const xs = Array.from({length: 1e6}, (_, i) => i);
const m = await pool.map(square, xs);
console.log('map 1M', (performance.now() - t).toFixed(1), 'ms', m[999999]);
await pool.terminate();
console.log('done');
