/**
 * s1-07 — seeds/001_735ae49c9afa6657.txt: a thread-only `queue.Queue` passed to a `Process` →
 * `TypeError: can't pickle _thread.lock objects` at `p.start()`.
 * The JavaScript counterpart: a queue that lives in one thread's memory and wakes its waiters through
 * callbacks. Such an object cannot cross to another thread (its methods would be lost), so `p.start()`
 * fails at once with weft's `DataCloneError`, naming where the value sits in `args` — as Python's
 * pickling error appears at `p.start()`: never a hang or a silently broken copy, and no child is
 * started. The fix, as in the note, is the process-safe queue (s1-08).
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

/** A queue for one thread only, like `queue.Queue`: its waiters are callbacks in this thread. */
class ThreadOnlyQueue<T> {
  readonly items: T[] = [];
  readonly waiters: Array<(item: T) => void> = [];
  readonly onPut = (item: T) => {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  };
  put(item: T): void {
    this.onPut(item);
  }
  get(): Promise<T> {
    return this.items.length > 0
      ? Promise.resolve(this.items.shift()!)
      : new Promise((resolve) => this.waiters.push(resolve));
  }
}

export function f(qq: ThreadOnlyQueue<unknown[]>): void {
  qq.put([42, null, 'heelo']);
}

if (isMainThread) {
  const q = new ThreadOnlyQueue<unknown[]>();
  const p = new Process({ target: f, args: [q] }); // 将父进程q传给子进程
  try {
    p.start(); // throws here, as Python's pickling error does: the arguments are encoded before any child exists
  } catch (error) {
    print(`${(error as Error).name}: ${(error as Error).message}`);
  }
  if (p.isAlive()) {
    // not reached: no child was started
    await p.join();
    print(await q.get());
  }
}
