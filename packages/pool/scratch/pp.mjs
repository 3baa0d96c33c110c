import { Pool } from '@weft/pool';
import { square, fail, crash, whoami, slowDouble } from '../test/fixtures/tasks.mjs';
const pool = new Pool(2, { context: 'process' });
console.log(await pool.apply(square, [7]));
console.log(await pool.map(square, [1, 2, 3, 4, 5]));
console.log(await pool.map(whoami, [1, 2, 3, 4], 1));
console.log(await pool.apply((x) => x + 1, [41]));
try { await pool.apply(fail, ['boom']); } catch (e) { console.log('err', e.name, e.message); }
try { await pool.apply(crash, []); } catch (e) { console.log('err', e.name, e.message); }
console.log(await pool.apply(slowDouble, [21]));
let t = performance.now();
const rs = []; for (let i = 0; i < 20000; i++) rs.push(pool.applyAsync(square, [i]));
await Promise.all(rs); console.log('20k', (performance.now() - t).toFixed(0), 'ms');
pool.close(); await pool.join(); console.log('joined');
