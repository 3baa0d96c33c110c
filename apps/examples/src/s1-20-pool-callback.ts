/**
 * s1-20 — seeds/001_735ae49c9afa6657.txt, "回调": `apply_async(func=Foo, args=(i,), callback=Bar)`;
 * `Bar` prints the result and `os.getpid()`, which is the main process's: callbacks run in the main
 * process. Here the workers print their thread too; `Bar` prints only the main process's pid because it
 * runs on the main thread.
 */
import { isMainThread, Pool } from '@weft/pool';
import { pidAndThread } from './lib/ids.js';
import { print } from './lib/print.js';
import { sleepSync } from './lib/time.js';

export function Foo(i: number): number {
  sleepSync(2000);
  print('in process', pidAndThread());
  return i + 100;
}

function Bar(arg: number): void {
  print('-->exec done:', arg, pidAndThread());
}

if (isMainThread) {
  const pool = new Pool(5);
  print('主进程:', pidAndThread()); // 打印主进程id
  for (let i = 0; i < 10; i++) {
    pool.applyAsync(Foo, [i], { callback: Bar });
  }
  print('end');
  pool.close();
  await pool.join();
}
