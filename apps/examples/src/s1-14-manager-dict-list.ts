/**
 * s1-14 — seeds/001_735ae49c9afa6657.txt, "进程间数据交互及共享": `with Manager() as manager`,
 * `d = manager.dict()`, `l = manager.list(range(5))`, 10 processes each set three keys of `d` and
 * append their pid to `l`, printing `l`; then the parent prints `d` and `l`.
 * Children run in the `process` context (real pids). Manager proxies are async: `d[1] = '1'` becomes
 * `await d.set(1, '1')`, `l.append(...)` is `await l.append(...)`, and printing a proxy means fetching a
 * copy (`new Map(await d.items())`). `await using` is the `with` block.
 */
import { type DictProxy, type ListProxy, Manager } from '@weft/manager';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export async function f(d: DictProxy<unknown, unknown>, l: ListProxy<number>): Promise<void> {
  await d.set(1, '1'); // 放入key和value到空字典中
  await d.set('2', 2);
  await d.set(0.25, null);
  await l.append(process.pid); // 将每个进程的id值放入列表中
  print(await l.toArray());
}

if (isMainThread) {
  await using manager = await Manager.start();
  const d = await manager.dict(); // 生成一个可在多个进程之间传递和共享的字典
  const l = await manager.list([0, 1, 2, 3, 4]); // range(5)
  const pList: Process[] = [];
  for (let i = 0; i < 10; i++) {
    const p = new Process({ target: f, args: [d, l], context: 'process' });
    p.start();
    pList.push(p);
  }
  for (const res of pList) await res.join();
  print(new Map(await d.items())); // 所有进程都执行完毕后打印字典
  print(await l.toArray());
}
