/**
 * s4-18 — seeds/004_10c85533a5432f39.txt, "join dead lock": the child puts `'X' * 1000000` on a Queue;
 * the parent `join()`s the child before `get()`. In Python this deadlocks: the child cannot exit until
 * its feeder thread has pushed the whole item into the pipe, which nobody reads. The fix: swap the last
 * two lines.
 * weft: the parent joins with a 10 s timeout (not scaled: a child that is merely slow to start must not
 * pass for a deadlocked one) and says which happened. If the child finished, weft's
 * Queue took the whole item without a reader and there is no deadlock; if not, `put` is waiting for
 * room exactly as in Python, and the fixed order (get, then join) is shown.
 */
import { isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { print } from './lib/print.js';

export async function f(q: Queue<string>): Promise<void> {
  await q.put('X'.repeat(1000000));
}

if (isMainThread) {
  const queue = new Queue<string>();
  const p = new Process({ target: f, args: [queue] });
  p.start();
  await p.join(10000); // this deadlocks in Python
  if (p.isAlive()) {
    print('join() timed out: the child is still in put(), waiting for a reader — the deadlock Python has');
    const obj = await queue.get(); // the fixed order: get first...
    await p.join(); // ...then join
    print(`fixed order: got ${obj.length} characters, then joined (exit code ${p.exitCode})`);
  } else {
    const obj = await queue.get();
    print(`no deadlock: the child exited (exit code ${p.exitCode}) before anyone read its item`);
    print(`then got ${obj.length} characters`);
  }
}
