import { bufferSnapshot, decode, encode } from '@weft/codec';
import { Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore } from '@weft/lock';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('primitives as codec handles', () => {
  it('decode(encode(x)) in the same thread is the same primitive over the same memory', () => {
    const lock = new Lock();
    const bounded = new BoundedSemaphore(2);
    const decoded = decode(encode({ lock, bounded, list: [new Event()] })) as {
      lock: Lock;
      bounded: BoundedSemaphore;
      list: Event[];
    };
    expect(decoded.lock).toBeInstanceOf(Lock);
    lock.acquireSync();
    expect(decoded.lock.locked()).toBe(true);
    decoded.lock.release();
    expect(lock.locked()).toBe(false);
    expect(decoded.bounded).toBeInstanceOf(BoundedSemaphore);
    expect(decoded.list[0]).toBeInstanceOf(Event);
  });

  it('a worker that imports only the codec decodes every primitive and uses the same memory', async () => {
    const lock = new Lock();
    const rlock = new RLock();
    const semaphore = new Semaphore(3);
    const bounded = new BoundedSemaphore(1);
    const condition = new Condition();
    const event = new Event();
    const barrier = new Barrier(2);
    lock.acquireSync();
    const bytes = encode({ lock, rlock, semaphore, bounded, condition, event, barrier });
    const report = runWorker<Record<string, unknown>>('decode-primitives', {
      bytes,
      snapshot: bufferSnapshot(),
    });
    const index = await barrier.wait({ timeout: 30_000 });
    expect(await event.wait({ timeout: 30_000 })).toBe(true);
    const result = await report;
    expect(result).toMatchObject({
      lockLocked: true,
      lockClass: 'Lock',
      rlockLocked: false,
      semaphoreValue: 3,
      boundedClass: 'BoundedSemaphore',
      conditionClass: 'Condition',
      eventSet: false,
      parties: 2,
    });
    expect([index, result.barrierIndex].sort()).toEqual([0, 1]);
    expect(lock.locked()).toBe(false);
    expect(semaphore.value).toBe(2);
  });

  it('a worker also finds the buffers without a snapshot (it asks the threads that know them)', async () => {
    const lock = new Lock();
    lock.acquireSync();
    const parts = {
      lock,
      rlock: new RLock(),
      semaphore: new Semaphore(1),
      bounded: new BoundedSemaphore(1),
      condition: new Condition(new Lock()),
      event: new Event(),
      barrier: new Barrier(1),
    };
    const result = await runWorker<Record<string, unknown>>('decode-primitives', { bytes: encode(parts) });
    expect(result.lockLocked).toBe(true);
    expect(result.barrierIndex).toBe(0);
    expect(parts.event.isSet()).toBe(true);
  });
});
