/**
 * s4-20 — seeds/004_10c85533a5432f39.txt, `class MyThread(threading.Thread)` with `__init__(self, n)`
 * and `run()`; two instances started and joined: the same output as s4-19.
 * The subclass is exported so that the worker finds it by module and name.
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export class MyThread extends Process {
  n: string;

  constructor(n: string) {
    super(); // 重构run函数必须要写
    this.n = n;
  }

  override run(): void {
    print('current task：', this.n);
  }
}

if (isMainThread) {
  const t1 = new MyThread('thread 1');
  const t2 = new MyThread('thread 2');
  t1.start();
  t2.start();
  // 将 t1 和 t2 加入到主线程中
  await t1.join();
  await t2.join();
}
