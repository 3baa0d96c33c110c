/**
 * s4-29 — seeds/004_10c85533a5432f39.txt, producers and a consumer sharing `queue.Queue(10)` and a
 * `threading.Condition()`: a producer puts a random value and `notify()`s, or prints "Queue is full ,
 * producer wait" and `wait()`s; the consumer gets a value, or prints "Queue is empty , consumer wait";
 * each sleeps 1 s per round. Prints go under a separate `writelock`. Two producers P1, P2, one consumer C1.
 * Differences: the note's loops are endless (`while 1`) and its `con.release()` sits after them, never
 * reached (Python's default RLock makes that work anyway); here each round releases the condition before
 * sleeping, the run is bounded — the threads are terminated once the consumer has taken 8 values
 * (counted in shared memory) — and, as
 * producers outrun the single consumer, the queue fills up and both messages appear.
 */
import { Condition, Lock, RLock } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { RawValue } from '@weft/shared-memory';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function producer(
  q: Queue<string>,
  con: Condition,
  writelock: Lock,
  name: string,
): Promise<void> {
  for (;;) {
    await con.acquire(); // 获得锁对象
    if (q.full()) {
      await writelock.withLock(() => print('Queue is full , producer wait'));
      await con.wait(); // 等待资源
      con.release();
    } else {
      const value = Math.floor(Math.random() * 11);
      await writelock.withLock(() => print(`${name} put value ${name} ${value} in queue`));
      await q.put(`${name} : ${value}`); // 放入队列
      con.notify(); // 通知消费者
      con.release();
      await sleep(1000);
    }
  }
}

export async function consumer(
  q: Queue<string>,
  con: Condition,
  writelock: Lock,
  name: string,
  consumed: RawValue<'i'>,
): Promise<void> {
  for (;;) {
    await con.acquire();
    if (q.empty()) {
      await writelock.withLock(() => print('Queue is empty , consumer wait'));
      await con.wait(); // 等待资源
      con.release();
    } else {
      const value = await q.get();
      await writelock.withLock(() => print(`${name} get value ${value} from queue`));
      consumed.value += 1;
      con.notify(); // 通知生产者
      con.release();
      await sleep(2000); // one consumer, slower than the two producers: the queue fills up
    }
  }
}

if (isMainThread) {
  const q = new Queue<string>({ maxsize: 10 });
  const con = new Condition(new RLock()); // 条件变量锁 (Python's default lock is an RLock)
  const writelock = new Lock();
  const consumed = new RawValue('i', 0);
  const threads: Process[] = [];
  for (const [role, name] of [
    [producer, 'P1'],
    [producer, 'P2'],
    [consumer, 'C1'],
  ] as const) {
    print(`${role === producer ? 'Producer' : 'Consumer'} ${name} Started`);
    const t = new Process({ target: role, args: [q, con, writelock, name, consumed] });
    t.start();
    threads.push(t);
  }
  while (consumed.value < 8) await new Promise((resolve) => setTimeout(resolve, 10));
  for (const t of threads) t.terminate(); // the note's threads never end: stop them here
  for (const t of threads) await t.join();
  print(`stopped after a bounded run; ${q.qsize()} items left in the queue`);
}
