/**
 * s0-08 — seeds/000_35bfbc5fd545abd3.txt, "死锁" (text only): several locks, threads holding one and
 * trying to take the other's. Also the note's "GIL" paragraph: JavaScript workers have no GIL — each
 * runs on its own core — which is why weft's examples of s0-07 and s4-36 behave differently from Python.
 *
 * Two threads take lockA and lockB in opposite orders; a Barrier makes sure both hold their first lock
 * before either reaches for the second, so the deadlock always happens. Python would hang forever;
 * here the second acquire has a timeout, so the deadlock is detected: thread-1 gives up after 1 s and
 * releases its lock, which lets thread-2 (waiting up to 3 s) finish. The process ends.
 */
import { Barrier, Lock } from '@weft/lock';
import { currentProcess, isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';
import { scaled } from './lib/time.js';

export async function worker(first: Lock, second: Lock, ready: Barrier, patienceMs: number): Promise<void> {
  const name = currentProcess().name;
  await first.acquire();
  print(`${name} holds its first lock`);
  await ready.wait(); // both hold one lock now: each is about to wait for the other's
  try {
    if (await second.acquire({ timeout: scaled(patienceMs) })) {
      print(`${name} got its second lock after the other thread backed off`);
      second.release();
    } else {
      print(`${name} waited ${patienceMs} ms for its second lock: deadlock, backing off`);
    }
  } finally {
    first.release();
  }
}

if (isMainThread) {
  const lockA = new Lock();
  const lockB = new Lock();
  const ready = new Barrier(2);
  const t1 = new Process({ target: worker, args: [lockA, lockB, ready, 1000], name: 'thread-1' });
  const t2 = new Process({ target: worker, args: [lockB, lockA, ready, 3000], name: 'thread-2' });
  t1.start();
  t2.start();
  await t1.join();
  await t2.join();
  print('both threads ended');
}
