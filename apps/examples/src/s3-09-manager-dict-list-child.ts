/**
 * s3-09 — seeds/003_a45aef1e4cf1acde.txt, "强大的Manage": `manager.dict()` and `manager.list()` passed
 * to a child that sets `dt['arg%d' % i] = i * i` for i < 10 and does `lt += range(11, 16)`; the parent
 * prints both. Proxy methods are async: `await dt.set(key, value)`, `await lt.extend(...)`.
 */
import { type DictProxy, type ListProxy, Manager } from '@weft/manager';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export async function func(dt: DictProxy<string, number>, lt: ListProxy<number>): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const key = `arg${i}`;
    await dt.set(key, i * i);
  }
  await lt.extend([11, 12, 13, 14, 15]); // lt += range(11, 16)
}

if (isMainThread) {
  const manager = await Manager.start();
  const dt = await manager.dict<string, number>();
  const lt = await manager.list<number>();
  const p = new Process({ target: func, args: [dt, lt] });
  p.start();
  await p.join();
  print(new Map(await dt.items()), '\n', await lt.toArray());
  await manager.shutdown();
}
