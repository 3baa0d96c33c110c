import { Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore } from '@weft/lock';
import { Process } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';
import {
  incrementUnderLockAsync,
  incrementUnderLockSync,
  incrementUnderRLock,
  incrementUnderSemaphore,
  incrementWithGuards,
  roundsThroughBarrier,
  takeTurnsWithCondition,
  takeTurnsWithEvents,
} from './fixtures/child-primitives.mjs';

const TIMES = 40;

/** Starts every child, waits for all (bounded: a hang fails here), and expects each to end with 0. */
async function runChildren(children: Process[]): Promise<void> {
  for (const child of children) child.start();
  const deadline = Date.now() + 45_000;
  for (const child of children) await child.join(Math.max(0, deadline - Date.now()));
  const hung = children.filter((child) => child.exitCode === null);
  for (const child of hung) child.kill();
  expect(hung.map(String)).toEqual([]);
  expect(children.map((child) => child.exitCode)).toEqual(children.map(() => 0));
}

function child<A extends unknown[]>(target: (...args: A) => unknown, ...args: A): Process {
  return new Process({ target: target as (...args: unknown[]) => unknown, args, context: 'process' });
}

describe("a parent's locks used over and over by two child processes at once", () => {
  it('Lock: acquireSync()/release() and acquire()/release() never hang, and exclude each other', async () => {
    const lock = new Lock();
    const counter = new RawValue('i', 0);
    await runChildren([
      child(incrementUnderLockSync, lock, counter, TIMES),
      child(incrementUnderLockAsync, lock, counter, TIMES),
    ]);
    expect(counter.value).toBe(2 * TIMES);
    expect(lock.locked()).toBe(false);
  });

  it('Lock: withLockSync() and `using await lock.lock()` release every time', async () => {
    const lock = new Lock();
    const counter = new RawValue('i', 0);
    await runChildren([
      child(incrementWithGuards, lock, counter, TIMES),
      child(incrementWithGuards, lock, counter, TIMES),
    ]);
    expect(counter.value).toBe(2 * TIMES);
    expect(lock.locked()).toBe(false);
  });

  it('RLock: re-entrant within a child, exclusive between children', async () => {
    const rlock = new RLock();
    const counter = new RawValue('i', 0);
    await runChildren([
      child(incrementUnderRLock, rlock, counter, TIMES),
      child(incrementUnderRLock, rlock, counter, TIMES),
    ]);
    expect(counter.value).toBe(2 * TIMES);
    expect(rlock.locked()).toBe(false);
    // the parent can take it afterwards: nothing is left held for a child
    expect(rlock.acquireSync({ timeout: 1000 })).toBe(true);
    rlock.release();
  });

  it('Semaphore(1) and BoundedSemaphore(1): exclusive, and their counter reads 0 while held', async () => {
    for (const semaphore of [new Semaphore(1), new BoundedSemaphore(1)]) {
      const counter = new RawValue('i', 0);
      await runChildren([
        child(incrementUnderSemaphore, semaphore, counter, TIMES),
        child(incrementUnderSemaphore, semaphore, counter, TIMES),
      ]);
      expect(counter.value).toBe(2 * TIMES);
      expect(semaphore.value).toBe(1);
    }
  });

  it('Condition (over its own RLock, a Lock, an RLock): two children take strict turns (waitForSync / notifyAll, and the async forms)', async () => {
    for (const [sync, condition] of [
      [true, new Condition()],
      [false, new Condition()],
      [true, new Condition(new Lock())],
      [false, new Condition(new RLock())],
    ] as const) {
      const turn = new RawValue('i', 0);
      await runChildren([
        child(takeTurnsWithCondition, condition, turn, 0, TIMES, sync),
        child(takeTurnsWithCondition, condition, turn, 1, TIMES, sync),
      ]);
      expect(turn.value).toBe(2 * TIMES);
    }
  });

  it('Event: two children take strict turns through two Events (waitSync and wait)', async () => {
    for (const sync of [true, false]) {
      const [first, second] = [new Event(), new Event()];
      const counter = new RawValue('i', 0);
      first.set();
      await runChildren([
        child(takeTurnsWithEvents, first, second, counter, TIMES, sync),
        child(takeTurnsWithEvents, second, first, counter, TIMES, sync),
      ]);
      expect(counter.value).toBe(2 * TIMES);
      expect(first.isSet()).toBe(true);
    }
  });

  it('Barrier: two children pass it round after round; one of them counts each round', async () => {
    for (const sync of [true, false]) {
      const barrier = new Barrier(2);
      const counter = new RawValue('i', 0);
      await runChildren([
        child(roundsThroughBarrier, barrier, counter, TIMES, sync),
        child(roundsThroughBarrier, barrier, counter, TIMES, sync),
      ]);
      expect(counter.value).toBe(TIMES);
      expect(barrier.broken).toBe(false);
      expect(barrier.nWaiting).toBe(0);
    }
  });
});
