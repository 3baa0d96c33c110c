/**
 * s4-05 — seeds/004_10c85533a5432f39.txt, "multiprocessing.Process的run()方法": `class NewProcess(Process)`
 * with `__init__(self, num)` and a `run()` that prints its number and pid every second, forever; two
 * instances are started.
 * The subclass is exported so that the worker can find it (by module and name, as pickle would); its
 * fields travel with it. Bounded: Python's loops never end; here each instance also counts its ticks in
 * shared memory, and the parent terminates both once each has ticked 3 times.
 * They are threads (weft's default), so they share the pid; the thread id tells them apart.
 */
import { isMainThread, Process } from '@weft/pool';
import { SharedArray } from '@weft/shared-memory';
import { pidAndThread } from './lib/ids.js';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export class NewProcess extends Process {
  // 继承Process类创建一个新类
  num: number;
  ticks: SharedArray<'i'>;

  constructor(num: number, ticks: SharedArray<'i'>) {
    super();
    this.num = num;
    this.ticks = ticks;
  }

  override async run(): Promise<void> {
    // 重写Process类中的run方法
    for (;;) {
      print(`我是进程 ${this.num} , 我的pid是: ${pidAndThread()}`);
      this.ticks.set(this.num, this.ticks.get(this.num) + 1);
      await sleep(1000);
    }
  }
}

if (isMainThread) {
  const ticks = new SharedArray('i', [0, 0]);
  const processes: NewProcess[] = [];
  for (let i = 0; i < 2; i++) {
    const p = new NewProcess(i, ticks);
    p.start();
    processes.push(p);
  }
  while (ticks.toArray().some((count) => count < 3)) await new Promise((resolve) => setTimeout(resolve, 10));
  for (const p of processes) p.terminate(); // the loops are endless: stop them after a few ticks
  for (const p of processes) await p.join();
  print(
    'both terminated after 3 ticks each, exit codes:',
    processes.map((p) => p.exitCode),
  );
}
