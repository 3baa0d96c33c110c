import { Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore } from '@weft/lock';
import { Process } from '@weft/pool';
import { JoinableQueue, Queue } from '@weft/queue';
import { RawValue, SharedArray, Value } from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';
import { exerciseApis } from './fixtures/primitive-apis.mjs';

function freshObjects() {
  return {
    lock: new Lock(),
    rlock: new RLock(),
    semaphore: new Semaphore(2),
    bounded: new BoundedSemaphore(1),
    event: new Event(),
    condition: new Condition(),
    barrier: new Barrier(1),
    queue: new Queue<number>({ maxsize: 3 }),
    joinable: new JoinableQueue<string>(),
    value: new Value('i', 5),
    raw: new RawValue('d', 1.5),
    array: new SharedArray('i', [1, 2, 3]),
  };
}

/** What a child in `context` reports from calling every member (see the fixture). */
async function report(context: 'thread' | 'process'): Promise<[string, unknown][]> {
  const out = new Queue<string>();
  const p = new Process({ target: exerciseApis, args: [freshObjects(), out], context });
  p.start();
  await p.join(45_000);
  if (p.exitCode === null) p.kill();
  expect(p.exitCode).toBe(0);
  return JSON.parse(await out.get({ timeout: 1000 })) as [string, unknown][];
}

describe("a child process's proxies have the API of their type, and behave as the type does in a thread", () => {
  it('every member of Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier, Queue, JoinableQueue, Value, RawValue, SharedArray', async () => {
    const inThread = await report('thread');
    const inProcess = await report('process');
    expect(inProcess).toEqual(inThread);
    // and the thread's report is what the types promise (a few landmarks)
    const byName = new Map(inThread);
    expect(byName.get('lock.acquire()')).toBe(true);
    expect(byName.get('lock.release() unlocked')).toBe('throws RuntimeError');
    expect(byName.get('rlock.release() unowned')).toBe('throws RuntimeError');
    expect(byName.get('semaphore.value held')).toBe(0);
    expect(byName.get('bounded.release() over')).toBe('throws ValueError');
    expect(byName.get('condition.notify() unowned')).toBe('throws RuntimeError');
    expect(byName.get('barrier.parties')).toBe(1);
    expect(byName.get('barrier.wait() broken')).toBe('throws BrokenBarrierError');
    expect(byName.get('queue.putNowait(4) full')).toBe('throws Full');
    expect(byName.get('queue.get(timeout) empty')).toBe('throws Empty');
    expect(byName.get('value.value = 7')).toBe(7);
    expect(byName.get('value.value = 2**40 (overflow)')).toBe('throws OverflowError');
    expect(byName.get('[...array.array]')).toEqual([9, 8, 3]);
  });
});
