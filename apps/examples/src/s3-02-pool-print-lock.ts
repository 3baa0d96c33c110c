/**
 * s3-02 — seeds/003_a45aef1e4cf1acde.txt, "Lock": the same 16 tasks with a global
 * `lock = Lock()` acquired around each print: lines never interleave.
 * Python's pool workers inherit the global lock by `fork`. weft's workers import the module afresh, so
 * a module-level Lock would be a different lock in each worker: the parent's lock is handed to every
 * worker with the pool's `initializer` (the usual Python idiom on spawn platforms too).
 */
import { Lock } from '@weft/lock';
import { isMainThread, Pool } from '@weft/pool';
import { pidAndThread } from './lib/ids.js';
import { print, printInTwoWrites } from './lib/print.js';
import { secondsSince, sleep } from './lib/time.js';

let lock: Lock; // 申明一个全局的lock对象 (set in each worker by initLock)

export function initLock(parentLock: Lock): void {
  lock = parentLock;
}

export async function runProc(name: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await sleep(200);
    await lock.acquire(); // 申请锁
    printInTwoWrites(`Run child process ${name} (${pidAndThread()})`);
    lock.release(); // 释放锁
  }
}

if (isMainThread) {
  print(`Run the main process (${pidAndThread()}).`);
  const mainStart = performance.now();
  // (PoolOptions types `initargs` as never[] — Pool's constructor is not generic over the initializer —
  // hence the cast; the values are passed through unchanged.)
  const p = new Pool(8, { initializer: initLock, initargs: [new Lock()] as never[] });
  for (let i = 0; i < 16; i++) p.applyAsync(runProc, [`Process${i}`]);
  print('Waiting for all subprocesses done ...');
  p.close();
  await p.join();
  print('All subprocesses done');
  print(`All process ran ${secondsSince(mainStart)} seconds.`);
}
