/**
 * s1-15 — seeds/001_735ae49c9afa6657.txt: the same, but each of the 10 processes stores
 * `d[os.getpid()] = os.getpid()`: the dict ends with 10 entries, one per child process.
 * Children run in the `process` context so that each has a pid of its own.
 */
import { type DictProxy, type ListProxy, Manager } from '@weft/manager';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export async function f(d: DictProxy<unknown, unknown>, l: ListProxy<number>): Promise<void> {
  await d.set(process.pid, process.pid);
  await l.append(process.pid);
  print(await l.toArray());
}

if (isMainThread) {
  await using manager = await Manager.start();
  const d = await manager.dict(); // 对字典做个调整,也将pid加入到字典中
  const l = await manager.list([0, 1, 2, 3, 4]);
  const pList: Process[] = [];
  for (let i = 0; i < 10; i++) {
    const p = new Process({ target: f, args: [d, l], context: 'process' });
    p.start();
    pList.push(p);
  }
  for (const res of pList) await res.join();
  print(new Map(await d.items()));
  print(await l.toArray());
}
