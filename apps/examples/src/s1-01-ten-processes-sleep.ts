/**
 * s1-01 — seeds/001_735ae49c9afa6657.txt, "测试多进程": 10 × `Process(target=run, args=('bob%s' % i,))`,
 * each sleeping 2 s then printing `heelo bob<i>`. All ten finish in about 2 s, not 20.
 * Added: the parent joins them and prints the total time (Python waits for its children at exit
 * without saying so). Workers are threads here; `sleepSync` blocks each one like `time.sleep`.
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';
import { secondsSince, sleepSync } from './lib/time.js';

export function run(name: string): void {
  sleepSync(2000);
  print('heelo', name);
}

if (isMainThread) {
  const start = performance.now();
  const processes: Process[] = [];
  for (let i = 0; i < 10; i++) {
    // 起了10个进程
    const p = new Process({ target: run, args: [`bob${i}`] });
    p.start();
    processes.push(p);
  }
  for (const p of processes) await p.join();
  print(
    `10 processes sleeping 2 s each took ${secondsSince(start)} s in all (sleeps scaled by WEFT_TIME_SCALE)`,
  );
}
