import { Pool } from '@weft/pool';
import { Piscina } from 'piscina';
const file = new URL('../../../apps/bench/src/workers/pool-tasks.mjs', import.meta.url).href;
const { increment } = await import(file);
const N = 100000;
async function weft() {
  const pool = new Pool(2);
  await Promise.all(Array.from({ length: 1000 }, (_, i) => pool.applyAsync(increment, [i])));
  const t = performance.now();
  const rs = new Array(N);
  for (let i = 0; i < N; i++) rs[i] = pool.applyAsync(increment, [i]);
  const t1 = performance.now();
  await Promise.all(rs);
  const el = performance.now() - t;
  await pool.terminate();
  return [N / el * 1000, t1 - t];
}
async function pisc() {
  const p = new Piscina({ filename: file, minThreads: 2, maxThreads: 2 });
  await Promise.all(Array.from({ length: 1000 }, (_, i) => p.run(i)));
  const t = performance.now();
  const rs = new Array(N);
  for (let i = 0; i < N; i++) rs[i] = p.run(i);
  await Promise.all(rs);
  const el = performance.now() - t;
  await p.destroy();
  return N / el * 1000;
}
for (let r = 0; r < 3; r++) {
  const [w, loop] = await weft(); const p = await pisc();
  console.log('weft', w.toFixed(0), 'loop', loop.toFixed(0), 'piscina', p.toFixed(0), 'ratio', (w / p).toFixed(2));
}
