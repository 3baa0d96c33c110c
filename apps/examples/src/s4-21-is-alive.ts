/**
 * s4-21 — seeds/004_10c85533a5432f39.txt: `thread1.is_alive()` before `start()` is False; after it, the
 * thread's name (`getName()`) and True; after `join()`, False. The thread sleeps 5 s.
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function start(): Promise<void> {
  await sleep(5000);
}

if (isMainThread) {
  const thread1 = new Process({ target: start });
  print(thread1.isAlive());
  thread1.start();
  print(thread1.name);
  print(thread1.isAlive());
  await thread1.join();
  print(thread1.isAlive());
}
