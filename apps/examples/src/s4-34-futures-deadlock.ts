/**
 * s4-34 — seeds/004_10c85533a5432f39.txt, `p16_deadlock.py`: with `ThreadPoolExecutor(max_workers=2)`,
 * task a (`wait_on_b`) sleeps 5 s then waits for `b.result()`, task b (`wait_on_a`) sleeps 5 s then waits
 * for `a.result()`. Neither can finish: Python hangs forever.
 * weft's tasks run in worker threads, which cannot call a Future of the main thread, so each Future's
 * outcome is mirrored into shared memory (a RawValue: 1 done, 2 failed) and an Event, and each task
 * waits on the other's — the same cycle. The waits have a timeout (10 s), so instead of hanging, a task
 * fails with a TimeoutError naming the deadlock; the other then sees, like Python's `result()`, that
 * the future it waited for raised. Both futures finish and the example ends.
 */
import { type Future, ThreadPoolExecutor } from '@weft/executor';
import { Event } from '@weft/lock';
import { isMainThread } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { print } from './lib/print.js';
import { scaled, sleep } from './lib/time.js';

interface Mirror {
  done: Event;
  outcome: RawValue<'i'>; // 0 pending, 1 returned, 2 raised
}

async function waitOn(other: string, mirror: Mirror, value: number): Promise<number> {
  await sleep(5000);
  const deadlock = new Error(
    `deadlock: ${other}.result() not done after 10 s — ${other} is waiting for this task`,
  );
  deadlock.name = 'TimeoutError';
  if (!(await mirror.done.wait({ timeout: scaled(10000) }))) throw deadlock;
  if (mirror.outcome.value === 2)
    throw new Error(`${other}.result() raised: ${other} gave up on the deadlock first`);
  return value;
}

export function waitOnB(b: Mirror): Promise<number> {
  return waitOn('b', b, 5); // b will never complete because it is waiting on a
}

export function waitOnA(a: Mirror): Promise<number> {
  return waitOn('a', a, 6); // a will never complete because it is waiting on b
}

function mirrorOf(future: Future<number>, mirror: Mirror): void {
  future.then(
    () => {
      mirror.outcome.value = 1;
      mirror.done.set();
    },
    () => {
      mirror.outcome.value = 2;
      mirror.done.set();
    },
  );
}

if (isMainThread) {
  const aMirror: Mirror = { done: new Event(), outcome: new RawValue('i', 0) };
  const bMirror: Mirror = { done: new Event(), outcome: new RawValue('i', 0) };
  const executor = new ThreadPoolExecutor({ maxWorkers: 2 });
  const a = executor.submit(waitOnB, bMirror);
  const b = executor.submit(waitOnA, aMirror);
  mirrorOf(a, aMirror);
  mirrorOf(b, bMirror);
  for (const [name, future] of [
    ['a', a],
    ['b', b],
  ] as const) {
    try {
      print(`${name}: ${await future.result()}`);
    } catch (error) {
      print(`${name}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  await executor.shutdown();
}
