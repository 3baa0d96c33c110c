/**
 * s4-10 — seeds/004_10c85533a5432f39.txt, "不加进程锁": `v = mp.Value('i', 0)`; two processes each do
 * 5 × (sleep 0.1 s; `v.value += num`; `print(v.value, end="|")`), one adding 1, the other 3. They
 * "抢着使用共享内存v": the printed values mix both increments in no fixed order. The final value is
 * printed too (normally 20; `+=` is a read then a write, so a lost update would show up there).
 */
import { isMainThread, Process } from '@weft/pool';
import { Value } from '@weft/shared-memory';
import { print, printEnd } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function job(v: Value<'i'>, num: number): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await sleep(100); // 暂停0.1秒，让输出效果更明显
    v.value += num; // v.value获取共享变量值
    printEnd('|', v.value);
  }
}

if (isMainThread) {
  const v = new Value('i', 0); // 定义共享变量
  const p1 = new Process({ target: job, args: [v, 1] });
  const p2 = new Process({ target: job, args: [v, 3] }); // 设定不同的number看如何抢夺内存
  p1.start();
  p2.start();
  await p1.join();
  await p2.join();
  print(`\nfinal value: ${v.value}`);
}
