import { Worker } from 'node:worker_threads';
import { notify, waitAsync } from '@weft/atomics-sync-shim';
import { describe, expect, it } from 'vitest';
import { exitOf, fixture } from './worker-helpers.js';

const WAITERS = 4;

describe('notify reports how many parked waiters it woke', () => {
  it('returns 0 when nobody waits', () => {
    expect(notify(new Int32Array(new SharedArrayBuffer(4)), 0)).toBe(0);
    expect(notify(new Int32Array(new SharedArrayBuffer(4)), 0, 3)).toBe(0);
  });

  it('wakes exactly `count` of 4 worker threads, then all the rest by default', async () => {
    // Word 0 never changes, so only a notify can end a wait; word 1 counts wake-ups; words 2..5 hold
    // each worker's result; word 6 counts arrivals.
    const sab = new SharedArrayBuffer(4 * (3 + WAITERS));
    const i32 = new Int32Array(sab);
    const workers = Array.from(
      { length: WAITERS },
      (_, id) => new Worker(fixture('park-and-report.mjs'), { workerData: { sab, id, waiters: WAITERS } }),
    );
    const exits = workers.map(exitOf);
    while (Atomics.load(i32, 2 + WAITERS) < WAITERS) await new Promise((resolve) => setTimeout(resolve, 5));

    // A waiter still spinning is not parked yet, and a notify cannot count it: keep notifying until two
    // parked waiters have been woken. notify never reports more than it was asked to wake.
    let woken = 0;
    while (woken < 2) {
      const now = notify(i32, 0, 2 - woken);
      expect(now).toBeLessThanOrEqual(2 - woken);
      woken += now;
      if (woken < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(woken).toBe(2);
    while (Atomics.load(i32, 1) < 2) await new Promise((resolve) => setTimeout(resolve, 1));

    let rest = 0;
    while (rest < WAITERS - 2) {
      rest += notify(i32, 0);
      if (rest < WAITERS - 2) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(rest).toBe(WAITERS - 2);
    expect(await Promise.all(exits)).toEqual([0, 0, 0, 0]);
    expect(Atomics.load(i32, 1)).toBe(WAITERS);
    expect(Array.from(i32.subarray(2, 2 + WAITERS))).toEqual([1, 1, 1, 1]); // every wait ended 'ok'
  });

  it('counts native async waiters too, and wakes them in order', async () => {
    const i32 = new Int32Array(new SharedArrayBuffer(4));
    const order: number[] = [];
    const waits = [0, 1, 2].map((n) =>
      waitAsync(i32, 0, 0, undefined, { spin: 0 }).then((result) => {
        order.push(n);
        return result;
      }),
    );
    expect(notify(i32, 0, 1)).toBe(1);
    expect(notify(i32, 0)).toBe(2);
    expect(await Promise.all(waits)).toEqual(['ok', 'ok', 'ok']);
    expect(order).toEqual([0, 1, 2]);
  });
});
