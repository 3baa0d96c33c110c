import { Barrier, Condition, Event, Lock, Semaphore } from '@weft/lock';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('stress across real worker threads', () => {
  it('Semaphore(3) never admits more than 3 of 6 workers (sync, async and mixed waiters)', async () => {
    const semaphore = new Semaphore(3);
    const counters = new SharedArrayBuffer(12);
    const modes = ['sync', 'async', 'mixed', 'sync', 'async', 'mixed'];
    await Promise.all(
      modes.map((mode) =>
        runWorker('semaphore-admission', { handle: semaphore.toHandle(), counters, rounds: 3000, mode }),
      ),
    );
    const cells = new Int32Array(counters);
    expect(cells[1]).toBeLessThanOrEqual(3);
    expect(cells[1]).toBeGreaterThanOrEqual(1);
    expect(cells[2]).toBe(6 * 3000);
    expect(cells[0]).toBe(0);
    expect(semaphore.value).toBe(3);
  });

  it('producer/consumer on a Condition: 2 producers, 3 consumers, every item consumed once', async () => {
    for (const [lockKind, mode] of [
      ['RLock', 'sync'],
      ['Lock', 'async'],
    ] as const) {
      const condition = lockKind === 'RLock' ? new Condition() : new Condition(new Lock());
      const capacity = 4;
      const ring = new SharedArrayBuffer(4 * (4 + capacity));
      const items = 2000;
      const handle = condition.toHandle();
      const producers = [0, 1].map(() =>
        runWorker('condition-producer', { handle, ring, capacity, items, mode }),
      );
      const consumers = [0, 1, 2].map((i) =>
        runWorker('condition-consumer', { handle, ring, capacity, mode: i === 0 ? 'sync' : mode }),
      );
      await Promise.all(producers);
      // Then the stop marker, which every consumer leaves in place for the next one.
      const cells = new Int32Array(ring);
      await condition.acquire();
      await condition.waitFor(() => cells[1]! - cells[0]! < capacity);
      cells[4 + (cells[1]! % capacity)] = -1;
      cells[1] = cells[1]! + 1;
      condition.notifyAll();
      condition.release();
      await Promise.all(consumers);
      expect(cells[3]).toBe(2 * items);
      expect(cells[2]).toBe(2 * ((items * (items + 1)) / 2));
    }
  });

  it('1,000 Barrier cycles with 4 parties (sync, async and mixed)', async () => {
    for (const mode of ['sync', 'async', 'mixed']) {
      const barrier = new Barrier(4);
      const marks = new SharedArrayBuffer(4 * 6);
      const results = await Promise.all(
        [0, 1, 2, 3].map((party) =>
          runWorker<{ errors: number }>('barrier-cycles', {
            handle: barrier.toHandle(),
            marks,
            party,
            cycles: 500,
            mode,
          }),
        ),
      );
      expect(results.map((result) => result.errors)).toEqual([0, 0, 0, 0]);
      expect(barrier.broken).toBe(false);
    }
  });

  it('Event.set() releases every waiting worker, sync and async', async () => {
    const event = new Event();
    const counters = new SharedArrayBuffer(8);
    const cells = new Int32Array(counters);
    const waiters = Array.from({ length: 8 }, (_, i) =>
      runWorker<boolean>('event-waiter', {
        handle: event.toHandle(),
        counters,
        mode: i % 2 ? 'async' : 'sync',
      }),
    );
    while (Atomics.load(cells, 0) < 8) await new Promise((resolve) => setTimeout(resolve, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    event.set();
    event.clear();
    expect(await Promise.all(waiters)).toEqual(Array(8).fill(true));
    expect(cells[1]).toBe(8);
  });

  it('a Lock handed between main (async) and workers (sync) keeps a plain counter exact', async () => {
    const lock = new Lock();
    const counter = new SharedArrayBuffer(8);
    await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        runWorker('lock-increment', {
          lockHandle: lock.toHandle(),
          counter,
          increments: 5000,
          mode: i === 0 ? 'async' : 'sync',
        }),
      ),
    );
    expect(new Int32Array(counter)[0]).toBe(15_000);
  });
});
