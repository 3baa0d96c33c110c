/**
 * s3-06 — seeds/003_a45aef1e4cf1acde.txt, "下面介绍Queue的常用方法": `Queue(maxsize=...)`, `put` and `get`
 * with `block` and `timeout`, the `Full` and `Empty` exceptions, `qsize()`, `empty()`, `full()`,
 * `get_nowait()`, `put_nowait()`. Each one in turn. Python's `put(x, False)` / `get(False)` are
 * `put(x, { block: false })` / `get({ block: false })`; timeouts are milliseconds.
 * The last part shows blocking for real: a full queue's `put` waits until a worker takes an item.
 */
import { isMainThread, Process } from '@weft/pool';
import { Empty, Full, Queue } from '@weft/queue';
import { print } from './lib/print.js';
import { scaled, sleep } from './lib/time.js';

async function expectError(what: string, action: () => Promise<unknown> | unknown): Promise<void> {
  try {
    await action();
    print(`${what}: no exception (unexpected)`);
  } catch (error) {
    const kind =
      error instanceof Full ? 'Full' : error instanceof Empty ? 'Empty' : `${(error as Error).name}`;
    print(`${what}: raised ${kind}`);
  }
}

export async function slowConsumer(q: Queue<number>): Promise<void> {
  await sleep(1000);
  print('worker: get() after 1 s');
  await q.get();
}

if (isMainThread) {
  const q = new Queue<number>({ maxsize: 3 }); // 1. maxsize: 3 items at most
  print('qsize:', q.qsize(), 'empty:', q.empty(), 'full:', q.full());
  await q.put(1); // 2. put, block=True by default
  await q.put(2);
  q.putNowait(3); // 8. put_nowait = put(item, block=False)
  print('after 3 puts: qsize:', q.qsize(), 'empty:', q.empty(), 'full:', q.full());
  await expectError('put(4, { block: false }) on a full queue', () => q.put(4, { block: false }));
  await expectError('put(4, { timeout: 500 }) on a full queue', () => q.put(4, { timeout: scaled(500) }));
  await expectError('putNowait(4) on a full queue', () => q.putNowait(4));
  print('get():', await q.get()); // 7. get([block[, timeout]])
  print('getNowait():', q.getNowait()); // get_nowait = get(False)
  print('get({ block: false }):', await q.get({ block: false }));
  print('qsize:', q.qsize(), 'empty:', q.empty(), 'full:', q.full());
  await expectError('get({ block: false }) on an empty queue', () => q.get({ block: false }));
  await expectError('get({ timeout: 500 }) on an empty queue', () => q.get({ timeout: scaled(500) }));
  await expectError('getNowait() on an empty queue', () => q.getNowait());

  for (const item of [1, 2, 3]) q.putNowait(item);
  const worker = new Process({ target: slowConsumer, args: [q] });
  worker.start();
  print('put(4) on a full queue blocks...');
  await q.put(4); // blocks until the worker has taken an item
  print('...until the worker took one; put(4) done');
  await worker.join();
  const rest: number[] = [];
  while (!q.empty()) rest.push(q.getNowait());
  print('left in the queue:', rest);
}
