/**
 * s3-15 — seeds/003_a45aef1e4cf1acde.txt, related article "Python多进程同步Lock、Semaphore、Event实例":
 * `worker_with(lock, f)` writes to a shared file inside `with lock:`, `worker_no_with(lock, f)` with
 * `acquire()`/`try`/`finally: release()`; then a Semaphore limiting workers, and an Event that workers
 * wait for.
 * `with lock:` is `lock.withLock(fn)`. Each worker writes its lines one by one with a pause between
 * them, holding the lock: the file shows each worker's lines together, never interleaved.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Event, Lock, Semaphore } from '@weft/lock';
import { currentProcess, isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';
import { sleep, sleepSync } from './lib/time.js';

export async function workerWith(lock: Lock, f: string): Promise<void> {
  await lock.withLock(() => {
    for (let i = 0; i < 3; i++) {
      appendFileSync(f, `Lock acquired via with (${i})\n`);
      sleepSync(50);
    }
  });
}

export async function workerNoWith(lock: Lock, f: string): Promise<void> {
  await lock.acquire();
  try {
    for (let i = 0; i < 3; i++) {
      appendFileSync(f, `Lock acquired directly (${i})\n`);
      sleepSync(50);
    }
  } finally {
    lock.release();
  }
}

export async function workerSemaphore(s: Semaphore, _i: number): Promise<void> {
  await s.acquire();
  print(`${currentProcess().name} acquire semaphore`);
  await sleep(500);
  print(`${currentProcess().name} release semaphore`);
  s.release();
}

export async function waitForEvent(e: Event): Promise<void> {
  print('wait_for_event: starting');
  await e.wait();
  print('wait_for_event: e.is_set()->', e.isSet());
}

export async function waitForEventTimeout(e: Event, t: number): Promise<void> {
  print('wait_for_event_timeout: starting');
  const got = await e.wait({ timeout: t });
  print('wait_for_event_timeout: e.is_set()->', got);
}

async function runAll(processes: Process[]): Promise<void> {
  for (const p of processes) p.start();
  for (const p of processes) await p.join();
}

if (isMainThread) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-lockfile-'));
  const f = join(dir, 'file.txt');
  try {
    print('== Lock');
    const lock = new Lock();
    await runAll([
      new Process({ target: workerWith, args: [lock, f] }),
      new Process({ target: workerNoWith, args: [lock, f] }),
    ]);
    process.stdout.write(readFileSync(f, 'utf8'));

    print('== Semaphore(2), 4 workers');
    const s = new Semaphore(2);
    await runAll(
      [0, 1, 2, 3].map((i) => new Process({ target: workerSemaphore, args: [s, i], name: `Process-${i}` })),
    );

    print('== Event');
    const e = new Event();
    const w1 = new Process({ target: waitForEvent, args: [e] });
    const w2 = new Process({ target: waitForEventTimeout, args: [e, 0] });
    w1.start();
    w2.start();
    await w2.join();
    await sleep(300);
    print('main: setting the event'); // printed first: the waiter may run the moment it is set
    e.set();
    await w1.join();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
